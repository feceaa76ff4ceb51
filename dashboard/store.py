"""The DuckDB store (its tables: `dashboard.schema`) and the ingest that fills it.

An ingest works on a private copy of the store, commits there batch by batch (which bounds
DuckDB's memory), derives the rollups the app reads (`dashboard.rollups`) and atomically
renames the copy over the original: readers keep the old file until they reopen, and a crash
at any point leaves the old store or the new one, never a mix (docs/architecture.md). A lock
serialises concurrent ingests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import shutil
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
from filelock import FileLock

from dashboard import rollups
from dashboard.edges import ArticleRejected, derive
from dashboard.errors import InputError, StoreError
from dashboard.loaders import Known, Prepared, Record, Skipped, TreatySet, discover, read_records
from dashboard.registry import Registry
from dashboard.schema import TABLES, ddl

SCHEMA_VERSION = "4"
# Schema 1 lacked `articles.origin`, `gdelt_events` and `treaties`; schema 2 the rollups and
# `articles.raw_hash`; schema 3 the event type and CAMEO code in the rollups' `facts`. An
# ingest upgrades them all.
UPGRADABLE = ("1", "2", "3")
BATCH_ARTICLES = 5000
# A prepared article (a GDELT event) is about a tenth of a native one in rows and bytes, so a
# batch holds ten times as many of them: fewer commits for a whole-day file.
_BATCH_UNITS = BATCH_ARTICLES * 10
# DuckDB's memory in the ingest: enough for a batch and for deriving the rollups of a few
# million edges, which spill to a temporary folder beyond it.
_WRITER_MEMORY = "512MB"

# An article waiting in a batch: its articles row but `ingested_at` (origin and raw hash
# last), its mentions, its edges and its side-table rows as (table, row) pairs.
_Pending = tuple[tuple, list[tuple], list[tuple], tuple[tuple[str, tuple], ...]]


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    edges_written: int = 0
    rejected: list[InputError] = field(default_factory=list)
    rejected_records: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    treaty_pairs: int = 0
    treaty_sets_unchanged: int = 0
    warnings: list[InputError] = field(default_factory=list)  # kept, worth a look

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        text = (f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.rejected_records} rejected ({self.edges_written} edges written)")
        if self.skipped:
            reasons = "; ".join(f"{n:,} {reason}" for reason, n in self.skipped.most_common())
            text += f"\nskipped {sum(self.skipped.values()):,} rows: {reasons}"
        for warning in self.warnings[:20]:
            text += f"\nwarning: {warning}"
        if len(self.warnings) > 20:
            text += f"\n... and {len(self.warnings) - 20:,} more warnings"
        if self.treaty_pairs or self.treaty_sets_unchanged:
            text += (f"\ntreaties: {self.treaty_pairs:,} member pairs written, "
                     f"{self.treaty_sets_unchanged} datasets unchanged")
        return text


def connect_read_only(path: Path, *, upgradable: bool = False) -> duckdb.DuckDBPyConnection:
    """A read-only connection to an existing store, or a `StoreError` saying what is wrong.

    With `upgradable`, a store of an older schema that an ingest can upgrade is accepted too."""
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
    if version is not None and version[0] in UPGRADABLE and not upgradable:
        con.close()
        raise StoreError(f"{path} was written by an earlier version of Alliance Atlas "
                         f"(schema {version[0]}): run `alliance-atlas ingest` on any of its "
                         "articles (or on data/demo) to upgrade it in place")
    if version is None or (version[0] != SCHEMA_VERSION and version[0] not in UPGRADABLE):
        con.close()
        raise StoreError(f"{path} was written by another version of Alliance Atlas "
                         f"(schema {version[0] if version else '?'}, expected "
                         f"{SCHEMA_VERSION}): ingest the articles into a new store")
    return con


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """Ingests of one store run one after the other. The lock file is removed while the lock
    is still held: an ingest waiting on it then finds its file unlinked and locks a new one
    (filelock checks for that), and no empty file stays beside the store."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with FileLock(lock_path):
        try:
            yield
        finally:
            # Windows cannot unlink an open file; filelock removes it there on release.
            with contextlib.suppress(OSError):
                lock_path.unlink(missing_ok=True)


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
            self.con = duckdb.connect(str(self.tmp), config={"memory_limit": _WRITER_MEMORY})
            self.con.execute("SET enable_progress_bar = false")
            self.con.execute("BEGIN TRANSACTION")
            self.con.execute(ddl())
            # Articles of a schema-1 store were all read from the native format.
            self.con.execute("UPDATE articles SET origin = 'native' WHERE origin IS NULL")
            self.con.execute("DELETE FROM meta WHERE key = 'schema_version'")
            self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
            self.con.execute("DELETE FROM actors")
            actors = pd.DataFrame([(a.id, a.name, a.kind.value, a.full_name)
                                   for a in self.registry.actors.values()],
                                  columns=["id", "name", "kind", "full_name"])
            self.con.register("new_actors", actors)
            self.con.execute("INSERT INTO actors SELECT * FROM new_actors")
            self.con.unregister("new_actors")
        return self.con

    def write(self, batch: list[_Pending], replaced: list[str],
              treaties: list[TreatySet] = (), raw_updates: list[tuple[str, str]] = ()) -> int:
        con = self.open()
        if raw_updates:
            con.register("raw_updates", pd.DataFrame(raw_updates, columns=["id", "raw_hash"]))
            con.execute("UPDATE articles SET raw_hash = r.raw_hash FROM raw_updates r "
                        "WHERE articles.id = r.id")
            con.unregister("raw_updates")
        if replaced:
            ids = pd.DataFrame({"id": replaced})
            con.register("replaced_ids", ids)
            for table, key in (("articles", "id"), ("mentions", "article_id"),
                               ("edges", "article_id"), *((t, "article_id")
                                                          for t in SIDE_TABLES)):
                con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM replaced_ids)")  # noqa: S608
            con.unregister("replaced_ids")
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        articles = [(*article[:9], now, *article[9:]) for article, _, _, _ in batch]
        mentions = [m for _, article_mentions, _, _ in batch for m in article_mentions]
        edges = [e for _, _, article_edges, _ in batch for e in article_edges]
        side: dict[str, list[tuple]] = {table: [] for table in SIDE_TABLES}
        for _, _, _, extra in batch:
            for table, row in extra:
                side[table].append(row)
        for treaty_set in treaties:
            con.execute("DELETE FROM treaties WHERE source = ?", [treaty_set.source])
            con.execute("DELETE FROM meta WHERE key = ?", [_treaty_key(treaty_set.source)])
            con.execute("INSERT INTO meta VALUES (?, ?)",
                        [_treaty_key(treaty_set.source), _treaty_digest(treaty_set)])
        tables = [("articles", articles), ("mentions", mentions), ("edges", edges),
                  *((t, side[t]) for t in SIDE_TABLES), *(("treaties", t.rows) for t in treaties)]
        for table, rows in tables:
            if rows:
                con.register("incoming", _arrow(rows, TABLES[table]))
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")  # noqa: S608
                con.unregister("incoming")
        # Committing each batch bounds DuckDB's memory (a transaction keeps what it appended
        # in memory until it commits). The store itself still changes all at once: these
        # commits land in the private copy, which replaces the store only in `commit`, and
        # `abandon` throws the copy away.
        con.execute("COMMIT")
        con.execute("BEGIN TRANSACTION")
        return len(edges)

    def commit(self) -> None:
        if self.con is None:
            return
        # The rollups change with the store, in the same replacement: a reader never sees
        # one without the other, and no reader builds them.
        rollups.build(self.con)
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


