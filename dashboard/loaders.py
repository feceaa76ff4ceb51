"""Read native annotated-article files (JSON, JSONL, YAML) into validated `Article` models.

Reading never stops at the first bad record: every record yields either an `Article` or the
`InputError`s that say which file, record and field are wrong, so the caller can keep the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from dashboard import reading
from dashboard.errors import InputError
from dashboard.models import Article

NATIVE_SUFFIXES = (".json", ".jsonl", ".yaml", ".yml")


@dataclass(frozen=True)
class Record:
    """One article-shaped record of a file and where it came from.

    `origin` names the format it was read from ("native", "brat", "labelstudio", ...); the
    store keeps it beside the article. `raw_hash` is the hash of the record's bytes in its
    file, where it has bytes of its own (a JSONL line, a file of one article). `warnings` are
    about a kept article a person should check (an implausible date)."""

    file: str
    label: str
    article: Article | None
    errors: tuple[InputError, ...] = ()
    origin: str = "native"
    raw_hash: str | None = None
    warnings: tuple[InputError, ...] = ()


@dataclass(frozen=True, slots=True)
class Known:
    """A record whose bytes hash to `raw_hash`, which the caller said it knows (a record the
    store holds exactly so): left unread, neither parsed nor validated."""

    file: str
    label: str
    raw_hash: str


@dataclass(slots=True)  # not frozen: a frozen init is slow over a GDELT day's events
class Prepared:
    """An article whose store rows a reader built itself, for inputs too large for one
    validated `Article` each (GDELT: hundreds of thousands of events a day).

    `article` is the articles row without `ingested_at`: (id, title, published, publisher, url,
    text, language, source_file, content_hash, origin); `mentions` and `edges` are rows as
    `dashboard.edges.derive` makes them; `extra` holds (table, row) pairs for side tables keyed
    by article id (see `dashboard.store.SIDE_TABLES`). The reader vouches for the rows: the
    store checks ids and hashes, not the fields."""

    file: str
    label: str
    article: tuple
    mentions: list[tuple]
    edges: list[tuple]
    extra: tuple[tuple[str, tuple], ...] = ()


@dataclass(frozen=True)
class Skipped:
    """Input rows a reader read correctly but left out on purpose, counted by reason."""

    reason: str
    count: int = 1


@dataclass(frozen=True)
class TreatySet:
    """All treaty-pair rows of one dataset (`source`, e.g. "ATOP 4.01"): an ingest replaces the
    rows the store holds for that source with these (see `dashboard.store.TREATY_COLUMNS`)."""

    source: str
    file: str
    rows: list[tuple]


def discover(paths: Iterable[str | Path], *,
             accepts: Callable[[Path], bool] = lambda p: p.suffix.lower() in NATIVE_SUFFIXES,
             kinds: str = ".json, .jsonl, .yaml or .yml") -> tuple[list[Path], list[InputError]]:
    """The files named, or found below the folders named (hidden ones skipped), that
    `accepts` takes, in a stable order; `kinds` names them in error messages."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and accepts(p)
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                errors.append(InputError(f"the folder holds no {kinds} files", file=str(path)))
            files.extend(found)
        elif path.is_file():
            if accepts(path):
                files.append(path)
            else:
                errors.append(InputError(f"unsupported file type '{path.suffix}': expected "
                                         f"{kinds}", file=str(path)))
        else:
            errors.append(InputError("no such file or folder", file=str(path)))
    return files, errors


