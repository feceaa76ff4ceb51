"""The working set: what the app's queries run on (`connect`) and how a result is read
(`run`). No streamlit here.

The store's `edges` table keys everything by strings, and grouping a million rows by three
strings while counting distinct article ids took about a second. `connect` attaches the store
read-only to an in-memory DuckDB and builds, once per store file, a compact copy of what the
filters and aggregates touch (`facts`: integer codes for actors, edges, articles and
publishers, an enum for the relation, sorted by edge so the rows of one pair or actor sit
together). Nothing is approximated: an edge's weight is still the number of distinct articles
stating it. Most (article, edge) pairs have one row (`single`), so those rows are simply
counted, and only the rows of articles that state the same fact on several dates
(`multi_facts`) go through a distinct count.

Evidence cards never read `store.edges`: reading 30 scattered rows there decompresses a vector
of every column for each, 14 ms on a million edges. `row_texts` holds every row's sentence,
offsets and confidence uncompressed (about 130 MB on the synthetic million-edge store, the
working set's largest table), and reads them in 2 ms. Article bodies and mentions stay in the
store; an article's mentions are read by their run of row ids (`art_codes.m_first` to
`m_last`).

Tables: `actor_codes` (code, id, name, kind, articles), `pub_codes` (code, publisher,
articles), `art_codes` (code, id, published, pub, title, url: the few texts every evidence row
shows, about 60 bytes an article; m_first, m_last, m_scattered: where its mentions are),
`edge_codes` (edge, src, tgt, rel), `relation_info` (rel, stance, directed),
`relation_lists` (mask, relations: every set of relation types as its list), `facts` (edge,
art, src, tgt, rel, date, pub, ann, conf, single, erow = the row id in `store.edges`),
`row_texts` (erow and `TEXT_COLUMNS`), `multi_facts` (the rows of `facts` that are not
`single`, sorted by date) and `single_dates` (date, edge, rel of the `single` rows, sorted by
date, so the days of a date range are all that is read).

Three tables answer the filters that choose whole edges (relation types, stances, actors, a
minimum weight) without touching a single row of `facts`:
- `whole_edges`: the edge summary of the whole store (edge, rel, source, target, relation,
  stance, directed, weight = distinct articles, source_name, target_name), stored heaviest
  first, so a plain filter on it returns rows already in the summary's order;
- `edge_best`: the evidence cards (`CARD_COLUMNS`) of each edge's two most confident rows,
  newest first, with edge, nth, erow and rel: "strongest evidence" is a lookup of the top
  edges' rows (about 50k rows on a million edges);
- `edge_months`: edge, rel, month, events and singles (rows and `single` rows per edge and
  calendar month; 285k rows instead of 1M), for monthly, quarterly and yearly timelines and for
  the whole months inside a date range.
Other row filters (publishers, annotators, confidence) and weekly timelines go through `facts`.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.errors import StoreError
from dashboard.store import connect_read_only
from dashboard.taxonomy import RELATION_LISTS, RELATIONS, RelationType

_RELATION_VALUES = tuple(r.value for r in RelationType)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_REL_ENUM = ", ".join(_literal(r) for r in _RELATION_VALUES)
# `taxonomy.RELATION_LISTS` as rows; the enum lists the types in the same order, so a type's
# bit is its `enum_code`.
_RELATION_LIST_ROWS = ", ".join(f"({mask}, {_literal(relations)})"
                                for mask, relations in enumerate(RELATION_LISTS))
_RELATION_ROWS = ", ".join(
    f"({_literal(r.value)}, {_literal(i.stance.value)}, {str(not i.symmetric).upper()})"
    for r, i in RELATIONS.items())

# The columns of `store.edges` an evidence card shows that the codes in `facts` do not hold.
TEXT_COLUMNS = ("evidence", "evidence_start", "evidence_end", "cue_start", "cue_end",
                "source_start", "source_end", "target_start", "target_end", "confidence")

# An evidence card's columns, from rows `{p}` that carry the codes of `facts` (erow, art, date,
# pub, ann, src, tgt, rel): what `queries.evidence` returns and `edge_best` holds ready.
CARD_COLUMNS = """{p}.date, s.name AS source, t.name AS target,
           CAST({p}.rel AS VARCHAR) AS relation, pc.publisher, a.title, a.url, x.evidence,
           a.id AS article_id, s.id AS source_id, t.id AS target_id, x.confidence,
           {p}.ann AS annotator,
           x.evidence_start, x.evidence_end, x.cue_start, x.cue_end, x.source_start,
           x.source_end, x.target_start, x.target_end, ri.stance, ri.directed"""
CARD_JOINS = """JOIN row_texts x ON x.erow = {p}.erow
    JOIN art_codes a ON a.code = {p}.art
    JOIN pub_codes pc ON pc.code = {p}.pub
    JOIN actor_codes s ON s.code = {p}.src
    JOIN actor_codes t ON t.code = {p}.tgt
    JOIN relation_info ri ON ri.rel = {p}.rel"""

WORKING_SET = f"""
CREATE TYPE rel_t AS ENUM ({_REL_ENUM});
CREATE TABLE relation_info AS
    SELECT CAST(r AS rel_t) AS rel, s AS stance, d AS directed
    FROM (VALUES {_RELATION_ROWS}) v(r, s, d);
