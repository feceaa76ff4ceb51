"""Read-side SQL for the Treaties page: where rhetoric and treaties disagree.

Pure builders returning `(sql, params)` like `dashboard.queries`. They read the store's
`treaties` layer (ATOP/COW member pairs, see `dashboard.formats.alliances`) beside its news
`edges`. A disagreement is a hostile edge (condemnation, sanction, threat, attack) between two
states that a treaty binds on the edge's date. `schema` names the attached store ("store" in the
app's working set, see `queries.connect`); None reads a plain store connection.

Filters are taken from a `dashboard.queries.Filters` (or anything with its attributes): the
date range, actors (either end), relation types and stances, publishers, annotators and the
minimum confidence apply to the news edges; the date range and actors to the treaties.
"""

from __future__ import annotations

from dashboard.taxonomy import HOSTILE

Query = tuple[str, list]
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
_HOSTILE = tuple(r.value for r in HOSTILE)


def _t(schema: str | None, table: str) -> str:
    return f"{schema}.{table}" if schema else table


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


def _edge_filters(f, alias: str = "e") -> Query:
    """WHERE conditions over the news edges; values travel as parameters only."""
    relations = [r for r in (getattr(f, "relations", ()) or _HOSTILE) if r in _HOSTILE]
    stances = getattr(f, "stances", ())
    if stances and "hostile" not in stances:
        relations = []
    conds = [f"{alias}.relation IN ({_marks(relations)})" if relations else "FALSE"]
    params: list = list(relations)
    if getattr(f, "date_from", None):
        conds.append(f"{alias}.date >= ?")
        params.append(f.date_from)
    if getattr(f, "date_to", None):
        conds.append(f"{alias}.date <= ?")
        params.append(f.date_to)
    actors = tuple(getattr(f, "actors", ()))
    if actors:
        conds.append(f"({alias}.source IN ({_marks(actors)}) OR "
                     f"{alias}.target IN ({_marks(actors)}))")
        params += [*actors, *actors]
    for column, attr in (("publisher", "publishers"), ("annotator", "annotators")):
        values = tuple(getattr(f, attr, ()))
        if values:
            conds.append(f"{alias}.{column} IN ({_marks(values)})")
            params += list(values)
    if getattr(f, "min_confidence", 0.0):
        conds.append(f"{alias}.confidence >= ?")
        params.append(f.min_confidence)
    return " AND ".join(conds), params


def treaty_conflicts(filters=None, *, schema: str | None = None, limit: int = 1000) -> Query:
    """Hostile news edges between treaty allies, one row per edge, newest first, with the
    evidence, the article and the treaties (and their obligations) in force on its date."""
    where, params = _edge_filters(filters)
    obligations = ", ".join(f"bool_or(t.{o}) AS {o}" for o in OBLIGATIONS)
    sql = f"""
        SELECT e.date, e.source, e.target, e.relation, e.annotator, e.confidence,
               e.evidence, a.title, a.url, e.publisher, e.article_id,
               string_agg(DISTINCT t.source || ' ' || t.treaty_id, ', '
                          ORDER BY t.source || ' ' || t.treaty_id) AS treaties,
               {obligations}
        FROM {_t(schema, 'edges')} e
        JOIN {_t(schema, 'treaties')} t
          ON t.member_a = least(e.source, e.target) AND t.member_b = greatest(e.source, e.target)
         AND t.start_date <= e.date AND (t.end_date IS NULL OR e.date <= t.end_date)
        JOIN {_t(schema, 'articles')} a ON a.id = e.article_id
        WHERE {where}
        GROUP BY ALL
        ORDER BY e.date DESC, e.source, e.target, e.relation, e.article_id
        LIMIT ?"""  # noqa: S608 - the WHERE clause holds fixed text and placeholders only
    return sql, [*params, limit]


def conflict_pairs(filters=None, *, schema: str | None = None) -> Query:
    """Treaty-allied pairs with hostile edges between them: how many, of which kinds, when."""
    inner, params = treaty_conflicts(filters, schema=schema, limit=1_000_000)
    sql = f"""
        SELECT least(source, target) AS actor_a, greatest(source, target) AS actor_b,
               count(*) AS hostile_edges, count(DISTINCT article_id) AS articles,
               count(*) FILTER (WHERE annotator = 'machine') AS machine_coded,
               string_agg(DISTINCT relation, ', ' ORDER BY relation) AS relations,
               min(date) AS first, max(date) AS last,
               string_agg(DISTINCT treaties, ', ' ORDER BY treaties) AS treaties
        FROM ({inner}) c
        GROUP BY ALL
        ORDER BY hostile_edges DESC, actor_a, actor_b"""  # noqa: S608
    return sql, params


def treaties_in_force(filters=None, *, schema: str | None = None,
                      limit: int = 5000) -> Query:
    """Treaty member pairs in force at some time in the filtered period (all dates when it
    is open) whose members include a filtered actor (any, when none is chosen)."""
    conds, params = ["TRUE"], []
    if getattr(filters, "date_to", None):
        conds.append("t.start_date <= ?")
        params.append(filters.date_to)
    if getattr(filters, "date_from", None):
        conds.append("(t.end_date IS NULL OR t.end_date >= ?)")
        params.append(filters.date_from)
    actors = tuple(getattr(filters, "actors", ()))
    if actors:
        conds.append(f"(t.member_a IN ({_marks(actors)}) OR t.member_b IN ({_marks(actors)}))")
        params += [*actors, *actors]
    sql = f"""
        SELECT t.source, t.treaty_id, t.phase, t.member_a, t.member_b, t.start_date,
               t.end_date, {', '.join(f't.{o}' for o in OBLIGATIONS)}
        FROM {_t(schema, 'treaties')} t
        WHERE {' AND '.join(conds)}
        ORDER BY t.source, t.treaty_id, t.phase, t.member_a, t.member_b, t.start_date
        LIMIT ?"""  # noqa: S608
    return sql, [*params, limit]


def treaty_counts(*, schema: str | None = None) -> Query:
    """How many member pairs the treaty layer holds, per dataset."""
    return (f"SELECT source, count(*) AS pairs, count(DISTINCT treaty_id) AS treaties "  # noqa: S608
            f"FROM {_t(schema, 'treaties')} GROUP BY source ORDER BY source", [])
