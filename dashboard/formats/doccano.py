"""doccano JSONL (relation-extraction projects): one text a line with `entities` and
`relations`.

    {"id": 7, "text": "...", "entities": [{"id": 1, "label": "Actor", "start_offset": 0,
     "end_offset": 13}, ...], "relations": [{"id": 1, "from_id": 1, "to_id": 2,
     "type": "condemnation"}], "published": "2024-03-01", "publisher": "..."}

An entity labelled `Actor` (or `Country`, `GPE`...) is a mention whose actor the registry
finds from the covered text; one labelled with an actor id (`USA`) names its actor. A relation's
type is a taxonomy name; its evidence is the sentence(s) around both ends. Metadata comes from
the line's own `article_id`, `title`, `published`, `publisher`, `url` or `language`, else the
sidecar file, else the command line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from dashboard import reading
from dashboard.errors import InputError
from dashboard.formats import meta, standoff
from dashboard.loaders import Record, validate
from dashboard.registry import Registry
from dashboard.taxonomy import RelationType

ORIGIN = "doccano"
_TYPES = {r.value for r in RelationType}


def read(path: Path, defaults: meta.Defaults, registry: Registry | None = None
         ) -> Iterator[Record]:
    registry = registry or Registry.load()
    name = str(path)
    try:
        side = meta.sidecar(path)
    except InputError as exc:
        yield Record(name, "file", None, (exc,), ORIGIN)
        return
    # Line by line: a line that is broken, not text or too long loses only that line.
    for lineno, line in reading.text_lines(path):
        label = f"line {lineno}"
        try:
            if isinstance(line, InputError):
                raise line
            if not line.strip():
                continue
            item = reading.parse_json(line, file=name, record=label, lines=False)
            record = _line(item, name, label, side, defaults, registry)
        except InputError as exc:
            record = Record(name, label, None, (exc,))
        except meta.SHAPE_ERRORS as exc:
            record = Record(name, label, None, (meta.shape_error(exc, "doccano", name, label),))
        yield dataclasses.replace(record, origin=ORIGIN)


def _line(item, file: str, label: str, side: dict, defaults: meta.Defaults,
          registry: Registry) -> Record:
    if not isinstance(item, dict):
        raise InputError(f"expected a JSON object, found {reading.kind_of(item)}", file=file,
                         record=label)
    text = item.get("text")
    if not isinstance(text, str) or not text:
        raise InputError("is required (non-empty text)", file=file, record=label, field="text")
    own = {**item, "id": item.get("article_id")}
    default_id = meta.slug(f"{Path(file).stem}-{item.get('id', label.split()[-1])}")
    info = meta.fill(own, side, defaults, file=file, record=label, default_id=default_id)
    errors: list[InputError] = []
    spans: dict[str, standoff.Span] = {}
    for i, entity in enumerate(item.get("entities") or []):
        try:
            kind, actor = standoff.kind_of_label(str(entity["label"]), registry)
            span = standoff.Span(str(entity["id"]), kind, int(entity["start_offset"]),
                                 int(entity["end_offset"]), actor)
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            errors.append(InputError("needs id, label, start_offset and end_offset ("
                                     f"{meta.what_is_wrong(exc)})", file=file, record=label,
                                     field=f"entities[{i}]"))
            continue
        if span.actor is None and kind not in (standoff.EVIDENCE, standoff.CUE):
            found = registry.try_resolve(text[span.start:span.end], info["published"])
            span.actor = found.id if found else None
        spans[span.key] = span
    links = []
    for i, relation in enumerate(item.get("relations") or []):
        where = {"file": file, "record": label, "field": f"relations[{i}]"}
        kind = str(relation.get("type", "")).lower() if isinstance(relation, dict) else ""
        if kind not in _TYPES:
            errors.append(InputError(f"type {kind!r} is not one of {', '.join(_TYPES)}",
                                     **{**where, "field": f"relations[{i}].type"}))
            continue
        ends = [str(relation.get(k)) for k in ("from_id", "to_id")]
        for role, ref in zip(("from_id", "to_id"), ends, strict=True):
            if ref not in spans:
                errors.append(InputError(f"{ref} is not an entity of this line",
                                         **{**where, "field": f"relations[{i}].{role}"}))
            elif spans[ref].actor is None:
                covered = text[spans[ref].start:spans[ref].end]
                errors.append(InputError(
                    f"'{covered}' names no actor the registry knows on {info['published']}: "
                    "label the entity with the actor id or add the name to data/actors/",
                    **{**where, "field": f"relations[{i}].{role}"}))
        links.append(standoff.Link(f"R{i + 1}", kind, *ends))
    for key, span in spans.items():
        if span.kind == standoff.ACTOR and span.actor is None and not errors:
            errors.append(InputError(
                f"'{text[span.start:span.end]}' names no actor the registry knows: label the "
                "entity with the actor id or add the name to data/actors/", file=file,
                record=label, field=f"entities (id {key})"))
    if errors:
        return Record(file, label, None, tuple(errors))
    mentions, relations = standoff.unlayout(text, list(spans.values()), links)
    return validate({**info, "text": text, "mentions": mentions, "relations": relations},
                    file, label)
