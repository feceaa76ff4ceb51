"""Everything one export needs, fetched once from a read-only store connection.

The edges are trimmed exactly as the app trims the network it draws (`shown_edges`): the focus
actor's neighbourhood first, then the node budget, so an export never shows an edge the
analyst did not see, and the sources cite only articles behind the edges shown.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard import analytics, comparison, layout, palette, picture, queries
from dashboard import view_settings as settings
from dashboard.errors import FilterError
from dashboard.export.view import ExportView, Period, describe

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)


def plain(text) -> str:
    """The data's text with any HTML markup removed: a title scraped as '<b>Breaking</b>' is
    'Breaking' on a slide, and plotly (which renders <b>, <br>, <a>...) never sees a tag."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    text = _BREAK.sub(" ", str(text))
    text = html.unescape(_TAG.sub("", text))
    # Unescaping can reveal a tag written as entities ('&lt;b&gt;'): strip once more.
    return " ".join(_TAG.sub("", text).split())


def actor_labels(actors: pd.DataFrame) -> dict[str, str]:
    """id -> display label, the id appended where two actors share a name: the same rule as
    the app's actor picker (dashboard.ui.filters.actor_labels), so URL values resolve."""
    counts = actors["name"].value_counts()
    return {a: n if counts[n] == 1 else f"{n} ({a})"
            for a, n in zip(actors["id"], actors["name"], strict=True)}


# The app's drawing limits, from the one module the app and the exports share.
MAX_EDGES = settings.MAX_EDGES
COMPARE_BUDGET = settings.COMPARE_BUDGET
PAIR_EVENTS = 2000  # the Timeline page's pair chart draws at most this many events
EVIDENCE_QUOTED = 8


def trimmed(summary: pd.DataFrame, focus: str | None, steps: int,
            budget: int) -> tuple[pd.DataFrame, int, int, int]:
    """The edge_summary rows the network draws, the number of actors kept, the number there
    were and the number of relations between the kept actors before the MAX_EDGES cap: the
    focus actor's neighbourhood (if any), then the `budget` actors of largest weighted
    degree, then at most MAX_EDGES strongest relations. The app's network pages trim with
    this too (`dashboard.ui.network.trim`)."""
    rows = summary
    if focus:
        rows = layout.neighbourhood(rows, focus, steps)
    picked, shown, total = layout.top_actor_rows(rows, budget)
    if picked is None:
        picked = np.arange(len(rows))
    relations = len(picked)
    if relations > MAX_EDGES:  # the heaviest, ties in the rows' order (a stable sort)
        weight = rows["weight"].to_numpy(dtype=np.int64)[picked]
        picked = picked[np.argsort(-weight, kind="stable")[:MAX_EDGES]]
    return rows.take(picked).reset_index(drop=True), shown, total, relations


def shown_edges(summary: pd.DataFrame, focus: str | None, steps: int,
                budget: int) -> tuple[pd.DataFrame, int, int]:
    """`trimmed` without the count of relations before the cap."""
    return trimmed(summary, focus, steps, budget)[:3]


@dataclass(frozen=True)
class ViewData:
    view: ExportView
    edges: pd.DataFrame          # edge_summary rows shown
    names: dict[str, str]        # actor id -> plain display name
    actors_shown: int
    actors_total: int
    timeline: pd.DataFrame
    sources: pd.DataFrame        # one row per article behind the edges shown
    first: dt.date | None        # the store's first and last event, for open date ranges
    last: dt.date | None
    before: pd.DataFrame | None = None   # compare: edges of period A and B, and their diff
    after: pd.DataFrame | None = None
    diff: pd.DataFrame | None = None
    blocs: dict[str, int] | None = None  # actor -> bloc, as the app colours the nodes
    pair_events: pd.DataFrame | None = None  # the Timeline page's pair chart
    evidence: pd.DataFrame | None = None  # the strongest sentences behind the edges shown
    reference: dict[str, tuple[float, float]] | None = None  # the store's map (store_map)

    @property
    def articles(self) -> int:
        return int(self.sources["article_id"].nunique()) if not self.sources.empty else 0

    @property
    def publishers(self) -> int:
        return int(self.sources["publisher"].nunique()) if not self.sources.empty else 0

    def date_range(self) -> str:
        if self.view.view == "compare" and self.view.period_a and self.view.period_b:
            return f"{self.view.period_a.label} vs {self.view.period_b.label}"
        lo = self.view.filters.date_from or self.first
        hi = self.view.filters.date_to or self.last
        return f"{lo} to {hi}"

    def subtitle(self) -> str:
        text = f"{self.date_range()} · {describe(self.view, self.names)}"
        if self.actors_shown < self.actors_total:
            text += f" · the {self.actors_shown} most connected of {self.actors_total} actors"
        return text


def open_store(path: Path) -> duckdb.DuckDBPyConnection:
    """The read-only connection the `queries` builders run on, as the app opens it."""
    return queries.connect(path)


