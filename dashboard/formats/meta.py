"""Article metadata for formats that carry none (brat, Label Studio, doccano, CSV edge lists).

The sources, first to last: the record's own fields, a sidecar file beside the input named
after the full file name (`doc.txt.meta.yaml`, `.meta.yml` or `.meta.json`, the annotator's
convention, read by its code), and the command line's `--published`, `--publisher`, `--title`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.annotator.sources import META_SUFFIXES, _sidecar
from dashboard.errors import InputError

KEYS = ("id", "title", "published", "publisher", "url", "language")


@dataclass(frozen=True)
class Defaults:
    """The batch's metadata from the command line."""

    published: dt.date | None = None
    publisher: str | None = None
    title: str | None = None


def sidecar(path: Path) -> dict:
    """The sidecar metadata of `path` ({} if there is none); `InputError` if it is broken."""
    return _sidecar(path)


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(META_SUFFIXES)


def fill(own: dict, side: dict, defaults: Defaults, *, file: str, record: str,
         default_id: str, default_title: str | None = None, one_record: bool = False) -> dict:
    """The native article fields id, title, published, publisher, url, language; raises
    `InputError` naming the field that no source provides. A sidecar's id names the article
    of a `one_record` file only: the records of a file of many would all get it."""
    if not one_record:
        side = {k: v for k, v in side.items() if k != "id"}
    merged = {key: own.get(key) if own.get(key) not in (None, "") else side.get(key)
              for key in KEYS}
    published = merged["published"] if merged["published"] is not None else defaults.published
    if published is None:
        raise InputError("no published date: give --published YYYY-MM-DD or a sidecar "
                         f"{Path(file).name}.meta.yaml with 'published'", file=file,
                         record=record, field="published")
    if not isinstance(published, dt.date):
        try:
            published = dt.date.fromisoformat(str(published)[:10])
        except ValueError:
            raise InputError(f"{published!r} is not a YYYY-MM-DD date", file=file,
                             record=record, field="published") from None
    publisher = merged["publisher"] or defaults.publisher
    if not publisher:
        raise InputError("no publisher: give --publisher NAME or a sidecar "
                         f"{Path(file).name}.meta.yaml with 'publisher'", file=file,
                         record=record, field="publisher")
    title = merged["title"] or defaults.title or default_title or default_id
    out = {"id": str(merged["id"] or default_id), "title": str(title)[:1000],
           "published": published, "publisher": str(publisher)}
    if merged["url"]:
        out["url"] = str(merged["url"])
    if merged["language"]:
        out["language"] = str(merged["language"])
    return out


def slug(text: str) -> str:
    """An article id made of the characters the native format allows."""
    out = re.sub(r"[^A-Za-z0-9._:-]+", "-", text).strip("-._:")
    return out[:200] or "article"


# A record whose fields have unexpected shapes (a list where text belongs, a string where an
# offset belongs) must end in an error for that record, not in a crash of the whole import.
SHAPE_ERRORS = (TypeError, AttributeError, ValueError, KeyError, IndexError, OverflowError)


def shape_error(exc: Exception, kind: str, file: str, label: str) -> InputError:
    return InputError(f"not a valid {kind} record: {what_is_wrong(exc)}", file=file,
                      record=label)


def what_is_wrong(exc: Exception) -> str:
    """What a shape error means, in words (no Python type names): a missing key, a value of
    the wrong kind, a number too large."""
    if isinstance(exc, KeyError):
        return f"the field {str(exc.args[0])[:60]!r} is missing"
    if isinstance(exc, IndexError):
        return "a list is shorter than expected (an empty one?)"
    if isinstance(exc, OverflowError):
        return "a number is too large"
    if isinstance(exc, ValueError) and "invalid literal" in str(exc):
        return f"{str(exc).rsplit(': ', 1)[-1][:60]} is not a whole number"
    return ("a field holds a value of the wrong kind (a list or an object where text or a "
            "number belongs, or nothing where a value is needed)")
