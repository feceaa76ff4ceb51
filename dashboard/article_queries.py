"""Article search and reading for the Articles page: pure builders like `dashboard.queries`,
on the same working-set connection."""

from __future__ import annotations

from dashboard.errors import FilterError
from dashboard.queries import Filters, Query, _placeholders, _where


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def article_search(f: Filters, text: str = "", *, full_text: bool = False,
                   limit: int = 200) -> Query:
    """Articles published in the date range by the chosen publishers whose title (and with
    `full_text`, body) contains `text`, newest first, with how many edge rows pass the other
    filters. With an actor filter, only articles with an edge involving those actors."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise FilterError(f"the article limit must be a positive whole number, not {limit!r}")
    conds, params = ["TRUE"], []
    if f.date_from:
        conds.append("ac.published >= ?")
        params.append(f.date_from)
    if f.date_to:
        conds.append("ac.published <= ?")
        params.append(f.date_to)
    if f.publishers:
        conds.append(f"ac.pub IN (SELECT code FROM pub_codes WHERE publisher IN "  # noqa: S608
                     f"({_placeholders(f.publishers)}))")
        params.extend(f.publishers)
    text = (text or "").strip()
    if text:
        fields = "a.title ILIKE ? ESCAPE '\\' OR a.text ILIKE ? ESCAPE '\\'" if full_text \
            else "a.title ILIKE ? ESCAPE '\\'"
        conds.append(f"ac.id IN (SELECT a.id FROM articles a WHERE {fields})")  # noqa: S608
        params.extend([_like(text)] * (2 if full_text else 1))
    edge_where, edge_params = _where(f.replace(date_from=None, date_to=None, publishers=()))
    if f.actors:
        conds.append(f"ac.code IN (SELECT f.art FROM facts f WHERE {edge_where})")  # noqa: S608
        params.extend(edge_params)
    sql = f"""
        WITH hits AS (
            SELECT ac.code, ac.id FROM art_codes ac WHERE {" AND ".join(conds)}
            ORDER BY ac.published DESC, ac.id LIMIT ?),
        counted AS (
            SELECT f.art, count(*) AS edges FROM facts f
            WHERE f.art IN (SELECT code FROM hits) AND {edge_where} GROUP BY f.art)
        SELECT a.id, a.published, a.publisher, a.title, a.url,
               coalesce(counted.edges, 0) AS edges
        FROM hits JOIN articles a ON a.id = hits.id
        LEFT JOIN counted ON counted.art = hits.code
        ORDER BY a.published DESC, a.id"""  # noqa: S608
    return sql, [*params, limit, *edge_params]


def article(article_id: str) -> Query:
    return """SELECT id, title, published, publisher, url, text, language
              FROM articles WHERE id = ?""", [article_id]


def article_edges(article_id: str) -> Query:
    return """
        SELECT e.source, e.target, coalesce(s.name, e.source) AS source_name,
               coalesce(t.name, e.target) AS target_name, e.relation, e.stance, e.directed,
               e.date, e.evidence, e.evidence_start, e.evidence_end, e.cue_start, e.cue_end,
               e.source_start, e.source_end, e.target_start, e.target_end,
               e.confidence, e.annotator, e.statements
        FROM edges e
        LEFT JOIN actor_codes s ON s.id = e.source
        LEFT JOIN actor_codes t ON t.id = e.target
        WHERE e.article_id = ?
        ORDER BY e.evidence_start, e.source, e.target, e.relation""", [article_id]
