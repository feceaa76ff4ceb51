"""Static plotly figures of each view, captioned for a briefing.

The network is drawn the way the app's interactive graph is (dashboard.figures.network_html):
nodes at `layout.positions(edges, seed=figures.LAYOUT_SEED)`, which depends only on the edges
shown and the seed when no previous layout is passed, so the picture matches the screen; the
palette's colour per relation, the same width formula, dashes for hostile types, arrows on
directed types, parallel relations fanned out as curves, node size by weighted degree.
Every string from the data goes through `text()` first: plotly renders tags such as <b>, <br>
and <a> inside text, and a name must appear as the data's text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import analytics, figures, layout, palette
from dashboard.export.data import (
    COMPARE_BUDGET,
    MAX_EDGES,
    ViewData,
    plain,
    shown_edges,
)
from dashboard.export.render import HEIGHT, WIDTH

TITLES = {"network": "Alliance and hostility network", "timeline": "Events over time",
          "blocs": "Blocs: who stands with whom", "compare": "What changed"}
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
HALO = ("0 0 3px #ffffff, 0 0 3px #ffffff, 1px 1px 2px #ffffff, -1px -1px 2px #ffffff, "
        "1px -1px 2px #ffffff, -1px 1px 2px #ffffff")
NOTE = ("Arrows point from actor to target · node size = article links · "
        "line width = articles · dashed = hostile")
# Fallbacks only for a palette without comparison/bloc colours; palette.py's win.
CHANGE_COLOURS = {"new": "#0072b2", "lost": "#9aa5b1", "flipped": "#d55e00", "kept": "#c9d1d9"}
_BLOC_FALLBACK = plotly.colors.qualitative.Safe


def _bloc_colour(bloc: int) -> str:
    if hasattr(palette, "bloc_colour"):
        return palette.bloc_colour(bloc)
    return _BLOC_FALLBACK[bloc % len(_BLOC_FALLBACK)]


def text(value) -> str:
    """Plain text safe for plotly: markup removed, and '<', '>' and '&' as entities so what
    is left is shown as written, never parsed."""
    return (plain(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def title_of(data: ViewData, view: str | None = None) -> str:
    return text(data.view.title) if data.view.title else TITLES[view or data.view.view]


def footer(data: ViewData, made: dt.date) -> str:
    art = "article" if data.articles == 1 else "articles"
    pub = "publisher" if data.publishers == 1 else "publishers"
    return (f"{data.articles} {art} from {data.publishers} {pub} · made {made.isoformat()} · "
            "Alliance Atlas")


def _frame(fig: go.Figure, data: ViewData, made: dt.date, view: str | None = None,
           shift: int = -12) -> None:
    fig.update_layout(
        width=WIDTH, height=HEIGHT, paper_bgcolor=palette.BACKGROUND,
        plot_bgcolor=palette.BACKGROUND, font={"family": FONT, "color": palette.TEXT_COLOUR},
        title={"text": title_of(data, view), "x": 0.02, "xanchor": "left", "y": 0.975,
               "yanchor": "top", "font": {"size": 38},
               "subtitle": {"text": text(data.subtitle()),
                            "font": {"size": 21, "color": "#4d5d6c"}}})
    fig.add_annotation(text=text(footer(data, made)), xref="paper", yref="paper", x=0,
                       y=0, yshift=shift, xanchor="left", yanchor="top", showarrow=False,
                       font={"size": 17, "color": "#4d5d6c"})


def _width(weight: int) -> float:
    return round(1.8 + 2.2 * math.sqrt(max(int(weight), 1) - 1), 2)


def _degree(edges: pd.DataFrame) -> dict[str, float]:
    deg = layout.weighted_degree(edges)
    return {str(a): float(d) for a, d in deg.items()}


def _curve(p0: np.ndarray, p1: np.ndarray, k: int, clockwise: bool) -> np.ndarray:
    """Points along an edge: straight for the first relation of a pair, then arcs bowing
    alternately to either side, as vis-network's curvedCW/curvedCCW do in the app."""
    if k == 0:
        return np.array([p0, p1])
    roundness = 0.18 * math.ceil(k / 2)
    d = p1 - p0
    # y grows downwards (vis-network space): a clockwise bow is to the left of travel.
    normal = np.array([d[1], -d[0]]) * (1 if clockwise else -1)
    via = (p0 + p1) / 2 + normal * roundness
    t = np.linspace(0, 1, 10)[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * via + t ** 2 * p1


def _geometry(edges: pd.DataFrame, pos: dict) -> list[tuple]:
    rows = edges.sort_values(["source", "target", "relation"], kind="stable")
    parallel: dict[tuple[str, str], int] = {}
    out = []
    for row in rows.itertuples(index=False):
        pair = tuple(sorted((row.source, row.target)))
        k = parallel.get(pair, 0)
        parallel[pair] = k + 1
        clockwise = (k % 2 == 1) == (pair[0] == row.source)
        pts = _curve(np.asarray(pos[row.source]), np.asarray(pos[row.target]), k, clockwise)
        out.append((row, pair, pts))
    return out


def _draw(fig: go.Figure, edges: pd.DataFrame, pos: dict, names: dict, *,
          node_colour: dict[str, str] | None = None, legend: bool = True) -> None:
    """Draw the network as the app's interactive graph shows it."""
    degree = _degree(edges)
    top = max(degree.values()) or 1.0
    radius = {a: (7 + 15 * math.sqrt(degree.get(a, 0) / top)) for a in pos}
    geometry = _geometry(edges, pos)
    groups: dict[tuple[str, float], list[np.ndarray]] = {}
    gap = np.array([[np.nan, np.nan]])
    for row, _, pts in geometry:
        # Widths to the nearest half pixel: one trace per (relation, width) keeps big graphs
        # to a few dozen traces instead of one per edge.
        width = round(_width(row.weight) * 2) / 2
        groups.setdefault((row.relation, width), []).extend((pts, gap))
    # numpy arrays (NaN breaks the line) and one add_traces call: plotly validates Python
    # lists point by point and re-validates the figure on every add_trace.
    traces = []
    for (relation, width), parts in sorted(groups.items()):
        xy = np.vstack(parts)
        traces.append(go.Scatter(
            x=xy[:, 0], y=xy[:, 1], mode="lines", hoverinfo="skip", showlegend=False,
            legendgroup=relation, connectgaps=False,
            line={"color": palette.colour(relation), "width": width,
                  "dash": "dash" if palette.dashed(relation) else "solid"}))
    fig.add_traces(traces)
    _arrowheads(fig, geometry, radius, _ranges(pos))
    nodes = sorted(pos)
    colours = [(node_colour or {}).get(a, palette.NODE_COLOUR) for a in nodes]
    fig.add_trace(go.Scatter(
        x=[pos[a][0] for a in nodes], y=[pos[a][1] for a in nodes], mode="markers+text",
        # opacity 1: plotly makes sized markers ("bubbles") translucent by default.
        marker={"size": [2 * radius[a] for a in nodes], "color": colours, "opacity": 1,
                "line": {"color": palette.NODE_BORDER, "width": 2}},
        text=[text(names.get(a, a)) for a in nodes], textposition="top center",
        textfont={"size": [round(15 + 9 * math.sqrt(degree.get(a, 0) / top)) for a in nodes],
                  "color": palette.TEXT_COLOUR, "shadow": HALO},
        hoverinfo="skip", showlegend=False))
    if legend:
        for relation in palette.LEGEND_ORDER:
            if relation in set(edges["relation"]):
                fig.add_trace(go.Scatter(
                    x=[None], y=[None], mode="lines", name=palette.label(relation),
                    legendgroup=relation, line={"color": palette.colour(relation), "width": 5,
                                                "dash": "dash" if palette.dashed(relation)
                                                else "solid"}))


# Plot area of the single-panel figures (see _legend's margins), for pixel <-> data conversion.
_MARGIN = {"l": 40, "r": 250, "t": 150, "b": 70}
_PLOT_W = WIDTH - _MARGIN["l"] - _MARGIN["r"]
_PLOT_H = HEIGHT - _MARGIN["t"] - _MARGIN["b"]


def _ranges(pos: dict) -> tuple[list[float], list[float]]:
    """x range and (reversed) y range around the nodes, with room for labels above."""
    pts = np.array(list(pos.values())) if pos else np.zeros((1, 2))
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = np.maximum((hi - lo) * 0.07, 60)
    return ([float(lo[0] - pad[0]), float(hi[0] + pad[0])],
            [float(hi[1] + pad[1]), float(lo[1] - pad[1] * 1.6)])


def _arrowheads(fig: go.Figure, geometry: list[tuple], radius: dict,
                ranges: tuple[list[float], list[float]]) -> None:
    """One marker trace of arrowheads on the targets' rims. Annotations (plotly's own arrows)
    cost a layout pass each and made a 14,000-edge network take minutes; markers take none."""
    (x0, x1), (y0, y1) = ranges
    sx, sy = _PLOT_W / (x1 - x0), _PLOT_H / (y0 - y1)  # pixels per unit; y grows downwards
    xs, ys, angles, colours, sizes = [], [], [], [], []
    for row, _, pts in geometry:
        if not bool(row.directed) or row.source == row.target:
            continue
        tail, tip = pts[-2], pts[-1]
        dx, dy = (tip[0] - tail[0]) * sx, (tip[1] - tail[1]) * sy
        length = math.hypot(dx, dy)
        if length == 0:
            continue
        size = 9 + 1.6 * _width(row.weight)
        back = radius[row.target] + size * 0.45
        xs.append(tip[0] - dx / length * back / sx)
        ys.append(tip[1] - dy / length * back / sy)
        angles.append(math.degrees(math.atan2(dx, -dy)))  # clockwise from "up" on screen
        colours.append(palette.colour(row.relation))
        sizes.append(size)
    if xs:
        fig.add_trace(go.Scatter(x=np.array(xs), y=np.array(ys), mode="markers",
                                 hoverinfo="skip",
                                 showlegend=False,
                                 marker={"symbol": "triangle-up", "angle": angles,
                                         "color": colours, "size": sizes, "opacity": 1,
                                         "line": {"width": 0}}))


def _axes(fig: go.Figure, pos: dict, count: int = 1) -> None:
    xr, yr = _ranges(pos)
    for i in range(1, count + 1):
        suffix = "" if i == 1 else str(i)
        # vis-network's y axis points down, so the y range is reversed: the picture is the one
        # on screen. No fixed aspect ratio: the layout is about square and a 16:9 frame would
        # leave a third of the slide empty while labels crowd the middle, so it is stretched.
        fig.update_layout(**{f"xaxis{suffix}": {"visible": False, "range": xr},
                             f"yaxis{suffix}": {"visible": False, "range": yr}})


def _legend(fig: go.Figure, y: float = 0.5, note: str = NOTE) -> None:
    fig.update_layout(
        # The legend sits in the right margin so it never covers an actor.
        legend={"x": 1.01, "xanchor": "left", "y": y, "yanchor": "middle",
                "font": {"size": 19}, "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": "#d5dbdf", "borderwidth": 1, "itemwidth": 60,
                "title": {"text": "Relation", "font": {"size": 19}}},
        margin=_MARGIN)
    fig.add_annotation(text=note, xref="paper", yref="paper", x=1, y=0, yshift=-12,
                       xanchor="right", yanchor="top", showarrow=False,
                       font={"size": 16, "color": palette.MUTED_COLOUR})


def network_figure(data: ViewData, made: dt.date) -> go.Figure:
    pos = layout.positions(data.edges, seed=figures.LAYOUT_SEED)
    fig = go.Figure()
    _draw(fig, data.edges, pos, data.names)
    _axes(fig, pos)
    _legend(fig)
    _frame(fig, data, made, "network")
    return fig


def blocs_figure(data: ViewData, made: dt.date) -> go.Figure:
    pos = layout.positions(data.edges, seed=figures.LAYOUT_SEED)
    bloc_of = analytics.blocs(data.edges, seed=figures.LAYOUT_SEED)
    colour = {a: _bloc_colour(b) for a, b in bloc_of.items()}
    fig = go.Figure()
    _draw(fig, data.edges, pos, data.names, node_colour=colour)
    sizes = pd.Series(bloc_of).value_counts().sort_index()
    for b, n in sizes.items():
        if n < 2:
            continue  # single actors are blocs of their own: listing them all is noise
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers",
                                 name=f"Bloc {b + 1} ({n} actors)",
                                 marker={"size": 18, "color": _bloc_colour(b)}))
    _axes(fig, pos)
    _legend(fig)
    _frame(fig, data, made, "blocs")
    return fig


