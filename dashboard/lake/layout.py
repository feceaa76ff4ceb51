"""Where a lake keeps what, and how a file lands in it whole.

    DIR/articles/month=YYYY-MM/part-<chunk>.parquet   by the article's published month
    DIR/mentions/month=YYYY-MM/part-<chunk>.parquet   by the article's published month
    DIR/edges/month=YYYY-MM/part-<chunk>.parquet      by the edge's (event) date
    DIR/_chunks/<chunk>.json                          one chunk's manifest entry: its commit
    DIR/_manifest.json                                the run's summary, written last

A chunk is a stretch of one input (lines of a JSONL file, row groups of a Parquet file, a run
of text files); its id is a hash of where it comes from, so a rerun writes the same names and
replaces rather than duplicates. A chunk counts as written when its `_chunks/` entry exists;
the entry is written after all the chunk's files. Each file is written under a hidden
temporary name and renamed into place (on object stores, where one PUT is atomic, it is
written directly), so a reader never sees half a file. Names starting with `_` or `.` are
skipped by Spark, pyarrow and BigQuery's hive layout.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.errors import AtlasError
from dashboard.schema import TABLES as STORE_TABLES

FORMAT = "alliance-atlas-lake/1"
CHUNKS = "_chunks"
MANIFEST = "_manifest.json"

# The store's rows, column for column (`dashboard.schema`), as `dashboard.loaders.Prepared`
# carries them: an article without `ingested_at` and `raw_hash`, which the store fills in.
# The month is in the folder name only (hive partitioning).
_ARTICLES = STORE_TABLES["articles"]
SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([f for f in _ARTICLES if f.name not in ("ingested_at", "raw_hash")]),
    "mentions": STORE_TABLES["mentions"],
    "edges": STORE_TABLES["edges"],
}
TABLES = tuple(SCHEMAS)


class LakeError(AtlasError):
    """The lake or the cluster cannot be used (unreachable scheduler, unreadable folder)."""


@dataclass(frozen=True)
class Lake:
    """A lake's root on any fsspec filesystem (a local folder, s3://, gs://, abfs://)."""

    url: str
    storage_options: tuple = ()

    @property
    def fs(self) -> fsspec.AbstractFileSystem:
        fs, _ = fsspec.core.url_to_fs(self.url, **dict(self.storage_options))
        return fs

    @property
    def root(self) -> str:
        _, root = fsspec.core.url_to_fs(self.url, **dict(self.storage_options))
        return root.rstrip("/")

    @property
    def local(self) -> bool:
        return "file" in _protocols(self.fs)

    def path(self, *parts: str) -> str:
        return "/".join((self.root, *parts))

    def data_file(self, table: str, month: str, chunk: str) -> str:
        """The lake-relative name of one chunk's rows of one table and month."""
        return f"{table}/month={month}/part-{chunk}.parquet"

    def write_table(self, relative: str, table: pa.Table) -> None:
        target = self.path(relative)
        fs = self.fs
        fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        if not self.local:
            with fs.open(target, "wb") as fh:  # one PUT: the object appears whole or not
                pq.write_table(table, fh, compression="zstd")
            return
        folder, name = target.rsplit("/", 1)
        tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
        try:
            with open(tmp, "wb") as fh:
                pq.write_table(table, fh, compression="zstd")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def write_json(self, relative: str, data: dict) -> None:
        target = self.path(relative)
        fs = self.fs
        fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)
        if not self.local:
            fs.pipe_file(target, text.encode())
            return
        folder, name = target.rsplit("/", 1)
        tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)

    def read_json(self, relative: str) -> dict:
        with self.fs.open(self.path(relative), "rb") as fh:
            return json.loads(fh.read())

    def committed(self) -> dict[str, dict]:
        """The manifest entries of the chunks written so far, by chunk id."""
        fs = self.fs
        folder = self.path(CHUNKS)
        if not fs.exists(folder):
            return {}
        entries = {}
        for name in sorted(fs.ls(folder, detail=False)):
            base = name.rsplit("/", 1)[-1]
            if base.endswith(".json") and not base.startswith("."):
                with fs.open(name, "rb") as fh:
                    entry = json.loads(fh.read())
                entries[entry["chunk"]] = entry
        return entries

    def remove_stale_temporaries(self) -> int:
        """Deletes the temporary files of a run that was killed (local lakes only)."""
        if not self.local or not os.path.isdir(self.root):
            return 0
        removed = 0
        for folder, _, names in os.walk(self.root):
            for name in names:
                if name.startswith(".") and name.endswith(".tmp"):
                    os.unlink(os.path.join(folder, name))
                    removed += 1
        return removed


def _protocols(fs: fsspec.AbstractFileSystem) -> tuple[str, ...]:
    protocol = fs.protocol
    return (protocol,) if isinstance(protocol, str) else tuple(protocol)


def is_lake(url: str) -> bool:
    """Whether `url` is the root of a lake (it holds `_chunks/` or `_manifest.json`)."""
    try:
        fs, root = fsspec.core.url_to_fs(str(url))
        root = root.rstrip("/")
        return fs.exists(f"{root}/{MANIFEST}") or fs.isdir(f"{root}/{CHUNKS}")
    except (OSError, ValueError, ImportError):
        return False
