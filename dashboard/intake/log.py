"""The store's fetch log: one row per URL a `fetch` run tried, with what came of it.

The rows land in the same atomic store replacement as the run's articles
(`dashboard.store.ingest_records(..., before_commit=...)`), so the log never says an article
was fetched that the store does not hold. A later run reads the latest good row per URL for
its conditional GET (ETag, Last-Modified) and to recognise content it already has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.errors import StoreError
from dashboard.store import connect_read_only

TABLE = "fetches"
DDL = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    url VARCHAR, canonical_url VARCHAR, article_id VARCHAR, content_hash VARCHAR,
    etag VARCHAR, last_modified VARCHAR, fetched_at TIMESTAMP, outcome VARCHAR,
    reason VARCHAR, title VARCHAR)"""
COLUMNS = ("url", "canonical_url", "article_id", "content_hash", "etag", "last_modified",
           "fetched_at", "outcome", "reason", "title")
# Outcomes: "fetched" (handed to the ingest), "unchanged" (304, or the same text as before),
# "duplicate" (the same text as another URL's article), "skipped" (before --since),
# "feed" (a feed read for its entries), "for review" (fetched on the Annotate page, in the
# store only once saved there), "failed" (reason says why).
GOOD = ("fetched", "unchanged", "duplicate")


@dataclass(frozen=True)
class Entry:
    url: str
    canonical_url: str | None = None
    article_id: str | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    outcome: str = "fetched"
    reason: str | None = None
    title: str | None = None


@dataclass
class Known:
    """What earlier runs learnt: the latest good entry per URL and the article of each text."""

    by_url: dict[str, Entry]
    by_hash: dict[str, str]  # content hash -> article id
    by_canonical: dict[str, str]  # canonical URL -> content hash
    reviewed: set[str] = field(default_factory=set)  # articles a person reviewed: kept as is


def known(db_path: Path) -> Known:
    empty = Known({}, {}, {})
    if not Path(db_path).is_file():
        return empty
    try:
        con = connect_read_only(Path(db_path), upgradable=True)
    except StoreError:
        return empty
    try:
        reviewed = {r[0] for r in con.execute(
            "SELECT DISTINCT article_id FROM edges WHERE annotator = 'reviewed'").fetchall()}
        if not _has_table(con):
            return Known({}, {}, {}, reviewed)
        rows = con.execute(f"""
            SELECT url, canonical_url, article_id, content_hash, etag, last_modified, outcome
            FROM {TABLE} WHERE outcome IN ('fetched', 'unchanged', 'duplicate')
              AND article_id IN (SELECT id FROM articles)
            QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC) = 1
            """).fetchall()  # noqa: S608
    finally:
        con.close()
    result = Known({}, {}, {}, reviewed)
    for url, canonical, article_id, digest, etag, modified, outcome in rows:
        result.by_url[url] = Entry(url, canonical, article_id, digest, etag, modified, outcome)
        if digest:
            result.by_hash.setdefault(digest, article_id)
            if canonical:
                result.by_canonical[canonical] = digest
    return result


def writer(entries: Iterable[Entry]) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """What `ingest_records` calls on the store copy before committing it."""
    rows = list(entries)

    def write(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(DDL)
        if not rows:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        frame = pd.DataFrame([(e.url, e.canonical_url, e.article_id, e.content_hash, e.etag,
                               e.last_modified, now, e.outcome, e.reason, e.title)
                              for e in rows], columns=list(COLUMNS))
        con.register("new_fetches", frame)
        con.execute(f"INSERT INTO {TABLE} BY NAME SELECT * FROM new_fetches")  # noqa: S608
        con.unregister("new_fetches")

    return write


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    sql, params = has_table()
    return bool(con.execute(sql, params).fetchone()[0])


# --- queries for the Data page (SQL and parameters, run through the app's cached fetch) ------

def has_table() -> tuple[str, list]:
    return ("SELECT count(*) > 0 AS present FROM information_schema.tables "
            "WHERE table_name = ? AND table_catalog = current_database()", [TABLE])


def recent(limit: int = 200, *, failed_only: bool = False) -> tuple[str, list]:
    """The latest fetches, newest first (failures only with `failed_only`)."""
    where = "WHERE outcome = 'failed'" if failed_only else ""
    return (f"""SELECT fetched_at, outcome, url, title, reason, article_id
                FROM {TABLE} {where} ORDER BY fetched_at DESC, url LIMIT ?""",  # noqa: S608
            [int(limit)])