def raw_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_records(path: Path, known: Container[str] = frozenset()) -> Iterator[Record | Known]:
    """Every record of one file, valid or not (limits and encodings: `dashboard.reading`); a
    record whose bytes hash to one of `known` as a `Known`, unread."""
    name = str(path)
    if path.suffix.lower() == ".jsonl":
        # Line by line: one line that is broken or not text loses only that line.
        for lineno, line in reading.text_lines(path):
            label = f"line {lineno}"
            if isinstance(line, InputError):
                yield Record(name, label, None, (line,))
                continue
            if not line.strip():
                continue
            digest = raw_hash(line.encode("utf-8", "surrogatepass"))
            if digest in known:
                yield Known(name, label, digest)
            else:
                yield replace(_jsonl_record(name, label, line), raw_hash=digest)
        return
    try:
        try:
            data = reading.read_bytes(path)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", file=name) from None
        digest = raw_hash(data)
        if digest in known:
            yield Known(name, "1", digest)
            return
        raw = reading.decode(data, file=name)
        if path.suffix.lower() == ".json":
            data = reading.parse_json(raw, file=name)
        else:
            data = reading.parse_yaml(raw, file=name)
    except InputError as exc:
        yield Record(name, "file", None, (exc,))
        return
    if isinstance(data, list):
        for i, item in enumerate(data, start=1):
            yield validate(item, name, f"{i}")
    else:
        yield replace(validate(data, name, "1"), raw_hash=digest)


def _jsonl_record(name: str, label: str, line: str) -> Record:
    # Fast path: parse and validate in one step inside pydantic-core. A line it refuses
    # takes the slow path below, which gives the same verdict with our own messages.
    try:
        article = Article.model_validate_json(line)
    except ValidationError:
        pass
    else:
        return checked(Record(name, f"{label} (id '{article.id}')", article))
    try:
        item = reading.parse_json(line, file=name, record=label, lines=False)
    except InputError as exc:
        return Record(name, label, None, (exc,))
    return validate(item, name, label)


def validate(item: object, file: str, label: str) -> Record:
    record_id = item.get("id") if isinstance(item, dict) else None
    if isinstance(record_id, str) and record_id:
        label = f"{label} (id '{record_id}')"
    if not isinstance(item, dict):
        return Record(file, label, None, (InputError(
            f"expected an article object, found {reading.kind_of(item)}", file=file,
            record=label),))
    try:
        return checked(Record(file, label, Article.model_validate(item)))
    except ValidationError as exc:
        return Record(file, label, None, tuple(_from_pydantic(exc, file, label)))


# Dates outside this span are kept but reported: news of the years an analyst of today's
# alliances reads (from the Congress of Vienna's century on), up to a year ahead (an embargoed
# or mistyped date). 3000-01-01 or 1066-10-14 is almost always a typing slip.
PLAUSIBLE_FROM = dt.date(1800, 1, 1)
PLAUSIBLE_AHEAD = dt.timedelta(days=366)


def checked(record: Record) -> Record:
    """`record` with a warning for each date of its article outside the plausible span."""
    article = record.article
    if article is None:
        return record
    last = dt.date.today() + PLAUSIBLE_AHEAD
    dates = [("published", article.published)]
    dates += [(f"relations[{i}].date", r.date) for i, r in enumerate(article.relations)
              if r.date is not None]
    warnings = tuple(
        InputError(f"{day.isoformat()} is outside {PLAUSIBLE_FROM.isoformat()} to "
                   f"{last.isoformat()}: kept, but check it (a typing slip?)", file=record.file,
                   record=record.label, field=name)
        for name, day in dates if not PLAUSIBLE_FROM <= day <= last)
    return replace(record, warnings=record.warnings + warnings) if warnings else record


def _from_pydantic(exc: ValidationError, file: str, label: str) -> Iterator[InputError]:
    for err in exc.errors(include_url=False):
        field = _dotted(err["loc"])
        reason = err["msg"].removeprefix("Value error, ")
        if not field and ": " in reason and reason.split(": ", 1)[0].endswith(
                ("]", "evidence", "cue", "source_span", "target_span")):
            # Cross-field checks (spans against the text) name their field in the message.
            field, reason = reason.split(": ", 1)
        if err["type"] == "missing":
            reason = "is required but missing"
        elif err["type"] == "extra_forbidden":
            reason = "is not a field of the annotated-article format (misspelt?)"
        elif err["type"] == "string_unicode":
            reason = "is not valid Unicode text (it holds an unpaired surrogate such as \\ud800)"
        elif err["type"] == "enum":
            reason = f"{err['input']!r} is not one of {err['ctx']['expected']}"
        yield InputError(reason, file=file, record=label, field=field or None)


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
