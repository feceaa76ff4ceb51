"""Read-side SQL for the Treaties page: where rhetoric and treaties disagree.

Pure builders returning `(sql, params)` like `dashboard.queries`, on the same connection. They
read the store's `treaties` layer (ATOP/COW member pairs, see `dashboard.formats.alliances`)
beside the news edges' rollups (`facts`). A disagreement is a hostile edge (condemnation,
sanction, threat, attack) between two states that a treaty binds on the edge's date. The news
edges are filtered by `queries`' own filters; the date range and actors choose the treaties.
"""

from __future__ import annotations

from dashboard.queries import Filters, Query, _placeholders, _where

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")


def treaty_conflicts(filters: Filters | None = None, *, limit: int = 1000) -> Query:
    """Hostile news edges between treaty allies, one row per edge, newest first, with the
    evidence, the article and the treaties (and their obligations) in force on its date."""
    f = filters or Filters()
    # Only the hostile ones among the relation types the filters keep.
    where, params = _where(f.replace(stances=("hostile",)))
    if f.stances and "hostile" not in f.stances:
        where += " AND FALSE"
    obligations = ", ".join(f"bool_or(t.{o}) AS {o}" for o in OBLIGATIONS)
    sql = f"""
        SELECT f.date, w.source, w.target, w.relation, f.ann AS annotator, f.confidence,
               f.evidence, a.title, a.url, pc.publisher, a.id AS article_id,
               string_agg(DISTINCT t.source || ' ' || t.treaty_id, ', '
                          ORDER BY t.source || ' ' || t.treaty_id) AS treaties,
               {obligations}
        FROM facts f
        JOIN whole_edges w ON w.edge = f.edge
        JOIN treaties t
          ON t.member_a = least(w.source, w.target) AND t.member_b = greatest(w.source, w.target)
         AND t.start_date <= f.date AND (t.end_date IS NULL OR f.date <= t.end_date)
        JOIN art_codes a ON a.code = f.art
        JOIN pub_codes pc ON pc.code = f.pub
        WHERE {where}
        GROUP BY ALL
        ORDER BY f.date DESC, w.source, w.target, w.relation, a.id
        LIMIT ?"""  # noqa: S608 - the WHERE clause holds fixed text and placeholders only
    return sql, [*params, limit]


def conflict_pairs(filters: Filters | None = None) -> Query:
    """Treaty-allied pairs with hostile edges between them: how many, of which kinds, when."""
    inner, params = treaty_conflicts(filters, limit=1_000_000)
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


def treaties_in_force(filters: Filters | None = None, *, limit: int = 5000) -> Query:
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
        marks = _placeholders(actors)
        conds.append(f"(t.member_a IN ({marks}) OR t.member_b IN ({marks}))")
        params += [*actors, *actors]
    sql = f"""
        SELECT t.source, t.treaty_id, t.phase, t.member_a, t.member_b, t.start_date,
               t.end_date, {', '.join(f't.{o}' for o in OBLIGATIONS)}
        FROM treaties t
        WHERE {' AND '.join(conds)}
        ORDER BY t.source, t.treaty_id, t.phase, t.member_a, t.member_b, t.start_date
        LIMIT ?"""  # noqa: S608
    return sql, [*params, limit]


def treaty_counts() -> Query:
    """How many member pairs the treaty layer holds, per dataset."""
    return ("SELECT source, count(*) AS pairs, count(DISTINCT treaty_id) AS treaties "
            "FROM treaties GROUP BY source ORDER BY source", [])