def _store_actors(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return queries.run(con, queries.actors_in_edges())


def labels_from_store(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return actor_labels(_store_actors(con))


def _summary(con, filters: queries.Filters, view: ExportView
             ) -> tuple[pd.DataFrame, int, int, dict[str, int]]:
    """The edges drawn, the actors kept and there were, and the blocs of every actor under
    the filters (all actors, not just those drawn, as the app colours them)."""
    summary = queries.run(con, queries.edge_summary(filters))
    blocs = picture.real_blocs(analytics.blocs(summary, seed=settings.LAYOUT_SEED)) \
        if not summary.empty else {}
    return (*shown_edges(summary, view.focus, view.steps, view.budget), blocs)


def _joined(con, keys: pd.DataFrame, select: str, f: queries.Filters, periods,
            group: str, order: str) -> pd.DataFrame:
    """Run `select` over the rows `e` (source, target, relation, stance, date, publisher,
    statements, art, event, cameo) of the edges `keys` that pass the filters `f` in one of the
    date ranges `periods`, joined to their articles `a` (`art_codes`). The filters are
    `queries`' own."""
    # A registered frame keeps the edge keys out of the SQL text (no interpolation) and lets
    # DuckDB join instead of building an IN list of thousands of tuples.
    name = f"keys_{uuid.uuid4().hex}"
    con.register(name, keys[["source", "target", "relation"]].drop_duplicates())
    spans = [queries._where(f.replace(date_from=lo, date_to=hi)) for lo, hi in periods]
    where = " OR ".join(f"({sql})" for sql, _ in spans)
    try:
        sql = f"""
            WITH e AS (
                SELECT w.source, w.target, w.relation, w.stance, f.date, pc.publisher,
                       f.statements, f.art, f.event, f.cameo
                FROM facts f
                JOIN whole_edges w ON w.edge = f.edge
                JOIN "{name}" k ON k.source = w.source AND k.target = w.target
                               AND k.relation = w.relation
                JOIN pub_codes pc ON pc.code = f.pub
                WHERE {where})
            SELECT {select}
            FROM e JOIN art_codes a ON a.code = e.art
            GROUP BY {group} ORDER BY {order}"""  # noqa: S608 - fixed text and ? only
        return con.execute(sql, [p for _, params in spans for p in params]).df()
    finally:
        con.unregister(name)


def _sources(con, edges: pd.DataFrame, f: queries.Filters, periods) -> pd.DataFrame:
    """Every article that states one of `edges` inside one of the date ranges."""
    columns = ["article_id", "title", "publisher", "published", "url", "first_date",
               "relations"]
    if edges.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = _joined(con, edges, """a.id AS article_id, any_value(a.title) AS title,
                   any_value(e.publisher) AS publisher, any_value(a.published) AS published,
                   any_value(a.url) AS url, min(e.date) AS first_date,
                   string_agg(DISTINCT e.relation, ', ' ORDER BY e.relation) AS relations""",
                  f, periods, "a.id", "published, publisher, a.id")
    # Raw text: it is made plain where it is written out (`slides.source_lines`), only for the
    # articles cited, not for every row of an image that cites none of them.
    return out[columns]


def _with_stats(con, edges: pd.DataFrame, f: queries.Filters, periods) -> pd.DataFrame:
    """`edges` with publishers, statements (evidence count), first_date, last_date and the
    PLOVER event types and CAMEO codes of its statements (`event`, `cameo`: distinct values
    joined by ", "), for the graph files. Computed here rather than taken from edge_summary,
    whose columns are tuned for the app's speed and may leave these out."""
    extra = ["publishers", "statements", "first_date", "last_date", "event", "cameo"]
    base = edges.drop(columns=[c for c in extra if c in edges.columns])
    if "directed" not in base.columns:
        base = base.assign(directed=base["relation"].map(palette.is_directed))
    if "stance" not in base.columns:
        base = base.assign(stance=base["relation"].map(
            lambda r: "hostile" if palette.is_hostile(r) else "cooperative"))
    if edges.empty:
        return base.assign(**{c: pd.Series(dtype=object) for c in extra})
    stats = _joined(con, edges, """e.source, e.target, e.relation,
                    CAST(count(DISTINCT e.publisher) AS BIGINT) AS publishers,
                    CAST(sum(e.statements) AS BIGINT) AS statements,
                    min(e.date) AS first_date, max(e.date) AS last_date,
                    string_agg(DISTINCT e.event, ', ' ORDER BY e.event) AS event,
                    string_agg(DISTINCT e.cameo, ', ' ORDER BY e.cameo) AS cameo""",
                    f, periods, "e.source, e.target, e.relation", "1, 2, 3")
    return base.merge(stats, on=["source", "target", "relation"], how="left")


def store_map(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[float, float]]:
    """The store's map (`layout.reference` of every edge, no filter): where every network
    view starts, as the app's `dashboard.ui.network.store_map` reads it."""
    return layout.reference(queries.run(con, queries.edge_summary(queries.Filters())),
                            seed=settings.LAYOUT_SEED)


def load(con: duckdb.DuckDBPyConnection, view: ExportView) -> ViewData:
    """Fetch the view; `FilterError` when it would be empty (an unknown focus, no match)."""
    actors = _store_actors(con)
    names = {a: plain(n) or a for a, n in zip(actors["id"], actors["name"], strict=True)}
    for a in view.filters.actors:
        if a not in names:
            raise FilterError(f"unknown actor {a!r}: it takes part in no relation in the store")
    if view.focus and view.focus not in names:
        raise FilterError(f"unknown focus actor {view.focus!r}: it takes part in no relation "
                          "in the store")
    first, last = queries.run(con, queries.date_bounds()).iloc[0].tolist()
    first, last = (pd.Timestamp(d).date() if pd.notna(d) else None for d in (first, last))
    before = after = diff = pair_events = None
    blocs: dict[str, int] = {}
    if view.compared:
        # As the Compare page: the diff is of the full summaries; only the drawing is trimmed.
        before = queries.run(con, queries.edge_summary(_in(view.filters, view.period_a)))
        after = queries.run(con, queries.edge_summary(_in(view.filters, view.period_b)))
        diff = comparison.period_diff(before, after)
    if view.view == "compare":
        edges, shown, total = shown_edges(pd.concat([before, after], ignore_index=True),
                                          None, 1, COMPARE_BUDGET)
        periods = [(view.period_a.start, view.period_a.end),
                   (view.period_b.start, view.period_b.end)]
        timeline = pd.DataFrame(columns=["period", "relation", "stance", "events"])
    else:
        edges, shown, total, blocs = _summary(con, view.filters, view)
        periods = [(view.filters.date_from, view.filters.date_to)]
        # As the Timeline page: every event the filters let through (the node budget
        # trims the drawing, not the counts); a focus narrows it to the edges drawn.
        timeline = _timeline(con, view, edges, trimmed=bool(view.focus))
        if view.view == "timeline" and view.pair:
            pair_events = queries.run(con, queries.evidence(view.filters, PAIR_EVENTS,
                                                            pair=view.pair))
    if edges.empty:
        raise FilterError(f"no relations match this view ({_range(view, first, last)}; "
                          f"{describe(view, names)}): widen the dates, add relation types or "
                          "actors, or lower the minimum weight")
    edges = _with_stats(con, edges, view.filters, periods)
    evidence = _strongest(con, view, edges)
    return ViewData(view=view, edges=edges, names=names, actors_shown=shown,
                    actors_total=total, timeline=timeline,
                    sources=_sources(con, edges, view.filters, periods), first=first, last=last,
                    before=before, after=after, diff=diff, blocs=blocs,
                    pair_events=pair_events, evidence=evidence,
                    reference=None if view.view == "compare" else store_map(con))


def _strongest(con, view: ExportView, edges: pd.DataFrame) -> pd.DataFrame:
    """The most reported relations' sentences (the evidence box's order), kept to the edges
    drawn, the focus actor's first when there is one."""
    rows = queries.run(con, queries.evidence(view.filters, EVIDENCE_QUOTED * 8, strongest=True,
                                             involving=view.focus))
    if rows.empty:
        return rows
    drawn = set(zip(edges["source"], edges["target"], edges["relation"], strict=True))
    keep = [(s, t, r) in drawn for s, t, r in
            zip(rows["source_id"], rows["target_id"], rows["relation"], strict=True)]
    rows = rows[keep]
    # One sentence per relation first, so the slide covers more than one pair.
    first = rows.drop_duplicates(["source_id", "target_id", "relation"])
    return pd.concat([first, rows.drop(first.index)]).head(EVIDENCE_QUOTED) \
        .reset_index(drop=True)


def _range(view: ExportView, first, last) -> str:
    if view.view == "compare":
        return f"{view.period_a.label} vs {view.period_b.label}"
    return f"{view.filters.date_from or first} to {view.filters.date_to or last}"


def _in(filters: queries.Filters, period: Period) -> queries.Filters:
    return replace(filters, date_from=period.start, date_to=period.end)


def _timeline(con, view: ExportView, edges: pd.DataFrame, trimmed: bool) -> pd.DataFrame:
    """Events per week or month (the page's granularity) for exactly the edges drawn: the
    app's query when nothing was trimmed, else the same count restricted to the kept edges."""
    if not trimmed:
        return queries.run(con, queries.timeline(view.filters, view.freq))
    f = view.filters
    unit = "week" if view.freq == "week" else "month"
    return _joined(con, edges, f"""CAST(date_trunc('{unit}', e.date) AS DATE) AS period,
                   e.relation, any_value(e.stance) AS stance, count(*) AS events""",
                   f, [(f.date_from, f.date_to)], "period, e.relation", "period, e.relation")
