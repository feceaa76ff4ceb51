"""Read-side SQL for the app: pure builders that return `(sql, params)` and one `run` helper.

Builders never interpolate a filter value into SQL text; every value travels as a `?`
parameter, so nothing a URL or a widget carries can change a query's shape beyond the number
of placeholders in an IN list. Keeping them free of streamlit lets tests check the SQL without a
browser and lets the app cache results by (sql, params, store identity).

An edge row is one fact in one article; an edge's weight is the number of distinct articles
stating it, so the same story syndicated by one publisher twice still counts per article, and
`publishers` says how independent the reports are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard.errors import FilterError
from dashboard.taxonomy import RelationType

Query = tuple[str, list]

FREQUENCIES = ("week", "month", "quarter", "year")
_RELATION_VALUES = tuple(r.value for r in RelationType)


@dataclass(frozen=True)
class Filters:
    """What the analyst asked to see. Empty `relations`/`actors` mean "all"; an edge matches
    the actor filter when either end is selected."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    relations: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    min_weight: int = 1

    def __post_init__(self) -> None:
        # Tuples, not lists: the object is a cache key and must be hashable.
        object.__setattr__(self, "relations", tuple(self.relations))
        object.__setattr__(self, "actors", tuple(self.actors))
        unknown = [r for r in self.relations if r not in _RELATION_VALUES]
        if unknown:
            raise FilterError(f"unknown relation type {', '.join(map(repr, unknown))}: "
                              f"choose from {', '.join(_RELATION_VALUES)}")
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


def _placeholders(values: tuple) -> str:
    return ", ".join("?" for _ in values)


def _where(f: Filters, alias: str = "e") -> Query:
    """The WHERE clause (without the keyword) shared by every filtered query.

    The f-strings that splice this clause into a query carry `noqa: S608`: the clause is built
    only from fixed text and `?` placeholders, never from a filter value."""
    conds, params = ["TRUE"], []
    if f.date_from:
        conds.append(f"{alias}.date >= ?")
        params.append(f.date_from)
    if f.date_to:
        conds.append(f"{alias}.date <= ?")
        params.append(f.date_to)
    if f.relations:
        conds.append(f"{alias}.relation IN ({_placeholders(f.relations)})")
        params.extend(f.relations)
    if f.actors:
        marks = _placeholders(f.actors)
        conds.append(f"({alias}.source IN ({marks}) OR {alias}.target IN ({marks}))")
        params.extend(f.actors)
        params.extend(f.actors)
    return " AND ".join(conds), params


def _kept(f: Filters) -> Query:
    """CTE `kept`: the (source, target, relation) groups that pass the filters and min_weight,
    so the timeline and the evidence show exactly the edges the network draws."""
    where, params = _where(f)
    sql = f"""kept AS (
        SELECT e.source, e.target, e.relation FROM edges e WHERE {where}
        GROUP BY e.source, e.target, e.relation
        HAVING count(DISTINCT e.article_id) >= ?)"""  # noqa: S608
    return sql, [*params, f.min_weight]


def edge_summary(f: Filters) -> Query:
    where, params = _where(f)
    sql = f"""
        SELECT e.source, e.target, e.relation,
               any_value(e.stance) AS stance,
               bool_or(e.directed) AS directed,
               count(DISTINCT e.article_id) AS weight,
               count(DISTINCT e.publisher) AS publishers,
               CAST(sum(e.statements) AS BIGINT) AS statements,
               min(e.date) AS first_date,
               max(e.date) AS last_date,
               avg(e.confidence) AS confidence,
               coalesce(any_value(s.name), e.source) AS source_name,
               coalesce(any_value(t.name), e.target) AS target_name
        FROM edges e
        LEFT JOIN actors s ON s.id = e.source
        LEFT JOIN actors t ON t.id = e.target
        WHERE {where}
        GROUP BY e.source, e.target, e.relation
        HAVING count(DISTINCT e.article_id) >= ?
        ORDER BY weight DESC, e.source, e.target, e.relation"""  # noqa: S608
    return sql, [*params, f.min_weight]