def _status_colour(status: str) -> str:
    return getattr(palette, "STATUS_COLOURS", CHANGE_COLOURS).get(status, palette.MUTED_COLOUR)


def _status_label(status: str) -> str:
    return getattr(palette, "STATUS_LABELS", {}).get(status, status.capitalize())


def _pairs_panel(fig: go.Figure, diff: pd.DataFrame, side: str, pos: dict, names: dict,
                 axes: int, legend: bool) -> None:
    """One period of the comparison as the app's Compare page draws it: one line per pair,
    coloured by what happened to it (palette.STATUS_COLOURS), dashed when gone or hostile,
    wider with the pair's articles in that period; nodes sized by that period's links."""
    sub = {"row": 1, "col": axes}
    present = diff[diff[f"weight_{side}"] > 0]
    degree: dict[str, float] = {}
    for a, b, w in present[["a", "b", f"weight_{side}"]].itertuples(index=False):
        degree[a] = degree.get(a, 0) + int(w)
        degree[b] = degree.get(b, 0) + int(w)
    top = max(degree.values(), default=0) or 1.0
    groups: dict[tuple, tuple[list, list]] = {}
    for row in present.itertuples(index=False):
        weight = int(getattr(row, f"weight_{side}"))
        lit = row.status != "kept"
        width = round((2.5 if lit else 1.2) + 2.0 * math.sqrt(max(weight - 1, 0)), 2)
        dash = row.status == "lost" or getattr(row, f"stance_{side}") == "hostile"
        xs, ys = groups.setdefault((row.status, width, dash), ([], []))
        xs += [pos[row.a][0], pos[row.b][0], None]
        ys += [pos[row.a][1], pos[row.b][1], None]
    order = {"kept": 0, "lost": 1, "new": 2, "flipped": 3}  # highlighted pairs on top
    for (status, width, dash), (xs, ys) in sorted(groups.items(),
                                                  key=lambda kv: (order.get(kv[0][0], 9),
                                                                  kv[0][1:])):
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 opacity=1.0 if status != "kept" else 0.7,
                                 line={"color": _status_colour(status), "width": width,
                                       "dash": "dash" if dash else "solid"}), **sub)
    nodes = sorted(degree)
    fig.add_trace(go.Scatter(
        x=[pos[a][0] for a in nodes], y=[pos[a][1] for a in nodes], mode="markers+text",
        marker={"size": [2 * (6 + 12 * math.sqrt(degree[a] / top)) for a in nodes],
                "color": palette.NODE_COLOUR, "opacity": 1,
                "line": {"color": palette.NODE_BORDER, "width": 2}},
        text=[text(names.get(a, a)) for a in nodes], textposition="top center",
        textfont={"size": [round(14 + 8 * math.sqrt(degree[a] / top)) for a in nodes],
                  "color": palette.TEXT_COLOUR, "shadow": HALO},
        hoverinfo="skip", showlegend=False), **sub)
    if legend:
        for status in ("new", "lost", "flipped", "kept"):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=_status_label(status),
                                     line={"color": _status_colour(status), "width": 5,
                                           "dash": "dash" if status == "lost" else "solid"}),
                          **sub)


