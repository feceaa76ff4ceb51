"""CSV edge lists: one relation a row, with columns source, target, relation and optionally
date, evidence, url, publisher, title, confidence, annotator (header names in any case and
order; other columns are ignored).

Each row becomes one native article: its text is the evidence (or "SOURCE RELATION TARGET."
when there is none), its date the row's date (else `published` from the sidecar or
`--published`), its publisher the row's, the sidecar's, `--publisher`, else the URL's host.
Actor names are resolved through the registry on the row's date. The article id is a hash of
the row's content, so re-reading an unchanged file changes nothing and reordering rows neither.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from dashboard import reading
from dashboard.errors import InputError
from dashboard.formats import meta
from dashboard.loaders import Record, validate
from dashboard.models import http_url
from dashboard.registry import Registry

ORIGIN = "csv"
REQUIRED = ("source", "target", "relation")
_KEY = ("source", "target", "relation", "date", "evidence", "url")


def read(path: Path, defaults: meta.Defaults, registry: Registry | None = None
         ) -> Iterator[Record]:
    registry = registry or Registry.load()
    name = str(path)
    try:
        side = meta.sidecar(path)
    except InputError as exc:
        yield Record(name, "file", None, (exc,), ORIGIN)
        return
    header = None
    # A row that is not text, too big or broken is refused alone (dashboard.reading).
    for lineno, row in reading.csv_rows(path):
        label = f"line {lineno}"
        if isinstance(row, InputError):
            yield Record(name, label, None, (_named(row, header),), ORIGIN)
            continue
        if header is None:
            header = [h.strip().lower() for h in row]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                yield Record(name, label, None, (InputError(
                    f"the header lacks {', '.join(missing)} (an edge list needs source, "
                    "target and relation columns)", file=name, record=label,
                    field="header"),), ORIGIN)
                return
            continue
        if not any(cell.strip() for cell in row):
            continue
        try:
            record = _row(dict(zip(header, row, strict=False)), len(row) == len(header),
                          name, label, side, defaults, registry)
        except InputError as exc:
            record = Record(name, label, None, (exc,))
        yield dataclasses.replace(record, origin=ORIGIN)


def _named(error: InputError, header: list[str] | None) -> InputError:
    """`error` with its "column N" field named by the header, where there is one."""
    field = error.field or ""
    if header and field.startswith("column "):
        n = int(field.split()[1])
        field = header[n - 1] if n <= len(header) and header[n - 1] else field
    return InputError(error.reason, file=error.file, record=error.record, field=field or None)


def _row(row: dict, complete: bool, file: str, label: str, side: dict,
         defaults: meta.Defaults, registry: Registry) -> Record:
    if not complete:
        raise InputError("has a different number of fields than the header", file=file,
                         record=label)
    values = {k: (row.get(k) or "").strip() for k in (*_KEY, "publisher", "title",
                                                       "confidence", "annotator")}
    for column in REQUIRED:
        if not values[column]:
            raise InputError("is empty", file=file, record=label, field=column)
    digest = hashlib.sha256("\x1f".join(values[k] for k in _KEY).encode()).hexdigest()[:20]
    own = {"published": values["date"] or None, "url": values["url"] or None,
           "publisher": values["publisher"] or None, "title": values["title"] or None}
    if not (own["publisher"] or side.get("publisher") or defaults.publisher) \
            and http_url(own["url"]):
        own["publisher"] = urlparse(own["url"]).hostname  # a bad URL is refused by the model
    text = values["evidence"] or (f"{values['source']} {values['relation']} "
                                  f"{values['target']}.")
    info = meta.fill(own, side, defaults, file=file, record=label, default_id=f"csv-{digest}",
                     default_title=text[:120])
    errors = []
    for column in ("source", "target"):
        if registry.try_resolve(values[column], info["published"]) is None:
            errors.append(InputError(f"'{values[column]}' names no actor the registry knows "
                                     f"on {info['published']}", file=file, record=label,
                                     field=column))
    if errors:
        return Record(file, label, None, tuple(errors))
    relation = {"source": values["source"], "target": values["target"],
                "relation": values["relation"].lower(),
                "evidence": {"start": 0, "end": len(text)}}
    if values["date"]:
        relation["date"] = values["date"]
    if values["confidence"]:
        relation["confidence"] = values["confidence"]
    if values["annotator"]:
        relation["annotator"] = values["annotator"].lower()
    record = validate({**info, "text": text, "relations": [relation]}, file, label)
    if record.errors:
        # The native field names (relations[0].relation) mean nothing to a CSV user.
        fixed = tuple(InputError(e.reason, file=file, record=label,
                                 field=(e.field or "").removeprefix("relations[0].") or None)
                      for e in record.errors)
        return Record(file, label, None, fixed)
    return record
