"""Read-side SQL for the app: pure builders that return `(sql, params)` and one `run` helper.

Builders never interpolate a filter value into SQL text; every value travels as a `?`
parameter, so nothing a URL or a widget carries can change a query's shape beyond the number
of placeholders in an IN list. Keeping them free of streamlit lets tests check the SQL without a
browser and lets the app cache results by (sql, params, store identity).

They run on the connection `connect` returns: the store opened read-only, whose rollups
(`dashboard.rollups`, built at ingest) the filters and aggregates read. The app's pages and the
exports run the same builders, so what is exported is what is shown. An edge's weight is the
number of distinct articles stating it. Article search and reading live in
`dashboard.article_queries`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.errors import FilterError
from dashboard.rollups import CARD_COLUMNS, CARD_JOINS
from dashboard.store import connect_read_only
from dashboard.taxonomy import RELATIONS, EventType, RelationType, Stance

Query = tuple[str, list]

# DuckDB's own memory per store connection: the rollups it reads stay in its buffer cache up
# to this, and what does not fit is read again from the file (the OS keeps it cached).
READER_MEMORY = "256MB"


def connect(path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the store at `path` that these queries run on (the store's
    own `StoreError` if it is missing or not a store of this version)."""
    con = connect_read_only(Path(path))
    con.execute(f"SET memory_limit = '{READER_MEMORY}'")
    return con


_ARROW_SAFE = {"VARCHAR", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "BOOLEAN", "DOUBLE",
               "FLOAT", "DATE"}
# What DuckDB's `.df()` makes of a column with NULLs where Arrow's pandas conversion differs.
_NULLABLE = {"BIGINT": "Int64", "INTEGER": "Int32", "SMALLINT": "Int16", "TINYINT": "Int8",
             "BOOLEAN": "boolean"}