# Tables of per-article extras a `Prepared` article may fill; replaced with their article.
SIDE_TABLES = ("gdelt_events",)
STORE_TABLES = tuple(TABLES)  # the rollups derived from them are `rollups.ROLLUP_TABLES`


def _arrow(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    """The rows (tuples in the schema's column order) as Arrow: faster than a pandas frame."""
    columns = zip(*rows, strict=True)
    return pa.Table.from_arrays([pa.array(column, type=f.type)
                                 for column, f in zip(columns, schema, strict=True)],
                                schema=schema)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """An ingest allocates millions of small objects that reference counting alone frees
    (validated models, rows); the cyclic collector would rescan the growing batch again and
    again, a large part of the ingest's time. It is paused for the ingest only."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _treaty_key(source: str) -> str:
    return f"treaties:{source}"


def _treaty_digest(treaty_set: TreatySet) -> str:
    return hashlib.sha256(repr(sorted(treaty_set.rows, key=repr)).encode()).hexdigest()


@dataclass
class _Stored:
    """What the store holds, to compare records with: content hashes by article id, the
    article id of each raw hash (the bytes an article was read from, where it had bytes of
    its own), the treaty datasets' digests and whether the store needs a schema upgrade."""

    content: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    treaties: dict[str, str] = field(default_factory=dict)
    outdated: bool = False


def _stored(path: Path) -> _Stored:
    if not path.is_file():
        return _Stored()
    con = connect_read_only(path, upgradable=True)
    try:
        version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        outdated = version[0] != SCHEMA_VERSION
        treaties = dict(con.execute("SELECT key, value FROM meta WHERE key LIKE 'treaties:%'")
                        .fetchall())
        content = dict(con.execute("SELECT id, content_hash FROM articles").fetchall())
        raw = {} if outdated else dict(con.execute(
            "SELECT raw_hash, id FROM articles WHERE raw_hash IS NOT NULL").fetchall())
        return _Stored(content, raw, treaties, outdated)
    finally:
        con.close()


def ingest(paths: Iterable[str | Path], db_path: Path, *, registry: Registry | None = None,
           progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Add or replace the articles found under `paths` in the store at `db_path`.

    Unchanged articles are skipped; a changed article's old rows are replaced. Rejected
    records are reported and leave whatever the store held for them untouched. All of it
    lands at once (the copy replaces the store in one rename), or none of it does.
    """
    files, errors = discover(paths)

    def records(known: Container[str]) -> Iterator[Record | Known]:
        # The records the store holds byte for byte are left unread (`Known`).
        for n, path in enumerate(files, start=1):
            yield from read_records(path, known)
            if progress:
                progress(n, len(files))

    report = ingest_records(records, Path(db_path), registry=registry)
    report.rejected[:0] = errors
    report.rejected_records += len(errors)
    return report


Item = Record | Known | Prepared | Skipped | TreatySet | InputError


def ingest_records(records: Iterable[Item] | Callable[[Container[str]], Iterable[Item]],
                   db_path: Path, *, registry: Registry | None = None,
                   before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None
                   ) -> IngestReport:
    """`ingest` for records that come from elsewhere (the annotator, other formats).

    Besides `Record`s it takes what the format readers of `dashboard.formats` yield: prepared
    store rows (`Prepared`), counts of rows left out on purpose (`Skipped`), whole treaty
    datasets (`TreatySet`) and errors of input that is not even a record (`InputError`). All
    of it lands in one atomic replacement of the store, like `ingest`. `records` may also be
    a function of the raw hashes the store holds, returning the records (`Known` for those
    it need not read). `before_commit` writes rows of its own (the fetch log of
    `dashboard.intake.log`) into the same replacement."""
    registry = registry or Registry.load()
    report = IngestReport()
    with _writer_lock(db_path):
        for stale in db_path.parent.glob(f"{db_path.name}.ingest-*.tmp*"):
            stale.unlink(missing_ok=True)  # left by an ingest that was killed
        held = _stored(db_path)
        stored, stored_treaties, outdated = held.content, held.treaties, held.outdated
        if callable(records):
            records = records(held.raw)
        seen: dict[str, tuple[str, str]] = {}
        raw_updates: list[tuple[str, str]] = []
        writer = _Writer(db_path, registry)
        batch: list[_Pending] = []
        replaced: list[str] = []
        treaties: list[TreatySet] = []
        units = 0
        in_flight: Future[int] | None = None
        try:
            # Leaving the `with` waits for a write still in flight, also on an error, so the
            # copy is never abandoned while the writer thread uses it.
            with _gc_paused(), ThreadPoolExecutor(1, thread_name_prefix="atlas-ingest") as pool:
                for item in records:
                    if isinstance(item, Prepared):
                        units += _take_prepared(item, stored, seen, batch, replaced, report)
                    elif isinstance(item, Known):
                        _take_known(item, held, seen, report)
                    elif isinstance(item, Record):
                        taken = _take(item, registry, stored, seen, batch, replaced, report)
                        units += 10 * taken
                        if not taken and _lacks_raw_hash(item, held, seen):
                            raw_updates.append((item.article.id, item.raw_hash))
                    elif isinstance(item, Skipped):
                        report.skipped[item.reason] += item.count
                    elif isinstance(item, TreatySet):
                        if stored_treaties.get(_treaty_key(item.source)) == \
                                _treaty_digest(item):
                            report.treaty_sets_unchanged += 1
                        else:
                            treaties.append(item)
                            report.treaty_pairs += len(item.rows)
                    else:
                        report.rejected.append(item)
                        report.rejected_records += 1
                    if units >= _BATCH_UNITS:
                        in_flight = _flush(pool, in_flight, writer, batch, replaced, report)
                        batch, replaced, units = [], [], 0
                if batch or treaties or (outdated and (stored or stored_treaties)):
                    # Unchanged articles whose raw hash the store lacks (stored before it
                    # kept them) get it when the store is written anyway.
                    in_flight = _flush(pool, in_flight, writer, batch, replaced, report,
                                       treaties, raw_updates)
                if in_flight is not None:
                    report.edges_written += in_flight.result()
            if before_commit is not None:
                before_commit(writer.open())
            writer.commit()
        except BaseException:
            writer.abandon()
            raise
    return report


def _flush(pool: ThreadPoolExecutor, in_flight: Future[int] | None, writer: _Writer,
           batch: list[_Pending], replaced: list[str], report: IngestReport,
           treaties: list[TreatySet] = (), raw_updates: list[tuple[str, str]] = ()
           ) -> Future[int]:
    """Hands a batch to the writer thread once it is done with the previous one. DuckDB works
    without holding the GIL, so writing one batch overlaps with reading the next."""
    if in_flight is not None:
        report.edges_written += in_flight.result()
    return pool.submit(writer.write, batch, replaced, list(treaties), list(raw_updates))


def _lacks_raw_hash(record: Record, held: _Stored, seen: dict[str, tuple[str, str]]) -> bool:
    """Whether `record`, unchanged, has a raw hash that the store does not hold for it."""
    article = record.article
    return (record.raw_hash is not None and article is not None
            and held.raw.get(record.raw_hash) != article.id
            and seen.get(article.id, ("", ""))[1] == held.content.get(article.id))


def _take_known(item: Known, held: _Stored, seen: dict[str, tuple[str, str]],
                report: IngestReport) -> None:
    """A record the store holds byte for byte: unchanged, unless another record of this
    ingest had its id with other content."""
    article_id = held.raw[item.raw_hash]
    digest = held.content[article_id]
    first = seen.setdefault(article_id, (item.file, digest))
    if first[1] == digest:
        report.unchanged += 1
    else:
        report.rejected.append(InputError(
            f"duplicate id with different content (first seen in {first[0]}); give one of "
            "them another id", file=item.file, record=item.label, field="id"))
        report.rejected_records += 1


def _take_prepared(item: Prepared, stored: dict[str, str], seen: dict[str, tuple[str, str]],
                   batch: list, replaced: list[str], report: IngestReport) -> int:
    article_id, digest = item.article[0], item.article[8]
    if article_id in seen:
        first_file, first_digest = seen[article_id]
        if first_digest != digest:
            report.rejected.append(InputError(
                f"duplicate id with different content (first seen in {first_file})",
                file=item.file, record=item.label, field="id"))
            report.rejected_records += 1
        else:
            report.unchanged += 1
        return 0
    if not _changed(article_id, digest, item.file, stored, seen, replaced, report):
        return 0
    batch.append(((*item.article, None), item.mentions, item.edges, item.extra))
    return 1


def _changed(article_id: str, digest: str, file: str, stored: dict[str, str],
             seen: dict[str, tuple[str, str]], replaced: list[str],
             report: IngestReport) -> bool:
    """Counts a valid article as added, updated or unchanged; True if it is to be written."""
    seen[article_id] = (file, digest)
    previous = stored.get(article_id)
    if previous == digest:
        report.unchanged += 1
        return False
    if previous is None:
        report.added += 1
    else:
        report.updated += 1
        replaced.append(article_id)
    return True


def _take(record: Record, registry: Registry, stored: dict[str, str],
          seen: dict[str, tuple[str, str]], batch: list, replaced: list[str],
          report: IngestReport) -> int:
    if record.article is None:
        report.rejected.extend(record.errors)
        report.rejected_records += 1
        return 0
    report.warnings.extend(record.warnings)
    article = record.article
    digest = article.content_hash()
    if record.origin != "native":
        # The same article read from another format is another record of it: re-reading it
        # from there updates the stored origin.
        digest = hashlib.sha256(f"{digest}:{record.origin}".encode()).hexdigest()
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
        return 0
    try:
        derived = derive(article, registry, file=record.file, record=record.label)
    except ArticleRejected as exc:
        report.rejected.extend(exc.errors)
        report.rejected_records += 1
        return 0
    if not _changed(article.id, digest, record.file, stored, seen, replaced, report):
        return 0
    # Only the rows are kept, not the validated model: a batch of models would take ~50 KB
    # per article.
    batch.append(((article.id, article.title, article.published, article.publisher,
                   article.url, article.text, article.language, record.file, digest,
                   record.origin, record.raw_hash), derived.mentions, derived.edges, ()))
    return 1


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in STORE_TABLES}  # noqa: S608
