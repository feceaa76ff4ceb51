"""The app's view of the store: one read-only connection per store file
(`dashboard.queries.connect`), reopened when an ingest has replaced the file, and query results
cached per store version. Every page's data is a `dashboard.queries` builder run here (`fetch`),
the same builders the exports run.

An ingest never writes the served file in place: it builds a new file and renames it over the
old one (see `dashboard.store`). A connection opened before keeps reading the old, now unlinked
file, so every script run compares the file's identity (inode, mtime, size) with the one the
connection was opened on and reopens when it differs. The identity is also part of every
cache key, so a new store never serves results computed from the old one.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.errors import StoreError
from dashboard.paths import default_db_path
from dashboard.store import connect_read_only


class StoreIdentity(NamedTuple):
    # A NamedTuple, not a dataclass: st.cache_data hashes tuples natively.
    path: str
    inode: int
    mtime_ns: int
    size: int


def identify(path: Path) -> StoreIdentity:
    """The identity of the store file now, or the store's own `StoreError` if it is missing."""
    try:
        st_ = os.stat(path)
    except FileNotFoundError:
        connect_read_only(path)  # raises the StoreError that tells the user what to run
        raise  # pragma: no cover - connect_read_only always raises for a missing file
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc.strerror}") from exc
    return StoreIdentity(str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size)


class StoreHandle:
    """A connection to one store path that follows the file across atomic replacements.

    DuckDB connections must not be shared between threads for concurrent queries, and
    Streamlit runs each session's script in its own thread, so each thread gets its own cursor
    (cheap, and it shares the connection's database instance and buffer cache)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: StoreIdentity | None = None
        self._generation = 0
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._local = threading.local()

    @property
    def identity(self) -> StoreIdentity | None:
        return self._identity

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the current store file, reopening it if it was replaced."""
        current = identify(self.path)
        with self._lock:
            if self._con is None or current != self._identity:
                self._reopen(current)
            if getattr(self._local, "generation", None) != self._generation:
                self._local.cursor = self._con.cursor()
                self._local.generation = self._generation
                self._cursors.append(self._local.cursor)
            return self._local.cursor

    def _reopen(self, identity: StoreIdentity) -> None:
        self.close_locked()
        # Opening reads nothing yet: the rollups were built by the ingest.
        self._con = queries.connect(self.path)
        self._identity = identity
        self._generation += 1

    def close_locked(self) -> None:
        # Closing releases the replaced file: until then its disk space stays allocated.
        for cur in self._cursors:
            cur.close()
        self._cursors.clear()
        if self._con is not None:
            self._con.close()
        self._con = None
        self._identity = None

    def close(self) -> None:
        with self._lock:
            self.close_locked()


def _release(handle: StoreHandle) -> None:
    handle.close()


@st.cache_resource(show_spinner=False, on_release=_release)
def _handle(path: str) -> StoreHandle:
    return StoreHandle(Path(path))


def store_path() -> Path:
    return default_db_path()


def current_identity() -> StoreIdentity:
    return identify(store_path())


def _on_cursor(read: Callable[[duckdb.DuckDBPyConnection], pd.DataFrame],
               identity: StoreIdentity) -> pd.DataFrame:
    handle = _handle(identity.path)
    try:
        return read(handle.cursor())
    except duckdb.ConnectionException:
        # Another session reopened the store between our cursor() and the query, closing the
        # connection under us; one retry picks up the new one.
        return read(handle.cursor())


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(sql: str, params: tuple, identity: StoreIdentity) -> pd.DataFrame:
    return _on_cursor(lambda cursor: queries.run(cursor, (sql, list(params))), identity)


def fetch(query: queries.Query, identity: StoreIdentity) -> pd.DataFrame:
    """The result of a `queries` builder, cached per (sql, params, store identity)."""
    sql, params = query
    return _cached(sql, tuple(params), identity)


def strongest_evidence(filters: queries.Filters, limit: int, identity: StoreIdentity,
                       involving: str | None = None) -> pd.DataFrame:
    """The sentences behind the heaviest edges (of one actor when named), two each."""
    return fetch(queries.evidence(filters, limit, strongest=True, involving=involving),
                 identity)


def pair_evidence(filters: queries.Filters, pair: tuple[str, str], limit: int,
                  identity: StoreIdentity) -> pd.DataFrame:
    """The newest sentences behind a pair's edges (either direction)."""
    return fetch(queries.evidence(filters, limit, pair=pair), identity)


def timeline(filters: queries.Filters, freq: str, identity: StoreIdentity,
             involving: str | None = None, pair: tuple[str, str] | None = None
             ) -> pd.DataFrame:
    """Events per period and relation type, of one actor or pair when named."""
    return fetch(queries.timeline(filters, freq, involving=involving, pair=pair), identity)


def mentions(article_ids, identity: StoreIdentity) -> dict[str, list[tuple[int, int, str]]]:
    """{article id: [(start, end, actor id), ...]} of these articles, for marking names in
    evidence cards."""
    rows = fetch(queries.mentions_in(sorted(set(article_ids))), identity)
    found: dict[str, list[tuple[int, int, str]]] = {}
    for article, start, end, actor in zip(rows["article_id"], rows["start_offset"],
                                          rows["end_offset"], rows["actor_id"], strict=True):
        if pd.notna(start) and pd.notna(end):
            found.setdefault(article, []).append((int(start), int(end), actor))
    return found


# Two workers: a page asks for at most two things ahead (see `prefetch`), and the machine the
# benchmarks run on has two cores. Their threads keep one cursor each, like the sessions'.
_WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="atlas-prefetch")


def prefetch(compute: Callable[..., object], *args) -> None:
    """Start `compute(*args)`, a cached function (`fetch`, `network.blocs`, ...), on a worker
    thread and return at once. The page goes on with other work and later calls the same
    function with the same arguments, which returns the cached result, or waits for the
    worker to finish it (Streamlit computes a cache entry once, holding a lock per key).

    A page uses this for what it needs later but can already name: DuckDB releases the GIL
    while it runs a query, so a query runs on the second core while the page computes in
    Python, and a filter change waits for the longer of the two, not for their sum. The
    worker runs outside the session's script run, so `compute` must show nothing itself (ours
    are data functions with `show_spinner=False`). Errors are left for the page's own call to
    raise where it can show them."""

    def work() -> None:
        with contextlib.suppress(Exception):
            compute(*args)

    _WORKERS.submit(work)


def prefetch_cards(read: Callable[..., pd.DataFrame], *args, identity: StoreIdentity) -> None:
    """`prefetch` of evidence rows, `read(*args)` (`pair_evidence`, `strongest_evidence`),
    and then, on the same worker, of the mentions their cards mark (`mentions`), which
    `dashboard.ui.evidence.show` asks for next: both queries then run while the page computes,
    instead of the second one after it."""

    def cards() -> None:
        rows = read(*args)
        if not rows.empty:
            mentions(rows["article_id"], identity)

    prefetch(cards)
