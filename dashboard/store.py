"""The DuckDB store: tables for articles, mentions, actors and edges, and the ingest that fills it.

Why ingest writes a copy: DuckDB lets several processes read a file or one process write it,
never both at once. The app holds read-only connections while it serves, so an ingest works on
a private copy of the store and, once its single transaction has committed, atomically renames
the copy over the original. Readers keep the old file until they reopen (the app reopens when
the file's identity changes); a crash at any point leaves either the old store or the new one,
never a mix. A lock file serialises concurrent ingests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.edges import EDGE_COLUMNS, MENTION_COLUMNS, ArticleRejected, Derived, derive
from dashboard.errors import InputError, StoreError
from dashboard.loaders import Record, discover, read_records
from dashboard.registry import Registry

SCHEMA_VERSION = "1"
BATCH_ARTICLES = 5000

DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR, title VARCHAR, published DATE, publisher VARCHAR, url VARCHAR, text VARCHAR,
    language VARCHAR, source_file VARCHAR, content_hash VARCHAR, ingested_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS actors (id VARCHAR, name VARCHAR, kind VARCHAR, full_name VARCHAR);
CREATE TABLE IF NOT EXISTS mentions (
    article_id VARCHAR, start_offset INTEGER, end_offset INTEGER, actor_id VARCHAR,
    surface VARCHAR);
CREATE TABLE IF NOT EXISTS edges (
    article_id VARCHAR, source VARCHAR, target VARCHAR, relation VARCHAR, stance VARCHAR,
    directed BOOLEAN, date DATE, publisher VARCHAR, evidence VARCHAR, evidence_start INTEGER,
    evidence_end INTEGER, cue_start INTEGER, cue_end INTEGER, confidence DOUBLE,
    annotator VARCHAR, rule VARCHAR, statements INTEGER);
"""
ARTICLE_COLUMNS = ("id", "title", "published", "publisher", "url", "text", "language",
                   "source_file", "content_hash", "ingested_at")