def run(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    """The rows of `query` as DuckDB's `.df()` gives them, but through Arrow, which converts
    many rows of text faster; the columns where the two differ (dates, integers and booleans
    with NULLs, text that is all NULL) are cast afterwards, other types go through `.df()`."""
    sql, params = query
    result = con.execute(sql, params)
    types = [str(d[1]) for d in result.description]
    if not all(t in _ARROW_SAFE for t in types):
        return result.df()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
        table = result.to_arrow_reader().read_all()
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


FREQUENCIES = ("week", "month", "quarter", "year")
_RELATION_VALUES = tuple(r.value for r in RelationType)
_STANCE_VALUES = tuple(s.value for s in Stance)
_EVENT_VALUES = tuple(e.value for e in EventType)


@dataclass(frozen=True)
class Filters:
    """What the analyst asked to see. Empty tuples mean "all"; an edge matches the actor filter
    when either end is selected; `stances` and `relations` intersect."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    relations: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    min_weight: int = 1
    stances: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    min_confidence: float = 0.0
    events: tuple[str, ...] = ()  # PLOVER event types (taxonomy.EventType); rows without one
    # (hand annotations may record none) pass only when no event type is chosen

    def __post_init__(self) -> None:
        # Tuples, not lists: the object is a cache key and must be hashable.
        for name in ("relations", "actors", "stances", "publishers", "annotators", "events"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        unknown = [r for r in self.relations if r not in _RELATION_VALUES]
        if unknown:
            raise FilterError(f"unknown relation type {', '.join(map(repr, unknown))}: "
                              f"choose from {', '.join(_RELATION_VALUES)}")
        unknown = [e for e in self.events if e not in _EVENT_VALUES]
        if unknown:
            raise FilterError(f"unknown event type {', '.join(map(repr, unknown))}: "
                              f"choose from {', '.join(_EVENT_VALUES)}")
        unknown = [s for s in self.stances if s not in _STANCE_VALUES]
        if unknown:
            raise FilterError(f"unknown stance {', '.join(map(repr, unknown))}: "
                              f"choose from {', '.join(_STANCE_VALUES)}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, dt.date):
                raise FilterError(f"{name} must be a date, not {value!r}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise FilterError(f"the date range is empty: {self.date_from} is after "
                              f"{self.date_to}")
        if isinstance(self.min_weight, bool) or not isinstance(self.min_weight, int) \
                or self.min_weight < 1:
            raise FilterError(f"minimum weight must be a whole number of at least 1, "
                              f"not {self.min_weight!r}")
        if isinstance(self.min_confidence, bool) \
                or not isinstance(self.min_confidence, int | float) \
                or not 0.0 <= self.min_confidence <= 1.0:
            raise FilterError(f"minimum confidence must be between 0 and 1, not "
                              f"{self.min_confidence!r}")

    def effective_relations(self) -> tuple[str, ...]:
        """The relation types that pass both the relation and the stance choice (all of them
        when neither is restricted); empty when the two exclude each other."""
        chosen = self.relations or _RELATION_VALUES
        if not self.stances:
            return chosen
        return tuple(r for r in chosen if RELATIONS[RelationType(r)].stance.value in self.stances)

    def replace(self, **changes) -> Filters:
        return dataclasses.replace(self, **changes)


# -- filters ----------------------------------------------------------------------------------


def _placeholders(values) -> str:
    return ", ".join("?" for _ in values)


def _where(f: Filters, alias: str = "f") -> Query:
    """The WHERE clause (without the keyword) shared by every filtered query over `facts`.

    The f-strings that splice this clause into a query carry `noqa: S608`: the clause is built
    only from fixed text and `?` placeholders, never from a filter value."""
    conds, params = ["TRUE"], []
    if f.date_from:
        conds.append(f"{alias}.date >= ?")
        params.append(f.date_from)
    if f.date_to:
        conds.append(f"{alias}.date <= ?")
        params.append(f.date_to)
    _relation_condition(f, alias, conds, params)
    if f.actors:
        ends, ends_params = _ends("w", actors=f.actors)
        conds.append(f"{alias}.edge IN (SELECT w.edge FROM whole_edges w WHERE {ends[0]})")  # noqa: S608
        params.extend(ends_params)
    if f.publishers:
        conds.append(f"{alias}.pub IN (SELECT code FROM pub_codes WHERE publisher IN "  # noqa: S608
                     f"({_placeholders(f.publishers)}))")
        params.extend(f.publishers)
    if f.annotators:
        conds.append(f"{alias}.ann IN ({_placeholders(f.annotators)})")
        params.extend(f.annotators)
    if f.events:
        conds.append(f"{alias}.event IN ({_placeholders(f.events)})")
        params.extend(f.events)
    if f.min_confidence > 0:
        # Both sides FLOAT: 0.7 as a FLOAT is below 0.7 as a DOUBLE.
        conds.append(f"{alias}.conf >= CAST(? AS FLOAT)")
        params.append(float(f.min_confidence))
    return " AND ".join(conds), params


def _relation_condition(f: Filters, alias: str, conds: list, params: list) -> None:
    relations = f.effective_relations()
    if set(relations) != set(_RELATION_VALUES):
        if relations:
            conds.append(f"{alias}.rel IN ({_placeholders(relations)})")
            params.extend(relations)
        else:
            conds.append("FALSE")


def _ends(alias: str, *, actors: tuple[str, ...] = (), involving: str | None = None,
          pair: tuple[str, str] | None = None) -> tuple[list[str], list]:
    """Conditions on the two ends of the edges of `whole_edges {alias}`: either end among
    `actors`, `involving` at either end, the `pair` in either direction."""
    conds, params = [], []
    if actors:
        marks = _placeholders(actors)
        conds.append(f"({alias}.source IN ({marks}) OR {alias}.target IN ({marks}))")
        params.extend([*actors, *actors])
    if involving is not None:
        conds.append(f"({alias}.source = ? OR {alias}.target = ?)")
        params.extend([involving, involving])
    if pair is not None:
        a, b = pair
        conds.append(f"(({alias}.source = ? AND {alias}.target = ?) "
                     f"OR ({alias}.source = ? AND {alias}.target = ?))")
        params.extend([a, b, b, a])
    return conds, params


def _whole_where(f: Filters, involving: str | None = None,
                 pair: tuple[str, str] | None = None) -> Query:
    """The WHERE clause over `whole_edges x` when the filters choose whole edges: conditions on
    that one table's own columns, no join and no subquery, so the rows keep its stored order
    (heaviest first), which DuckDB guarantees for a filtered scan of one table."""
    conds, params = ["TRUE"], []
    _relation_condition(f, "x", conds, params)
    ends, ends_params = _ends("x", actors=f.actors, involving=involving, pair=pair)
    conds.extend([*ends, "x.weight >= ?"])
    params.extend([*ends_params, f.min_weight])
    return " AND ".join(conds), params


def _scope(involving: str | None, pair: tuple[str, str] | None,
           relation: str | None, alias: str = "f") -> Query:
    """Extra conditions of the page-level choices: one actor, a pair, one relation. Actors
    are matched through the edges' ends in `whole_edges` (27k rows), which is cheaper than
    comparing both ends of every fact."""
    ends, params = _ends("w", involving=involving, pair=pair)
    conds = [f"{alias}.edge IN (SELECT w.edge FROM whole_edges w WHERE {end})"  # noqa: S608
             for end in ends]
    if relation is not None:
        if relation not in _RELATION_VALUES:
            raise FilterError(f"unknown relation type {relation!r}")
        conds.append(f"{alias}.rel = ?")
        params.append(relation)
    return (" AND " + " AND ".join(conds) if conds else ""), params


def _whole_edges_only(f: Filters) -> bool:
    """Whether the filters choose whole edges only (relation types, stances, actors, minimum
    weight), no rows: each edge's weight and strongest rows are then precomputed."""
    return not (f.date_from or f.date_to or _beyond_dates(f))


def _dates_and_whole_edges_only(f: Filters) -> bool:
    """Whether the date range is the only row filter: whole months inside it can then be
    counted from `edge_months`."""
    return bool(f.date_from or f.date_to) and not _beyond_dates(f)


def _beyond_dates(f: Filters) -> bool:
    return bool(f.publishers or f.annotators or f.events or f.min_confidence > 0)


def _whole_months(f: Filters) -> tuple[dt.date, dt.date]:
    """[first, end): the calendar months that lie wholly inside the filters' date range (an
    open end reaches past any date); first == end when there is none."""
    lo, hi = f.date_from or dt.date.min, f.date_to or dt.date.max
    first = lo if lo.day == 1 else (lo.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    end = hi if hi == dt.date.max else (hi + dt.timedelta(days=1)).replace(day=1)
    return (first, end) if first < end else (lo, lo)


def _aggregate(f: Filters, involving: str | None = None,
               pair: tuple[str, str] | None = None, name: str = "agg") -> Query:
    """CTE `agg` (or `name`): (edge, weight) of the edges that pass the filters and the minimum
    weight. An edge's weight is its rows that are their article's only row of that edge (`single`,
    simply counted) plus the distinct articles of the other rows (`multi_facts`). Grouping by
    one dense integer lets DuckDB use its perfect-hash aggregate.

    When the filters choose whole edges only, the weights come from `whole_edges` (27k rows,
    not 1M). When the date range is the only row filter, the single rows of the whole months
    inside it come from `edge_months` (counts add up over any split of the dates) and only
    the days at either end are counted, in `single_dates` (sorted by date, so those few days
    are all DuckDB reads)."""
    if _whole_edges_only(f):
        where, params = _whole_where(f, involving, pair)
        return f"{name} AS (SELECT x.edge, x.weight FROM whole_edges x WHERE {where})", params  # noqa: S608
    where, params = _where(f)
    scope, scope_params = _scope(involving, pair, None)
    if _dates_and_whole_edges_only(f):
        first, end = _whole_months(f)
        undated, undated_params = _where(f.replace(date_from=None, date_to=None))
        months, month_params = _where(f.replace(date_from=None, date_to=None), "m")
        month_scope, _ = _scope(involving, pair, None, "m")
        singles = f"""
        SELECT m.edge, CAST(sum(m.singles) AS BIGINT) AS w FROM edge_months m
        WHERE m.month >= ? AND m.month < ? AND {months}{month_scope} GROUP BY m.edge
        UNION ALL
        SELECT f.edge, count(*) FROM single_dates f
        WHERE f.date >= ? AND f.date < ? AND {undated}{scope} GROUP BY f.edge
        UNION ALL
        SELECT f.edge, count(*) FROM single_dates f
        WHERE f.date >= ? AND f.date <= ? AND {undated}{scope} GROUP BY f.edge"""  # noqa: S608
        single_params = [first, end, *month_params, *scope_params,
                         f.date_from or dt.date.min, first, *undated_params, *scope_params,
                         end, f.date_to or dt.date.max, *undated_params, *scope_params]
    else:
        singles = f"""
        SELECT f.edge, count(*) AS w FROM facts f
        WHERE f.single AND {where}{scope} GROUP BY f.edge"""  # noqa: S608
        single_params = [*params, *scope_params]
    sql = f"""{name}_parts AS ({singles}
        UNION ALL
        SELECT f.edge, count(DISTINCT f.art)
        FROM multi_facts f WHERE {where}{scope} GROUP BY f.edge),
    {name} AS (
        SELECT edge, CAST(sum(w) AS BIGINT) AS weight
        FROM {name}_parts GROUP BY edge HAVING sum(w) >= ?)"""  # noqa: S608
    return sql, [*single_params, *params, *scope_params, f.min_weight]


SUMMARY_COLUMNS = ("source", "target", "relation", "stance", "directed", "weight",
                   "source_name", "target_name")


def _summary_columns(weight: str = "x.weight") -> str:
    """The summary's columns from `whole_edges x`, the weight from `weight`."""
    return ", ".join(weight if c == "weight" else "x." + c for c in SUMMARY_COLUMNS)


def edge_summary(f: Filters, *, involving: str | None = None) -> Query:
    """One row per (source, target, relation): stance, directed, weight (distinct articles)
    and names; heaviest first. `involving` keeps one actor's edges."""
    if _whole_edges_only(f):
        where, params = _whole_where(f, involving)
        return f"SELECT {_summary_columns()} FROM whole_edges x WHERE {where}", params  # noqa: S608
    agg, params = _aggregate(f, involving)
    sql = f"""
        WITH {agg}
        SELECT {_summary_columns("agg.weight")}
        FROM agg JOIN whole_edges x ON x.edge = agg.edge
        ORDER BY agg.weight DESC, agg.edge"""  # noqa: S608
    return sql, params


def _kept_join(f: Filters, involving: str | None, pair: tuple[str, str] | None) -> Query:
    """CTE `agg` of the edges that reach the minimum weight, so timelines and evidence show
    exactly the edges the network draws; nothing to join when every edge qualifies."""
    return _aggregate(f, involving, pair) if f.min_weight > 1 else ("", [])


def timeline(f: Filters, freq: str = "month", *, involving: str | None = None,
             pair: tuple[str, str] | None = None) -> Query:
    """Events (edge rows) per period and relation type. Months, quarters and years under
    filters that choose whole edges add up the precomputed `edge_months` (a month lies in one
    quarter and one year); anything else counts the rows of `facts`."""
    if freq not in FREQUENCIES:
        raise FilterError(f"unknown period {freq!r}: choose from {', '.join(FREQUENCIES)}")
    kept, kept_params = _kept_join(f, involving, pair)
    where, params = _where(f)
    scope, scope_params = _scope(involving, pair, None)
    join = "JOIN agg k ON k.edge = f.edge" if kept else ""
    if freq != "week" and _whole_edges_only(f):
        table, day, events = "edge_months", "f.month", "CAST(sum(f.events) AS BIGINT)"
    else:
        table, day, events = "facts", "f.date", "count(*)"
    sql = f"""
        {"WITH " + kept if kept else ""}
        SELECT CAST(date_trunc(?, {day}) AS DATE) AS period,
               CAST(f.rel AS VARCHAR) AS relation, any_value(ri.stance) AS stance,
               {events} AS events
        FROM {table} f {join} JOIN relation_info ri ON ri.rel = f.rel
        WHERE {where}{scope}
        GROUP BY period, f.rel
        ORDER BY period, f.rel"""  # noqa: S608
    return sql, [*kept_params, freq, *params, *scope_params]


def evidence(f: Filters, limit: int = 200, *, involving: str | None = None,
             pair: tuple[str, str] | None = None, relation: str | None = None,
             strongest: bool = False) -> Query:
    """The sentences behind the edges: newest first, or with `strongest` the edges of most
    articles first (two sentences each, most confident first). Offsets (`evidence_start`,
    `cue_start`, ...) are positions in the article text.

    The rows are picked by their codes in `facts` and their sentences read from the same
    table by row number (one edge's rows sit together); names, titles and links come from the
    code tables. The strongest rows under filters that choose whole edges are the ones
    `edge_best` holds ready, cards and all."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise FilterError(f"the evidence limit must be a positive whole number, not {limit!r}")
    where, params = _where(f)
    scope, scope_params = _scope(involving, pair, relation)
    order = "p.date DESC, p.article_id, p.source_id, p.target_id, p.relation"
    if strongest:
        agg, agg_params = _aggregate(f, involving, pair)
        top_cte = f"""{agg},
        top AS (SELECT edge, weight FROM agg ORDER BY weight DESC, edge LIMIT ?)"""  # noqa: S608
        top_params = [*agg_params, limit]
        if _whole_edges_only(f):
            # Every row of a chosen edge passes, so its two best rows are the precomputed ones.
            only, only_params = _scope(None, None, relation, "b")
            sql = f"""
            WITH {top_cte},
            p AS (SELECT b.* EXCLUDE (edge, nth, erow, rel), top.weight FROM edge_best b
                  JOIN top ON top.edge = b.edge WHERE TRUE{only}
                  ORDER BY top.weight DESC, b.date DESC, b.erow LIMIT ?)
            SELECT * EXCLUDE (weight) FROM p ORDER BY p.weight DESC, {order}"""  # noqa: S608
            return sql, [*top_params, *only_params, limit]
        picked = f"""{top_cte},
        ranked AS (
            SELECT f.erow, f.art, f.date, f.pub, f.ann, top.weight, f.src, f.tgt, f.rel,
                   row_number() OVER (PARTITION BY f.edge
                                      ORDER BY f.conf DESC, f.date DESC, f.art, f.erow) AS nth
            FROM facts f JOIN top ON top.edge = f.edge
            WHERE {where}{scope}),
        picked AS (SELECT erow, art, date, pub, ann, weight, src, tgt, rel FROM ranked
                   WHERE nth <= 2 ORDER BY weight DESC, date DESC, erow LIMIT ?)"""  # noqa: S608
        picked_params = [*top_params, *params, *scope_params, limit]
        order = "p.weight DESC, " + order
    else:
        kept, kept_params = _kept_join(f, involving, pair)
        join = "JOIN agg k ON k.edge = f.edge" if kept else ""
        picked = f"""{kept + "," if kept else ""}
        picked AS (SELECT f.erow, f.art, f.date, f.pub, f.ann, NULL AS weight, f.src, f.tgt,
                          f.rel
                   FROM facts f {join} WHERE {where}{scope}
                   ORDER BY f.date DESC, f.art, f.src, f.tgt, f.rel LIMIT ?)"""  # noqa: S608
        picked_params = [*kept_params, *params, *scope_params, limit]
    sql = f"""
        WITH {picked}
        SELECT * EXCLUDE (weight) FROM (
            SELECT {CARD_COLUMNS.format(p="c")}, c.weight
            FROM picked c
            {CARD_JOINS.format(p="c")}) p
        ORDER BY {order}"""  # noqa: S608
    return sql, picked_params


def mentions_in(article_ids: list[str] | tuple[str, ...]) -> Query:
    """The actor mentions of a few articles, for marking names in their sentences and on the
    Articles page. The ingest keeps each article's mentions in one run of row ids
    (`art_codes.m_first` to `m_last`), read by row id: a filter on the article id scans the
    ids of many row groups."""
    ids = tuple(article_ids) or ("",)
    return f"""
        SELECT a.id AS article_id, m.start_offset, m.end_offset, m.actor_id, m.surface
        FROM (SELECT id, unnest(range(m_first, m_last + 1)) AS r FROM art_codes
              WHERE id IN ({_placeholders(ids)}) AND m_first IS NOT NULL) a
        JOIN mentions m ON m.rowid = a.r
        ORDER BY a.id, m.start_offset, m.end_offset""", list(ids)  # noqa: S608


# -- store-wide summaries ---------------------------------------------------------------------


def actors_in_edges() -> Query:
    """Every actor that takes part in at least one edge, for the actor pickers."""
    return """SELECT id, name, kind, articles FROM actor_codes
              ORDER BY lower(name), id""", []


def publisher_list() -> Query:
    return "SELECT publisher, articles FROM pub_codes ORDER BY lower(publisher)", []


def annotator_list() -> Query:
    return "SELECT DISTINCT ann AS annotator FROM facts WHERE ann IS NOT NULL ORDER BY 1", []


def date_bounds() -> Query:
    return "SELECT min(date) AS first_date, max(date) AS last_date FROM facts", []


def overview_counts() -> Query:
    return """
        SELECT (SELECT count(*) FROM articles) AS articles,
               (SELECT count(*) FROM facts) AS edge_rows,
               (SELECT count(*) FROM edge_codes) AS edges,
               (SELECT count(*) FROM actor_codes) AS actors,
               (SELECT count(*) FROM actors) AS registry_actors,
               (SELECT count(*) FROM pub_codes) AS publishers,
               (SELECT count(DISTINCT ann) FROM facts) AS annotators,
               (SELECT min(published) FROM articles) AS first_published,
               (SELECT max(published) FROM articles) AS last_published,
               (SELECT min(date) FROM facts) AS first_edge,
               (SELECT max(date) FROM facts) AS last_edge,
               (SELECT max(ingested_at) FROM articles) AS last_ingest""", []


def publishers() -> Query:
    return """
        WITH per AS (SELECT pub, count(*) AS edge_rows FROM facts GROUP BY pub)
        SELECT p.publisher, p.articles, coalesce(per.edge_rows, 0) AS edge_rows,
               a.first_published, a.last_published
        FROM pub_codes p LEFT JOIN per ON per.pub = p.code
        JOIN (SELECT publisher, min(published) AS first_published,
                     max(published) AS last_published
              FROM articles GROUP BY publisher) a ON a.publisher = p.publisher
        ORDER BY p.articles DESC, p.publisher""", []


def annotators() -> Query:
    return """
        SELECT ann AS annotator, count(*) AS edge_rows, count(DISTINCT art) AS articles,
               avg(conf) AS mean_confidence
        FROM facts GROUP BY ann ORDER BY edge_rows DESC, ann""", []


def relation_counts() -> Query:
    return """
        SELECT CAST(f.rel AS VARCHAR) AS relation, any_value(ri.stance) AS stance,
               count(*) AS edge_rows, count(DISTINCT f.art) AS articles
        FROM facts f JOIN relation_info ri ON ri.rel = f.rel
        GROUP BY f.rel ORDER BY f.rel""", []