CREATE TABLE relation_lists AS
    SELECT CAST(m AS BIGINT) AS mask, r AS relations FROM (VALUES {_RELATION_LIST_ROWS}) v(m, r);
CREATE TABLE actor_codes AS
    WITH ends AS (SELECT source AS id, article_id FROM store.edges
                  UNION ALL SELECT target, article_id FROM store.edges),
    per AS (SELECT id, count(DISTINCT article_id) AS articles FROM ends GROUP BY id)
    SELECT CAST(row_number() OVER (ORDER BY per.id) AS INTEGER) AS code, per.id,
           coalesce(a.name, per.id) AS name, a.kind, per.articles
    FROM per LEFT JOIN (SELECT id, any_value(name) AS name, any_value(kind) AS kind
                        FROM store.actors GROUP BY id) a ON a.id = per.id;
CREATE TABLE pub_codes AS
    SELECT CAST(row_number() OVER (ORDER BY count(*) DESC, publisher) - 1 AS INTEGER) AS code,
           publisher, count(*) AS articles
    FROM store.articles GROUP BY publisher;
CREATE TABLE art_codes AS
    SELECT CAST(row_number() OVER (ORDER BY a.id) AS INTEGER) AS code, a.id, a.published,
           p.code AS pub, a.title, a.url, m.m_first, m.m_last,
           coalesce(m.m_last - m.m_first + 1 <> m.mentions, false) AS m_scattered
    FROM store.articles a JOIN pub_codes p ON p.publisher = a.publisher
    LEFT JOIN (SELECT article_id, min(rowid) AS m_first, max(rowid) AS m_last,
                      count(*) AS mentions
               FROM store.mentions GROUP BY article_id) m ON m.article_id = a.id;
CREATE TABLE edge_codes AS
    SELECT CAST(row_number() OVER (ORDER BY s.code, t.code, CAST(e.relation AS rel_t))
                AS INTEGER) AS edge,
           s.code AS src, t.code AS tgt, CAST(e.relation AS rel_t) AS rel
    FROM (SELECT DISTINCT source, target, relation FROM store.edges) e
    JOIN actor_codes s ON s.id = e.source
    JOIN actor_codes t ON t.id = e.target;
CREATE TABLE facts AS
    SELECT ec.edge, ac.code AS art, ec.src, ec.tgt, ec.rel, e.date, p.code AS pub,
           e.annotator AS ann, CAST(e.confidence AS FLOAT) AS conf,
           count(*) OVER (PARTITION BY ac.code, ec.edge) = 1
               AS single,
           e.rowid AS erow
    FROM store.edges e
    JOIN actor_codes s ON s.id = e.source
    JOIN actor_codes t ON t.id = e.target
    JOIN edge_codes ec ON ec.src = s.code AND ec.tgt = t.code
                      AND ec.rel = CAST(e.relation AS rel_t)
    JOIN art_codes ac ON ac.id = e.article_id
    JOIN pub_codes p ON p.publisher = e.publisher
    ORDER BY ec.edge, e.date;
CREATE TABLE multi_facts AS SELECT * FROM facts WHERE NOT single ORDER BY date;
CREATE TABLE single_dates AS SELECT date, edge, rel FROM facts WHERE single ORDER BY date;
CREATE TABLE whole_edges AS
    WITH weights AS (
        SELECT edge, CAST(sum(w) AS BIGINT) AS weight FROM (
            SELECT edge, count(*) AS w FROM facts WHERE single GROUP BY edge
            UNION ALL
            SELECT edge, count(DISTINCT art) FROM multi_facts GROUP BY edge)
        GROUP BY edge)
    SELECT ec.edge, ec.rel, s.id AS source, t.id AS target, CAST(ec.rel AS VARCHAR) AS relation,
           ri.stance, ri.directed, w.weight, s.name AS source_name, t.name AS target_name
    FROM weights w
    JOIN edge_codes ec ON ec.edge = w.edge
    JOIN actor_codes s ON s.code = ec.src
    JOIN actor_codes t ON t.code = ec.tgt
    JOIN relation_info ri ON ri.rel = ec.rel
    ORDER BY w.weight DESC, ec.edge;
