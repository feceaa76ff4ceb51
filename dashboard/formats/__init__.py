"""Other projects' formats in and out: one module per format (see docs/formats.md).

Article-like formats (brat, Label Studio, doccano, CSV edge lists) become native `Article`s in
`Record`s, so they are validated and rejected exactly like native files; GDELT events become
prepared store rows (`loaders.Prepared`), and ATOP/COW alliances a treaty layer
(`loaders.TreatySet`). `items(paths)` recognises each file's format and yields what
`dashboard.store.ingest_records` takes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from dashboard import reading
from dashboard.errors import InputError
from dashboard.formats.meta import Defaults, is_sidecar
from dashboard.loaders import NATIVE_SUFFIXES, read_records
from dashboard.registry import Registry

FORMATS = ("native", "brat", "labelstudio", "doccano", "csv", "gdelt", "atop", "cow")
ARTICLE_FORMATS = ("native", "brat", "labelstudio", "doccano", "csv")
_TABLE_SUFFIXES = (".csv", ".tsv")
_GDELT_COLUMNS = (57, 58, 61)
NO_DEFAULTS = Defaults()
_LOOK_AT = 5  # records format detection reads past a bad one


def detect(path: Path) -> str | None:
    """The format of `path` by its name and a look at its first line or structure."""
    suffix = path.suffix.lower()
    if suffix == ".ann" or (suffix == ".txt" and path.with_suffix(".ann").is_file()):
        return "brat"
    if suffix in _TABLE_SUFFIXES:
        return _table_kind(path)
    if suffix == ".jsonl":
        # Past a broken first line: the first few lines that parse decide.
        for line in _first_lines(path, _LOOK_AT):
            try:
                item = json.loads(line)
            except (ValueError, RecursionError):
                continue  # the reader reports the broken line
            if isinstance(item, dict) and {"text", "entities", "relations"} <= item.keys():
                return "doccano"
            if isinstance(item, dict):
                return "native"
        return "native"
    if suffix == ".json":
        try:
            data = reading.parse_json(reading.read_text(path), file=str(path))
        except InputError:
            return "native"  # the native reader reports what is wrong
        tasks = data if isinstance(data, list) else [data]
        # A non-object task among them is the reader's to report, not a reason to misread
        # the file as native articles.
        if any(isinstance(t, dict) and ("data" in t or "annotations" in t
                                        or "predictions" in t) for t in tasks[:_LOOK_AT]):
            return "labelstudio"
        return "native"
    if suffix in NATIVE_SUFFIXES:
        return "native"
    return None


def _first_lines(path: Path, n: int) -> list[str]:
    """Up to `n` non-empty lines from the start of `path` (its byte-order mark honoured)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 20)
    except OSError:
        return []
    encoding, skip = reading.encoding_of(head)
    text = head[skip:].decode(encoding, errors="replace")
    lines = [line.rstrip("\r") for line in text.split("\n") if line.strip()]
    if len(head) == 1 << 20 and lines:
        lines = lines[:-1]  # maybe cut short
    return lines[:n]


def _first_line(path: Path) -> str:
    return next(iter(_first_lines(path, 1)), "")


def _table_kind(path: Path) -> str | None:
    from dashboard.formats import alliances

    first = _first_line(path)
    # Past a broken first line: a few of the first lines have GDELT's column count.
    if any(line.count("\t") + 1 in _GDELT_COLUMNS for line in _first_lines(path, _LOOK_AT)):
        return "gdelt"
    header = [h.strip().strip('"').lower() for h in first.split(",")]
    found = alliances.kind(header)
    if found is not None:
        return "atop" if found == "atop" else "cow"
    if {"source", "target", "relation"} <= set(header):
        return "csv"
    return None


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """The files named, or found below the folders named, that some format reads; a brat
    document counts once (by its .ann)."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p)
                           and not any(part.startswith(".")
                                       for part in p.relative_to(path).parts))
            if not found:
                errors.append(InputError("the folder holds no file of a format Alliance Atlas "
                                         "reads (see docs/formats.md)", file=str(path)))
            files.extend(found)
        elif path.is_file():
            files.append(path.with_suffix(".ann") if path.suffix.lower() == ".txt"
                         and path.with_suffix(".ann").is_file() else path)
        else:
            errors.append(InputError("no such file or folder", file=str(path)))
    return files, errors


def _wanted(path: Path) -> bool:
    if is_sidecar(path) or path.name == "annotation.conf":
        return False
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return False  # read through its .ann; a lone text file is raw (ingest --annotate)
    return suffix in (*NATIVE_SUFFIXES, ".ann", *_TABLE_SUFFIXES)


def read(path: Path, fmt: str, defaults: Defaults = NO_DEFAULTS,
         registry: Registry | None = None, gdelt_seen: set[int] | None = None) -> Iterator:
    """The items of one file read as `fmt`."""
    from dashboard.formats import alliances, brat, csvedges, doccano, gdelt, labelstudio

    registry = registry or Registry.load()
    if fmt == "native":
        yield from read_records(path)
    elif fmt == "brat":
        yield from brat.read(path, defaults, registry)
    elif fmt == "labelstudio":
        yield from labelstudio.read(path, defaults, registry)
    elif fmt == "doccano":
        yield from doccano.read(path, defaults, registry)
    elif fmt == "csv":
        yield from csvedges.read(path, defaults, registry)
    elif fmt == "gdelt":
        yield from gdelt.read(path, registry, gdelt_seen)
    elif fmt in ("atop", "cow"):
        yield from alliances.read(path, registry)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def items(paths: Iterable[str | Path], fmt: str | None = None,
          defaults: Defaults = NO_DEFAULTS, *,
          progress: Callable[[int, int], None] | None = None) -> Iterator:
    """Everything under `paths`, each file read as `fmt` or as the format it is recognised
    as; a file of no known format is an `InputError` item."""
    files, errors = discover(paths)
    yield from errors
    registry = Registry.load()
    seen: set[int] = set()  # GLOBALEVENTIDs repeat across the files of a day
    for n, path in enumerate(files, start=1):
        chosen = fmt or detect(path)
        if chosen is None:
            yield InputError(f"cannot tell the format of this '{path.suffix}' file: name it "
                             f"with --format ({', '.join(FORMATS)})", file=str(path))
        else:
            yield from read(path, chosen, defaults, registry, seen)
        if progress:
            progress(n, len(files))


def all_native(paths: Iterable[str | Path]) -> bool:
    """Whether every file under `paths` is in the native format (so the plain ingest fits)."""
    files, _ = discover(paths)
    return all(detect(p) == "native" for p in files)
