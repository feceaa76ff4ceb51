"""Read native annotated-article files (JSON, JSONL, YAML) into validated `Article` models.

Reading never stops at the first bad record: every record yields either an `Article` or the
`InputError`s that say which file, record and field are wrong, so the caller can keep the rest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pydantic import ValidationError

from dashboard.errors import InputError
from dashboard.models import Article

NATIVE_SUFFIXES = (".json", ".jsonl", ".yaml", ".yml")
_TOO_DEEP = "nested too deeply to be an article (brackets or lists inside each other)"


@dataclass(frozen=True)
class Record:
    """One article-shaped record of a file and where it came from.

    `origin` names the format it was read from ("native", "brat", "labelstudio", ...); the
    store keeps it beside the article. `raw_hash` is the hash of the record's bytes in its
    file, where it has bytes of its own (a JSONL line, a file of one article)."""

    file: str
    label: str
    article: Article | None
    errors: tuple[InputError, ...] = ()
    origin: str = "native"
    raw_hash: str | None = None


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
    """Every record of one file, valid or not; a record whose bytes hash to one of `known`
    as a `Known`, unread."""
    name = str(path)
    if path.suffix.lower() == ".jsonl":
        # Line by line, bytes first: one line that is not UTF-8 loses only that line.
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Record(name, "file", None, (InputError(f"cannot read: {exc.strerror}",
                                                         file=name),))
            return
        yield from _jsonl_records(name, data, known)
        return
    try:
        data = path.read_bytes()
        digest = raw_hash(data)
        if digest in known:
            yield Known(name, "1", digest)
            return
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield Record(name, "file", None, (InputError(f"not UTF-8 text ({exc.reason} at byte "
                                                     f"{exc.start})", file=name),))
        return
    except OSError as exc:
        yield Record(name, "file", None, (InputError(f"cannot read: {exc.strerror}", file=name),))
        return
    suffix = path.suffix.lower()
    try:
        data = json.loads(raw) if suffix == ".json" else yaml.safe_load(raw)
    except json.JSONDecodeError as exc:
        yield Record(name, "file", None, (InputError(
            f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", file=name),))
        return
    except yaml.YAMLError as exc:
        yield Record(name, "file", None, (InputError(f"broken YAML: {exc}".splitlines()[0],
                                                     file=name),))
        return
    except RecursionError:
        yield Record(name, "file", None, (InputError(_TOO_DEEP, file=name),))
        return
    except ValueError as exc:
        # YAML's own constructors raise it, for example for a timestamp like 2024-13-45.
        yield Record(name, "file", None, (InputError(f"broken YAML: {exc}", file=name),))
        return
    if isinstance(data, list):
        for i, item in enumerate(data, start=1):
            yield validate(item, name, f"{i}")
    else:
        yield replace(validate(data, name, "1"), raw_hash=digest)


def _jsonl_records(name: str, data: bytes, known: Container[str]) -> Iterator[Record | Known]:
    # Only "\n" ends a JSONL line: JSON strings may hold U+2028 and friends unescaped, which
    # str.splitlines() would cut at.
    for lineno, raw_line in enumerate(data.split(b"\n"), start=1):
        digest = raw_hash(raw_line)
        if digest in known:
            yield Known(name, f"line {lineno}", digest)
            continue
        try:
            line = raw_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(name, f"line {lineno}", None, (InputError(
                f"not UTF-8 text ({exc.reason} at byte {exc.start} of the line)", file=name,
                record=f"line {lineno}"),))
            continue
        if not line.strip():
            continue
        # Fast path: parse and validate in one step inside pydantic-core. A line it refuses
        # takes the slow path below, which gives the same verdict with our own messages.
        try:
            article = Article.model_validate_json(line)
        except ValidationError:
            pass
        else:
            yield Record(name, f"line {lineno} (id '{article.id}')", article, raw_hash=digest)
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Record(name, f"line {lineno}", None, (InputError(
                f"broken JSON at column {exc.colno}: {exc.msg}", file=name,
                record=f"line {lineno}"),))
            continue
        except RecursionError:
            yield Record(name, f"line {lineno}", None, (InputError(
                _TOO_DEEP, file=name, record=f"line {lineno}"),))
            continue
        yield replace(validate(item, name, f"line {lineno}"), raw_hash=digest)


def validate(item: object, file: str, label: str) -> Record:
    record_id = item.get("id") if isinstance(item, dict) else None
    if isinstance(record_id, str) and record_id:
        label = f"{label} (id '{record_id}')"
    if not isinstance(item, dict):
        return Record(file, label, None, (InputError(
            f"expected an article object, found {type(item).__name__}", file=file,
            record=label),))
    try:
        return Record(file, label, Article.model_validate(item))
    except ValidationError as exc:
        return Record(file, label, None, tuple(_from_pydantic(exc, file, label)))


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