CREATE TABLE row_texts AS
    SELECT rowid AS erow, {", ".join(TEXT_COLUMNS)} FROM store.edges;
CREATE TABLE edge_best AS
    WITH top AS (
        -- Each edge's two most confident rows, newest first, then by article and row:
        -- (conf, date, -art, -erow) is unique per row, and a top-2 aggregate is a quarter of
        -- the time of numbering every row with a window. A row without a confidence comes
        -- after every row with one, as in the evidence query's window (a NULL field would
        -- make the tuple the largest).
        SELECT edge, max_by(erow, (conf IS NOT NULL, coalesce(conf, 0), date, -art, -erow), 2)
                         AS erows
        FROM facts GROUP BY edge),
    picked AS (SELECT edge, unnest(erows) AS erow, unnest(range(1, len(erows) + 1)) AS nth
               FROM top),
    best AS (SELECT f.edge, f.erow, f.art, f.date, f.pub, f.ann, f.src, f.tgt, f.rel, p.nth
             FROM picked p JOIN facts f ON f.erow = p.erow)
    SELECT b.edge, b.nth, b.erow, b.rel, {CARD_COLUMNS.format(p="b")}
    FROM best b
    {CARD_JOINS.format(p="b")}
    ORDER BY b.edge, b.nth;
CREATE TABLE edge_months AS
    SELECT edge, rel, CAST(date_trunc('month', date) AS DATE) AS month, count(*) AS events,
           count(*) FILTER (WHERE single) AS singles
    FROM facts GROUP BY edge, rel, month ORDER BY month, edge;
"""  # noqa: S608


def connect(path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the store at `path` attached read-only as `store` and the
    working set built from it; the store's own `StoreError` if it is missing or not a store."""
    path = Path(path)
    connect_read_only(path).close()  # validates the file and its schema version
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_literal(str(path))} AS store (READ_ONLY)")
        con.execute(WORKING_SET)
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"cannot read the store {path}: {exc}") from exc
    return con


_ARROW_SAFE = {"VARCHAR", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "BOOLEAN", "DOUBLE",
               "FLOAT", "DATE"}
# What DuckDB's `.df()` makes of a column with NULLs where Arrow's pandas conversion differs.
_NULLABLE = {"BIGINT": "Int64", "INTEGER": "Int32", "SMALLINT": "Int16", "TINYINT": "Int8",
             "BOOLEAN": "boolean"}


def run(con: duckdb.DuckDBPyConnection, query: tuple[str, list]) -> pd.DataFrame:
    """The rows of `query` as a DataFrame, exactly as DuckDB's own `.df()` gives them, but
    through Arrow, which converts the edge summary's 27k rows of strings in about half the time
    and a few evidence rows in a third. Arrow's conversion differs from `.df()` for dates
    (milliseconds, not microseconds) and for integers and booleans with NULLs (floats and
    objects, not nullable dtypes) and for text that is entirely NULL: those columns are cast
    afterwards. A result with a column of any other type goes through `.df()`."""
    sql, params = query
    result = con.execute(sql, params)
    types = [str(d[1]) for d in result.description]
    if not all(t in _ARROW_SAFE for t in types):
        return result.df()
    return frame(_arrow(result), types)


def run_arrow(con: duckdb.DuckDBPyConnection, query: tuple[str, list]
              ) -> tuple[pa.Table, list[str]]:
    """The rows of `query` as an Arrow table, with the DuckDB type of each column (what
    `frame` needs to make of them what `run` would)."""
    sql, params = query
    result = con.execute(sql, params)
    return _arrow(result), [str(d[1]) for d in result.description]


def _arrow(result: duckdb.DuckDBPyConnection) -> pa.Table:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
        return result.to_arrow_reader().read_all()


def frame(table: pa.Table, types: list[str]) -> pd.DataFrame:
    """`table` as `run` gives a result of these DuckDB column types (each in `_ARROW_SAFE`)."""
    casts = {}
    for name, kind, column in zip(table.column_names, types, table.columns, strict=True):
        nulls = column.null_count
        if kind == "VARCHAR" and nulls == len(column):  # also when there are no rows
            casts[name] = object  # `.df()` gives None in an object column, not a NaN string
        elif kind == "DATE":
            casts[name] = "datetime64[us]"
        elif nulls and kind in _NULLABLE:
            casts[name] = _NULLABLE[kind]
    rows = table.to_pandas(date_as_object=False)
    for name, dtype in casts.items():
        rows[name] = (pd.Series([None] * len(rows), index=rows.index, dtype=object)
                      if dtype is object else rows[name].astype(dtype))
    return rows