TABLES = ("meta", "articles", "actors", "mentions", "edges")


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    edges_written: int = 0
    rejected: list[InputError] = field(default_factory=list)
    rejected_records: int = 0

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.rejected_records} rejected ({self.edges_written} edges written)")


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to an existing store, or a `StoreError` saying what is wrong."""
    if not path.is_file():
        raise StoreError(f"no store at {path}: run `alliance-atlas ingest data/demo` "
                         "(or `alliance-atlas serve`, which builds the demo store) first")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"cannot open the store {path}: {exc}") from exc
    try:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"{path} is not an Alliance Atlas store") from exc
    if version is None or version[0] != SCHEMA_VERSION:
        con.close()
        raise StoreError(f"{path} was written by another version of Alliance Atlas "
                         f"(schema {version[0] if version else '?'}, expected "
                         f"{SCHEMA_VERSION}): ingest the articles into a new store")
    return con


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Writer:
    """Opens the private copy of the store lazily: an ingest that changes nothing copies
    nothing and leaves the store's file untouched."""

    def __init__(self, path: Path, registry: Registry) -> None:
        self.path = path
        self.tmp = path.with_name(f"{path.name}.ingest-{os.getpid()}.tmp")
        self.registry = registry
        self.con: duckdb.DuckDBPyConnection | None = None

    def open(self) -> duckdb.DuckDBPyConnection:
        if self.con is None:
            self.tmp.unlink(missing_ok=True)
            if self.path.is_file():
                shutil.copyfile(self.path, self.tmp)
            self.con = duckdb.connect(str(self.tmp))
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute(DDL)
            self.con.execute("DELETE FROM meta")
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            self.con.execute("DELETE FROM actors")
            actors = pd.DataFrame([(a.id, a.name, a.kind.value, a.full_name)
                                   for a in self.registry.actors.values()],
                                  columns=["id", "name", "kind", "full_name"])
            self.con.register("new_actors", actors)
            self.con.execute("INSERT INTO actors SELECT * FROM new_actors")
            self.con.unregister("new_actors")
        return self.con

    def write(self, batch: list[tuple[Derived, str, str]], replaced: list[str]) -> int:
        con = self.open()
        if replaced:
            ids = pd.DataFrame({"id": replaced})
            con.register("replaced_ids", ids)
            for table, key in (("articles", "id"), ("mentions", "article_id"),
                               ("edges", "article_id")):
                con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM replaced_ids)")
            con.unregister("replaced_ids")
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        articles = pd.DataFrame(
            [(d.article.id, d.article.title, d.article.published, d.article.publisher,
              d.article.url, d.article.text, d.article.language, source_file, digest, now)
             for d, source_file, digest in batch], columns=list(ARTICLE_COLUMNS))
        mentions = pd.DataFrame([m for d, _, _ in batch for m in d.mentions],
                                columns=list(MENTION_COLUMNS))
        edges = pd.DataFrame([e for d, _, _ in batch for e in d.edges],
                             columns=list(EDGE_COLUMNS))
        for table, frame in (("articles", articles), ("mentions", mentions), ("edges", edges)):
            if len(frame):
                con.register("incoming", frame)
                con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
                con.unregister("incoming")
        return len(edges)

    def commit(self) -> None:
        if self.con is None:
            return
        self.con.execute("COMMIT")
        self.con.execute("CHECKPOINT")
        self.con.close()
        self.con = None
        with open(self.tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(self.tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def abandon(self) -> None:
        if self.con is not None:
            with contextlib.suppress(duckdb.Error):
                self.con.close()
            self.con = None
        self.tmp.unlink(missing_ok=True)
        self.tmp.with_name(self.tmp.name + ".wal").unlink(missing_ok=True)


def _stored_hashes(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    con = connect_read_only(path)
    try:
        return dict(con.execute("SELECT id, content_hash FROM articles").fetchall())
    finally:
        con.close()


def ingest(paths: Iterable[str | Path], db_path: Path, *, registry: Registry | None = None,
           progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Add or replace the articles found under `paths` in the store at `db_path`.

    Unchanged articles are skipped; a changed article's old rows are replaced. Rejected
    records are reported and leave whatever the store held for them untouched. All of it
    lands in one transaction, or none of it does.
    """
    files, errors = discover(paths)

    def records() -> Iterator[Record]:
        for n, path in enumerate(files, start=1):
            yield from read_records(path)
            if progress:
                progress(n, len(files))

    report = ingest_records(records(), Path(db_path), registry=registry)
    report.rejected[:0] = errors
    report.rejected_records += len(errors)
    return report


def ingest_records(records: Iterable[Record], db_path: Path, *,
                   registry: Registry | None = None) -> IngestReport:
    """`ingest` for records that come from elsewhere (the annotator, other formats)."""
    registry = registry or Registry.load()
    report = IngestReport()
    with _writer_lock(db_path):
        for stale in db_path.parent.glob(f"{db_path.name}.ingest-*.tmp*"):
            stale.unlink(missing_ok=True)  # left by an ingest that was killed
        stored = _stored_hashes(db_path)
        seen: dict[str, tuple[str, str]] = {}
        writer = _Writer(db_path, registry)
        batch: list[tuple[Derived, str, str]] = []
        replaced: list[str] = []
        try:
            for record in records:
                _take(record, registry, stored, seen, batch, replaced, report)
                if len(batch) >= BATCH_ARTICLES:
                    report.edges_written += writer.write(batch, replaced)
                    batch, replaced = [], []
            if batch:
                report.edges_written += writer.write(batch, replaced)
            writer.commit()
        except BaseException:
            writer.abandon()
            raise
    return report


def _take(record: Record, registry: Registry, stored: dict[str, str],
          seen: dict[str, tuple[str, str]], batch: list, replaced: list[str],
          report: IngestReport) -> None:
    if record.article is None:
        report.rejected.extend(record.errors)
        report.rejected_records += 1
        return
    article = record.article
    digest = article.content_hash()
    if article.id in seen:
        first_file, first_digest = seen[article.id]
        if first_digest != digest:
            report.rejected.append(InputError(
                f"duplicate id with different content (first seen in {first_file}); "
                "give one of them another id", file=record.file, record=record.label,
                field="id"))
            report.rejected_records += 1
        else:
            report.unchanged += 1
        return
    try:
        derived = derive(article, registry, file=record.file, record=record.label)
    except ArticleRejected as exc:
        report.rejected.extend(exc.errors)
        report.rejected_records += 1
        return
    seen[article.id] = (record.file, digest)
    previous = stored.get(article.id)
    if previous == digest:
        report.unchanged += 1
        return
    if previous is None:
        report.added += 1
    else:
        report.updated += 1
        replaced.append(article.id)
    batch.append((derived, record.file, digest))


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
