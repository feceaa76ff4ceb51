"""Raw inputs, local or on any fsspec filesystem, cut into chunks a worker annotates alone.

* a `.jsonl` file of raw records (the `annotate --jsonl` contract) is cut every `size` lines;
  the planner reads it once to find the line boundaries, and a worker reads its byte range;
* a `.parquet` file with the same columns (id, text, published; title, url, publisher
  optional) is cut at row-group boundaries, from its footer alone;
* text, Markdown, HTML and `.json` files (with their `NAME.meta.yaml` sidecars) are grouped
  `size` files to a chunk, in name order.

A chunk's id hashes its input, its place in it and the batch's defaults (`--published`...),
so the same run plans the same chunks and writes the same file names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import fsspec
import pyarrow.parquet as pq

from dashboard.annotator import sources
from dashboard.errors import InputError

PARQUET_COLUMNS = ("id", "text", "published", "title", "url", "publisher")


@dataclass(frozen=True)
class Defaults:
    """The batch's metadata for inputs that carry none (the command line's options)."""

    published: dt.date | None = None
    publisher: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Chunk:
    id: str
    kind: str  # "jsonl", "parquet" or "files"
    source: str  # the input's URL (the first file's, for "files")
    where: str  # where in it, for people: "lines 1-1000", "row groups 0-3", "12 files"
    start: int = 0  # jsonl: first byte; parquet: index of the first row (0-based)
    end: int = 0  # jsonl: byte after the last; parquet: unused
    first_line: int = 1
    row_groups: tuple[int, ...] = ()
    files: tuple[str, ...] = ()
    defaults: Defaults = Defaults()
    storage_options: tuple = ()


def plan(paths: Iterable[str], size: int, defaults: Defaults = Defaults(),
         storage_options: tuple = ()) -> tuple[list[Chunk], list[InputError]]:
    """The chunks of every input named (files, or folders searched recursively)."""
    chunks: list[Chunk] = []
    errors: list[InputError] = []
    loose: list[str] = []
    for url in _discover(paths, errors, storage_options):
        lower = url.lower()
        if lower.endswith(".jsonl"):
            chunks.extend(_jsonl_chunks(url, size, defaults, storage_options, errors))
        elif lower.endswith(".parquet"):
            chunks.extend(_parquet_chunks(url, size, defaults, storage_options, errors))
        else:
            loose.append(url)
    for i in range(0, len(loose), size):
        files = tuple(loose[i:i + size])
        chunks.append(Chunk(_chunk_id("files", *files, defaults), "files", files[0],
                            f"{len(files)} file(s) from {files[0]}", files=files,
                            defaults=defaults, storage_options=storage_options))
    return chunks, errors


def _discover(paths: Iterable[str], errors: list[InputError],
              storage_options: tuple) -> list[str]:
    found: list[str] = []
    for raw in paths:
        raw = str(raw)
        try:
            fs, path = fsspec.core.url_to_fs(raw, **dict(storage_options))
        except (ValueError, ImportError) as exc:
            errors.append(InputError(f"cannot open: {exc}", file=raw))
            continue
        protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
        prefix = "" if protocol in ("file", "local") else f"{protocol}://"
        try:
            if fs.isdir(path):
                names = sorted(p for p in fs.find(path) if _accepts(p, path))
                if not names:
                    errors.append(InputError("holds no raw articles (.jsonl, .parquet, .txt, "
                                             ".md, .html, .json)", file=raw))
                found.extend(prefix + p for p in names)
            elif fs.exists(path):
                found.append(raw if prefix else path)
            else:
                errors.append(InputError("no such file or folder", file=raw))
        except OSError as exc:
            errors.append(InputError(f"cannot read: {exc}", file=raw))
    return found


def _accepts(path: str, root: str) -> bool:
    relative = path[len(root.rstrip("/")) + 1:]
    if any(part.startswith(".") for part in relative.split("/")):
        return False
    name = path.rsplit("/", 1)[-1].lower()
    return (name.endswith(sources.RAW_SUFFIXES) or name.endswith(".parquet")) \
        and not name.endswith(sources.META_SUFFIXES)


def _chunk_id(kind: str, *parts: object) -> str:
    return hashlib.sha256("\x1f".join([kind, *map(repr, parts)]).encode()).hexdigest()[:20]


def _jsonl_chunks(url, size, defaults, storage_options, errors) -> list[Chunk]:
    chunks = []
    try:
        with fsspec.open(url, "rb", **dict(storage_options)) as fh:
            start = offset = 0
            first = line = 1
            count = 0
            for raw in fh:
                offset += len(raw)
                count += raw.strip() != b""
                line += 1
                if count == size:
                    chunks.append(_jsonl_chunk(url, start, offset, first, line - 1, defaults,
                                               storage_options))
                    start, first, count = offset, line, 0
            if count:
                chunks.append(_jsonl_chunk(url, start, offset, first, line - 1, defaults,
                                           storage_options))
    except OSError as exc:
        errors.append(InputError(f"cannot read: {exc}", file=url))
        return []
    return chunks


def _jsonl_chunk(url, start, end, first, last, defaults, storage_options) -> Chunk:
    return Chunk(_chunk_id("jsonl", url, start, end, defaults), "jsonl", url,
                 f"lines {first}-{last}", start=start, end=end, first_line=first,
                 defaults=defaults, storage_options=storage_options)


def _parquet_chunks(url, size, defaults, storage_options, errors) -> list[Chunk]:
    try:
        with fsspec.open(url, "rb", **dict(storage_options)) as fh:
            meta = pq.ParquetFile(fh).metadata
            schema = meta.schema.to_arrow_schema()
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds on a bad file
        errors.append(InputError(f"not a readable Parquet file ({exc}); skipped", file=url))
        return []
    missing = [c for c in ("id", "text") if c not in schema.names]
    if missing:
        errors.append(InputError("the Parquet file has no such column; skipped", file=url,
                                 field=missing[0]))
        return []
    chunks, groups, rows, first = [], [], 0, 0
    for group in range(meta.num_row_groups):
        groups.append(group)
        rows += meta.row_group(group).num_rows
        if rows >= size or group == meta.num_row_groups - 1:
            chunks.append(Chunk(_chunk_id("parquet", url, tuple(groups), defaults), "parquet",
                                url, f"rows {first + 1}-{first + rows}", start=first,
                                row_groups=tuple(groups), defaults=defaults,
                                storage_options=storage_options))
            first += rows
            groups, rows = [], 0
    return chunks


# --- a chunk read back (on the worker) ------------------------------------------------------

def documents(chunk: Chunk) -> Iterator[sources.RawDoc | InputError]:
    d = chunk.defaults
    meta = {"published": d.published, "publisher": d.publisher, "title": d.title}
    if chunk.kind == "jsonl":
        yield from sources.documents(chunk.source, _jsonl_items(chunk), **meta)
    elif chunk.kind == "parquet":
        yield from sources.documents(chunk.source, _parquet_items(chunk), **meta)
    else:
        for url in chunk.files:
            yield from _file_documents(url, chunk, meta)


def _jsonl_items(chunk: Chunk) -> list[tuple[str, object]]:
    with fsspec.open(chunk.source, "rb", **dict(chunk.storage_options)) as fh:
        fh.seek(chunk.start)
        data = fh.read(chunk.end - chunk.start)
    items: list[tuple[str, object]] = []
    # Decoded line by line: one line that is not UTF-8 is that line's error alone.
    for lineno, raw in enumerate(data.split(b"\n"), start=chunk.first_line):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            items.append((f"line {lineno}", InputError(
                f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=chunk.source,
                record=f"line {lineno}")))
            continue
        items.extend(sources.jsonl_items(chunk.source, line, first_line=lineno))
    return items


def _parquet_items(chunk: Chunk) -> Iterator[tuple[str, object]]:
    row = chunk.start
    with fsspec.open(chunk.source, "rb", **dict(chunk.storage_options)) as fh:
        parquet = pq.ParquetFile(fh)
        columns = [c for c in PARQUET_COLUMNS if c in parquet.schema_arrow.names]
        for group in chunk.row_groups:
            n = parquet.metadata.row_group(group).num_rows
            try:
                records = parquet.read_row_group(group, columns=columns).to_pylist()
            except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds
                yield (f"rows {row + 1}-{row + n}", InputError(
                    f"cannot be read ({exc}); skipped", file=chunk.source,
                    record=f"rows {row + 1}-{row + n}"))
                row += n
                continue
            for record in records:
                row += 1
                published = record.get("published")
                if isinstance(published, dt.datetime):
                    record["published"] = published.date().isoformat()
                elif isinstance(published, dt.date):
                    record["published"] = published.isoformat()
                yield (f"row {row}", {k: v for k, v in record.items() if v is not None})


def _file_documents(url: str, chunk: Chunk, meta: dict
                    ) -> Iterator[sources.RawDoc | InputError]:
    fs, path = fsspec.core.url_to_fs(url, **dict(chunk.storage_options))
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    if protocol in ("file", "local"):
        yield from sources.read(Path(path), **meta)
        return
    # The readers (and the sidecar lookup) work on local files: fetch the file and its
    # sidecars, read them there, and name the remote file in what comes out.
    with tempfile.TemporaryDirectory(prefix="atlas-lake-") as tmp:
        name = path.rsplit("/", 1)[-1]
        local = os.path.join(tmp, name)
        try:
            fs.get_file(path, local)
            for suffix in sources.META_SUFFIXES:
                if fs.exists(path + suffix):
                    fs.get_file(path + suffix, local + suffix)
        except OSError as exc:
            yield InputError(f"cannot read: {exc}", file=url)
            return
        for doc in sources.read(Path(local), **meta):
            if isinstance(doc, InputError):
                file = url if doc.file and doc.file.startswith(local) else doc.file
                yield InputError(doc.reason, file=(file or url).replace(local, url),
                                 record=doc.record, field=doc.field)
            else:
                doc.file = url
                yield doc
