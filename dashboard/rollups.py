"""The rollups: what the app and the exports read, derived from the store's tables at ingest
and written into the store in the same atomic replacement (`build`, called by
`dashboard.store`). No streamlit here.

Integer codes replace the strings of `edges` (grouping a million rows by three strings
while counting distinct articles is too slow for every filter change), and each table is
sorted so that the rows of one edge, or of one date range, sit together. Nothing is
approximated: an edge's weight is the number of distinct articles stating it. Most (article,
edge) pairs have one row (`single`), which are counted; only the rows of articles that state
a fact on several dates (`multi_facts`) go through a distinct count.

Tables: `actor_codes` (code, id, name, kind, articles), `pub_codes` (code, publisher,
articles), `art_codes` (code, id, published, pub, title, url and the run of row ids m_first to
m_last of its mentions, which `build` keeps sorted by article), `edge_codes` (edge, src, tgt,
rel), `relation_info`, `relation_lists` (every set of relation types as its list), `facts`
(one row per edge row: edge, art, src, tgt, rel, date, pub, ann, conf, statements, single,
erow = its position, and the evidence card's `TEXT_COLUMNS`; sorted by edge and date),
`multi_facts` and `single_dates` (sorted by date), and for the filters that choose whole
edges: `whole_edges` (the edge summary of the whole store, heaviest first), `edge_best` (the
cards of each edge's two most confident rows) and `edge_months` (rows and `single` rows per
edge and month: the edge x day rollup summed by month, for timelines and for the whole
months inside a date range).
"""

from __future__ import annotations

import duckdb

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

# The columns of `edges` an evidence card shows that the codes in `facts` do not hold.
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
CARD_JOINS = """JOIN facts x ON x.erow = {p}.erow
    JOIN art_codes a ON a.code = {p}.art
    JOIN pub_codes pc ON pc.code = {p}.pub
    JOIN actor_codes s ON s.code = {p}.src
    JOIN actor_codes t ON t.code = {p}.tgt
    JOIN relation_info ri ON ri.rel = {p}.rel"""

ROLLUP_TABLES = ("edge_months", "edge_best", "whole_edges", "single_dates",
                 "multi_facts", "facts", "edge_codes", "art_codes", "pub_codes", "actor_codes",
                 "relation_lists", "relation_info")

ROLLUPS = f"""
CREATE TYPE rel_t AS ENUM ({_REL_ENUM});
CREATE TABLE relation_info AS
    SELECT CAST(r AS rel_t) AS rel, s AS stance, d AS directed
    FROM (VALUES {_RELATION_ROWS}) v(r, s, d);
CREATE TABLE relation_lists AS
    SELECT CAST(m AS BIGINT) AS mask, r AS relations FROM (VALUES {_RELATION_LIST_ROWS}) v(m, r);
CREATE TABLE actor_codes AS
    WITH ends AS (SELECT source AS id, article_id FROM edges
                  UNION ALL SELECT target, article_id FROM edges),
    per AS (SELECT id, count(DISTINCT article_id) AS articles FROM ends GROUP BY id)
    SELECT CAST(row_number() OVER (ORDER BY per.id) AS INTEGER) AS code, per.id,
           coalesce(a.name, per.id) AS name, a.kind, per.articles
    FROM per LEFT JOIN (SELECT id, any_value(name) AS name, any_value(kind) AS kind
                        FROM actors GROUP BY id) a ON a.id = per.id;
CREATE TABLE pub_codes AS
    SELECT CAST(row_number() OVER (ORDER BY count(*) DESC, publisher) - 1 AS INTEGER) AS code,
           publisher, count(*) AS articles
    FROM articles GROUP BY publisher;
CREATE TABLE art_codes AS
    SELECT CAST(row_number() OVER (ORDER BY a.id) AS INTEGER) AS code, a.id, a.published,
           p.code AS pub, a.title, a.url, m.m_first, m.m_last
    FROM articles a JOIN pub_codes p ON p.publisher = a.publisher
    LEFT JOIN (SELECT article_id, min(rowid) AS m_first, max(rowid) AS m_last
               FROM mentions GROUP BY article_id) m ON m.article_id = a.id
    ORDER BY code;
CREATE TABLE edge_codes AS
    SELECT CAST(row_number() OVER (ORDER BY s.code, t.code, CAST(e.relation AS rel_t))
                AS INTEGER) AS edge,
           s.code AS src, t.code AS tgt, CAST(e.relation AS rel_t) AS rel
    FROM (SELECT DISTINCT source, target, relation FROM edges) e
    JOIN actor_codes s ON s.id = e.source
    JOIN actor_codes t ON t.id = e.target;
CREATE TABLE facts AS
    SELECT ec.edge, ac.code AS art, ec.src, ec.tgt, ec.rel, e.date, p.code AS pub,
           e.annotator AS ann, CAST(e.confidence AS FLOAT) AS conf, e.statements,
           e.event, e.cameo,
           count(*) OVER (PARTITION BY ac.code, ec.edge) = 1
               AS single,
           CAST(row_number() OVER (ORDER BY ec.edge, e.date, e.rowid) AS INTEGER) AS erow,
           {", ".join("e." + c for c in TEXT_COLUMNS)}
    FROM edges e
    JOIN actor_codes s ON s.id = e.source
    JOIN actor_codes t ON t.id = e.target
    JOIN edge_codes ec ON ec.src = s.code AND ec.tgt = t.code
                      AND ec.rel = CAST(e.relation AS rel_t)
    JOIN art_codes ac ON ac.id = e.article_id
    JOIN pub_codes p ON p.publisher = e.publisher
    ORDER BY erow;
CREATE TABLE multi_facts AS
    SELECT edge, art, src, tgt, rel, date, pub, ann, conf, event, erow FROM facts
    WHERE NOT single
    ORDER BY date;
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


def build(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)derive every rollup from the store's tables on `con`, a writable connection inside
    a transaction (on the ingest's private copy of the store), and sort `mentions` by
    article."""
    for table in ROLLUP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DROP TYPE IF EXISTS rel_t")
    # A table made in one go has no deleted rows, so its row ids stay its rows' positions:
    # `art_codes` keeps each article's run of them.
    con.execute("""CREATE TABLE sorted_mentions AS
                   SELECT * FROM mentions ORDER BY article_id, start_offset, end_offset""")
    con.execute("DROP TABLE mentions")
    con.execute("ALTER TABLE sorted_mentions RENAME TO mentions")
    # Rows a transaction adds have provisional row ids until it commits.
    con.execute("COMMIT")
    con.execute("BEGIN TRANSACTION")
    con.execute(ROLLUPS)