def timeline(f: Filters, freq: str = "month") -> Query:
    if freq not in FREQUENCIES:
        raise FilterError(f"unknown period {freq!r}: choose from {', '.join(FREQUENCIES)}")
    kept, kept_params = _kept(f)
    where, params = _where(f)
    sql = f"""
        WITH {kept}
        SELECT CAST(date_trunc(?, e.date) AS DATE) AS period, e.relation,
               any_value(e.stance) AS stance, count(*) AS events
        FROM edges e JOIN kept USING (source, target, relation)
        WHERE {where}
        GROUP BY period, e.relation
        ORDER BY period, e.relation"""  # noqa: S608
    return sql, [*kept_params, freq, *params]


def evidence(f: Filters, limit: int = 200) -> Query:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise FilterError(f"the evidence limit must be a positive whole number, not {limit!r}")
    kept, kept_params = _kept(f)
    where, params = _where(f)
    sql = f"""
        WITH {kept}
        SELECT e.date,
               coalesce(s.name, e.source) AS source,
               coalesce(t.name, e.target) AS target,
               e.relation, e.publisher, a.title, a.url, e.evidence, e.article_id,
               e.source AS source_id, e.target AS target_id, e.confidence, e.annotator
        FROM edges e
        JOIN kept USING (source, target, relation)
        JOIN articles a ON a.id = e.article_id
        LEFT JOIN actors s ON s.id = e.source
        LEFT JOIN actors t ON t.id = e.target
        WHERE {where}
        ORDER BY e.date DESC, e.article_id, e.source, e.target, e.relation
        LIMIT ?"""  # noqa: S608
    return sql, [*kept_params, *params, limit]


def actors_in_edges() -> Query:
    """Every actor that takes part in at least one edge, for the actor picker."""
    return """
        WITH ends AS (SELECT source AS id, article_id FROM edges
                      UNION ALL SELECT target, article_id FROM edges)
        SELECT ends.id, coalesce(any_value(a.name), ends.id) AS name,
               any_value(a.kind) AS kind, count(DISTINCT ends.article_id) AS articles
        FROM ends LEFT JOIN actors a ON a.id = ends.id
        GROUP BY ends.id
        ORDER BY lower(coalesce(any_value(a.name), ends.id)), ends.id""", []


def date_bounds() -> Query:
    return "SELECT min(date) AS first_date, max(date) AS last_date FROM edges", []


def overview_counts() -> Query:
    return """
        SELECT (SELECT count(*) FROM articles) AS articles,
               (SELECT count(*) FROM edges) AS edge_rows,
               (SELECT count(*) FROM (SELECT DISTINCT source, target, relation FROM edges))
                   AS edges,
               (SELECT count(*) FROM (SELECT source FROM edges UNION SELECT target FROM edges))
                   AS actors,
               (SELECT count(*) FROM actors) AS registry_actors,
               (SELECT count(DISTINCT publisher) FROM articles) AS publishers,
               (SELECT min(published) FROM articles) AS first_published,
               (SELECT max(published) FROM articles) AS last_published,
               (SELECT min(date) FROM edges) AS first_edge,
               (SELECT max(date) FROM edges) AS last_edge,
               (SELECT max(ingested_at) FROM articles) AS last_ingest""", []


def publishers() -> Query:
    return """
        SELECT a.publisher, count(DISTINCT a.id) AS articles, count(e.article_id) AS edge_rows,
               min(a.published) AS first_published, max(a.published) AS last_published
        FROM articles a LEFT JOIN edges e ON e.article_id = a.id
        GROUP BY a.publisher ORDER BY articles DESC, a.publisher""", []


def annotators() -> Query:
    return """
        SELECT annotator, count(*) AS edge_rows, count(DISTINCT article_id) AS articles,
               avg(confidence) AS mean_confidence
        FROM edges GROUP BY annotator ORDER BY edge_rows DESC, annotator""", []


def relation_counts() -> Query:
    return """
        SELECT relation, any_value(stance) AS stance, count(*) AS edge_rows,
               count(DISTINCT article_id) AS articles
        FROM edges GROUP BY relation ORDER BY relation""", []


def run(con: duckdb.DuckDBPyConnection, query: Query) -> pd.DataFrame:
    sql, params = query
    return con.execute(sql, params).df()