def compare_figure(data: ViewData, made: dt.date) -> go.Figure:
    """Period A and period B side by side on the same positions (laid out on both periods'
    edges together), pairs coloured by new / gone / changed sign / kept."""
    drawn, _, _ = shown_edges(pd.concat([data.before, data.after], ignore_index=True),
                              None, 1, COMPARE_BUDGET)
    pos = layout.positions(drawn, seed=figures.LAYOUT_SEED)
    view = data.view
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.03,
                        subplot_titles=[f"A: {view.period_a.label}", f"B: {view.period_b.label}"])
    for ann in fig.layout.annotations:
        ann.font = {"size": 24, "color": palette.TEXT_COLOUR}
    diff = data.diff[data.diff["a"].isin(pos) & data.diff["b"].isin(pos)]
    heaviest = diff[["weight_before", "weight_after"]].max(axis=1)
    diff = diff.assign(_w=heaviest).sort_values("_w", ascending=False, kind="stable") \
        .head(MAX_EDGES)
    for i, side in enumerate(("before", "after"), start=1):
        if (diff[f"weight_{side}"] > 0).any():
            _pairs_panel(fig, diff, side, pos, data.names, i, legend=i == 1)
        else:
            fig.add_annotation(text="No relations in this period", showarrow=False,
                               xref=f"x{'' if i == 1 else i} domain",
                               yref=f"y{'' if i == 1 else i} domain", x=0.5, y=0.5,
                               font={"size": 22, "color": palette.MUTED_COLOUR})
    _axes(fig, pos, 2)
    _legend(fig, note="Line width = articles in that period · dashed = gone in B or hostile")
    fig.update_layout(legend={"title": {"text": "Pair"}})
    _frame(fig, data, made, "compare")
    return fig


def timeline_figure(data: ViewData, made: dt.date) -> go.Figure:
    fig = _timeline_base(data.timeline)
    fig.update_layout(margin={"l": 90, "r": 50, "t": 200, "b": 110},
                      legend={"y": 1.01, "font": {"size": 19}}, font={"size": 19},
                      hovermode=False)
    # Below the date ticks, not on them.
    _frame(fig, data, made, "timeline", shift=-62)
    return fig


def _timeline_base(timeline: pd.DataFrame) -> go.Figure:
    # The app's timeline figure (moved from dashboard.figures to dashboard.charts).
    try:
        from dashboard.charts import timeline_figure as app_timeline
    except ImportError:
        app_timeline = figures.timeline_figure
    return app_timeline(timeline, HEIGHT)


BUILDERS = {"network": network_figure, "blocs": blocs_figure, "compare": compare_figure,
            "timeline": timeline_figure}


def figure(data: ViewData, view: str, made: dt.date) -> go.Figure:
    return BUILDERS[view](data, made)
