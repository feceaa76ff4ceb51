"""Static plotly figures of each view, captioned for a briefing.

The network is the app's picture of the view (`dashboard.picture.network_picture`: the same
positions, bloc colours, sizes, labels and line widths as the interactive graph), drawn in a
plot area that is the layout's frame pixel for pixel. The timeline is the page's chart at the
page's granularity, with the pair or actor chart the page shows under it.
Every string from the data goes through `text()` first: plotly renders tags such as <b>, <br>
and <a> inside text, and a name must appear as the data's text, never as markup.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import charts, layout, palette, picture
from dashboard import view_settings as settings
from dashboard.export.data import ViewData, plain, shown_edges
from dashboard.export.render import HEIGHT, WIDTH

TITLES = {"network": "Alliance and hostility network", "timeline": "Events over time",
          "blocs": "Blocs: who stands with whom", "compare": "What changed"}
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
HALO = ("0 0 3px #ffffff, 0 0 3px #ffffff, 1px 1px 2px #ffffff, -1px -1px 2px #ffffff, "
        "1px -1px 2px #ffffff, -1px 1px 2px #ffffff")


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


# The plot area is the layout's frame, pixel for pixel: one data unit is one pixel of the
# 1920x1080 canvas, so the sizes `dashboard.picture` chose are the sizes drawn.
_MARGIN = {"l": 40, "r": WIDTH - 40 - settings.FRAME_WIDTH, "t": 160,
           "b": HEIGHT - 160 - settings.FRAME_HEIGHT}
_SYMBOLS = {"dot": "circle", "square": "square", "triangle": "triangle-up",
            "diamond": "diamond"}


def _curve(p0: np.ndarray, p1: np.ndarray, roundness: float, clockwise: bool) -> np.ndarray:
    """Points along an edge: straight for the first relation of a pair, then arcs bowing
    alternately to either side, as vis-network's curvedCW/curvedCCW do in the app."""
    if roundness == 0:
        return np.array([p0, p1])
    d = p1 - p0
    # y grows downwards (vis-network space): a clockwise bow is to the left of travel.
    normal = np.array([d[1], -d[0]]) * (1 if clockwise else -1)
    via = (p0 + p1) / 2 + normal * roundness
    t = np.linspace(0, 1, 10)[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * via + t ** 2 * p1


def label_centre(node: picture.Node) -> tuple[float, float]:
    """Where a node's label is centred: just under (or over) the node, as `layout.arrange`
    placed it (and where vis-network writes it in the app)."""
    offset = node.radius + layout.LABEL_GAP + node.font * layout.LINE_HEIGHT / 2
    return node.x, node.y - offset if node.above else node.y + offset


def draw_picture(fig: go.Figure, pic: picture.Picture, *, legend: bool = True,
                 subplot: dict | None = None) -> None:
    """Draw `pic` (a `dashboard.picture.Picture`) as the app's interactive graph shows it."""
    sub = subplot or {}
    groups: dict[tuple[str, float, bool], list[np.ndarray]] = {}
    gap = np.array([[np.nan, np.nan]])
    heads = []
    for edge in pic.edges:
        a, b = pic.nodes[edge.source], pic.nodes[edge.target]
        pts = _curve(np.array([a.x, a.y]), np.array([b.x, b.y]),
                     edge.roundness if edge.bend else 0.0, edge.clockwise)
        # One trace per (relation, width) keeps big graphs to a few dozen traces.
        groups.setdefault((edge.relation, edge.width, edge.dashed), []).extend((pts, gap))
        if edge.arrow and edge.source != edge.target:
            heads.append((edge, pts[-2], pts[-1], b.radius))
    # numpy arrays (NaN breaks the line) and one add_traces call: plotly validates Python
    # lists point by point and re-validates the figure on every add_trace.
    traces = []
    for (relation, width, dashed), parts in sorted(groups.items()):
        xy = np.vstack(parts)
        traces.append(go.Scatter(
            x=xy[:, 0], y=xy[:, 1], mode="lines", hoverinfo="skip", showlegend=False,
            legendgroup=relation, connectgaps=False,
            line={"color": palette.colour(relation), "width": width,
                  "dash": "dash" if dashed else "solid"}))
    if traces:
        fig.add_traces(traces, rows=sub.get("row"), cols=sub.get("col"))
    _arrowheads(fig, heads, sub)
    nodes = sorted(pic.nodes.values(), key=lambda n: n.id)
    fig.add_trace(go.Scatter(
        x=[n.x for n in nodes], y=[n.y for n in nodes], mode="markers",
        # opacity 1: plotly makes sized markers ("bubbles") translucent by default.
        marker={"size": [2 * n.radius for n in nodes], "color": [n.colour for n in nodes],
                "symbol": [_SYMBOLS.get(n.shape, "circle") for n in nodes], "opacity": 1,
                "line": {"color": [settings.FOCUS_RING if n.focus else palette.NODE_BORDER
                                   for n in nodes],
                         "width": [5 if n.focus else 2 for n in nodes]}},
        hoverinfo="skip", showlegend=False, name="actors"), **sub)
    named = [n for n in nodes if n.label]
    centres = [label_centre(n) for n in named]
    fig.add_trace(go.Scatter(
        x=[c[0] for c in centres], y=[c[1] for c in centres], mode="text",
        text=[text(n.label) for n in named], textposition="middle center",
        textfont={"size": [round(n.font, 1) for n in named], "family": FONT,
                  "color": palette.TEXT_COLOUR, "shadow": HALO},
        hoverinfo="skip", showlegend=False, name="labels"), **sub)
    if legend:
        shown = {e.relation for e in pic.edges}
        for relation in palette.LEGEND_ORDER:
            if relation in shown:
                fig.add_trace(go.Scatter(
                    x=[None], y=[None], mode="lines", name=palette.label(relation),
                    legendgroup=relation, line={"color": palette.colour(relation), "width": 5,
                                                "dash": "dash" if palette.dashed(relation)
                                                else "solid"}), **sub)


def _arrowheads(fig: go.Figure, heads: list[tuple], sub: dict) -> None:
    """One marker trace of arrowheads on the targets' rims. Annotations (plotly's own arrows)
    cost a layout pass each and made a 14,000-edge network take minutes; markers take none."""
    xs, ys, angles, colours, sizes = [], [], [], [], []
    for edge, tail, tip, radius in heads:
        dx, dy = tip[0] - tail[0], tip[1] - tail[1]
        length = math.hypot(dx, dy)
        if length == 0:
            continue
        back = radius + edge.arrow * 0.45
        xs.append(tip[0] - dx / length * back)
        ys.append(tip[1] - dy / length * back)
        angles.append(math.degrees(math.atan2(dx, -dy)))  # clockwise from "up" on screen
        colours.append(edge.colour)
        sizes.append(edge.arrow)
    if xs:
        fig.add_trace(go.Scatter(x=np.array(xs), y=np.array(ys), mode="markers",
                                 hoverinfo="skip", showlegend=False,
                                 marker={"symbol": "triangle-up", "angle": angles,
                                         "color": colours, "size": sizes, "opacity": 1,
                                         "line": {"width": 0}}), **sub)


def _axes(fig: go.Figure, count: int = 1) -> None:
    for i in range(1, count + 1):
        suffix = "" if i == 1 else str(i)
        # The frame in pixels, y pointing down as in vis-network: the picture on screen.
        fig.update_layout(**{f"xaxis{suffix}": {"visible": False,
                                                "range": [0, settings.FRAME_WIDTH]},
                             f"yaxis{suffix}": {"visible": False,
                                                "range": [settings.FRAME_HEIGHT, 0]}})


def _legend(fig: go.Figure, notes: list[str], y: float = 1.0) -> None:
    fig.update_layout(
        # The legend sits in the right margin so it never covers an actor.
        legend={"x": 1.01, "xanchor": "left", "y": y, "yanchor": "top",
                "font": {"size": 19}, "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": "#d5dbdf", "borderwidth": 1, "itemwidth": 60,
                "title": {"text": "Relation", "font": {"size": 19}}},
        margin=_MARGIN)
    lines = [w for note in notes for w in textwrap.wrap(note[:1].upper() + note[1:], 30)]
    fig.add_annotation(text="<br>".join(text(line) for line in lines), xref="paper",
                       yref="paper", x=1.01, y=0, xanchor="left", yanchor="bottom",
                       align="left", showarrow=False,
                       font={"size": 15, "color": palette.MUTED_COLOUR})


def view_picture(data: ViewData) -> picture.Picture:
    """The picture of the view's network, as the app draws it (blocs and focus included)."""
    names = {a: plain(n) for a, n in data.names.items()}  # text, never markup, is laid out
    return picture.network_picture(data.edges, names, blocs=data.blocs,
                                   focus=data.view.focus, reference=data.reference)


def _network_view(data: ViewData, made: dt.date, view: str) -> go.Figure:
    """The network or blocs view: the picture, the relation legend, the bloc colours the
    nodes have (as on the page), and the notes on sizes, widths and names."""
    pic = view_picture(data)
    fig = go.Figure()
    draw_picture(fig, pic)
    sizes = pd.Series([n.bloc for n in pic.nodes.values() if n.bloc is not None],
                      dtype="int64").value_counts().sort_index()
    for b, n in sizes.items():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers",
                                 name=f"{palette.bloc_label(int(b))} ({n} actors)",
                                 marker={"size": 18, "color": palette.bloc_colour(int(b)),
                                         "symbol": _SYMBOLS.get(palette.bloc_shape(int(b)),
                                                                "circle")}))
    _axes(fig)
    _legend(fig, pic.notes())
    _frame(fig, data, made, view)
    return fig


def network_figure(data: ViewData, made: dt.date) -> go.Figure:
    return _network_view(data, made, "network")


def blocs_figure(data: ViewData, made: dt.date) -> go.Figure:
    return _network_view(data, made, "blocs")


def _pairs_panel(fig: go.Figure, diff: pd.DataFrame, side: str, arranged: layout.Arrangement,
                 heaviest: int, axes: int, legend: bool) -> None:
    """One period of the comparison as the app's Compare page draws it: one line per pair,
    coloured by what happened to it (palette.STATUS_COLOURS), dashed when gone or hostile,
    wider with the pair's articles in that period (scaled to the heaviest pair, capped)."""
    sub = {"row": 1, "col": axes}
    pos = arranged.nodes
    present = diff[diff[f"weight_{side}"] > 0]
    groups: dict[tuple, tuple[list, list]] = {}
    for row in present.itertuples(index=False):
        width = picture.line_width(int(getattr(row, f"weight_{side}")), heaviest)
        if row.status == "kept":
            width = max(settings.WIDTH_MIN, width * 0.6)
        dash = row.status == "lost" or getattr(row, f"stance_{side}") == "hostile"
        xs, ys = groups.setdefault((row.status, width, dash), ([], []))
        xs += [pos[row.a].x, pos[row.b].x, None]
        ys += [pos[row.a].y, pos[row.b].y, None]
    order = {"kept": 0, "lost": 1, "new": 2, "flipped": 3}  # highlighted pairs on top
    for (status, width, dash), (xs, ys) in sorted(groups.items(),
                                                  key=lambda kv: (order.get(kv[0][0], 9),
                                                                  kv[0][1:])):
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 opacity=1.0 if status != "kept" else 0.7,
                                 line={"color": palette.STATUS_COLOURS[status], "width": width,
                                       "dash": "dash" if dash else "solid"}), **sub)
    active = set(present["a"]) | set(present["b"])
    nodes = sorted(pos)
    fig.add_trace(go.Scatter(
        x=[pos[a].x for a in nodes], y=[pos[a].y for a in nodes], mode="markers",
        marker={"size": [2 * pos[a].radius for a in nodes], "opacity": 1,
                "color": [palette.NODE_COLOUR if a in active else palette.ABSENT_COLOUR
                          for a in nodes],
                "line": {"color": palette.NODE_BORDER, "width": 2}},
        hoverinfo="skip", showlegend=False), **sub)
    named = [pos[a] for a in nodes if pos[a].label]
    fig.add_trace(go.Scatter(
        x=[p.x for p in named],
        y=[p.y + p.radius + layout.LABEL_GAP + p.font * layout.LINE_HEIGHT / 2 for p in named],
        mode="text", text=[text(p.label) for p in named], textposition="middle center",
        textfont={"size": [round(p.font, 1) for p in named], "family": FONT,
                  "color": palette.TEXT_COLOUR, "shadow": HALO},
        hoverinfo="skip", showlegend=False), **sub)
    if legend:
        for status in ("new", "lost", "flipped", "kept"):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines",
                                     name=palette.STATUS_LABELS[status],
                                     line={"color": palette.STATUS_COLOURS[status], "width": 5,
                                           "dash": "dash" if status == "lost" else "solid"}),
                          **sub)


_COMPARE_GAP = 0.03


def compare_figure(data: ViewData, made: dt.date) -> go.Figure:
    """Period A and period B side by side on the same positions (laid out on both periods'
    edges together), pairs coloured by new / gone / changed sign / kept."""
    drawn, _, _ = shown_edges(pd.concat([data.before, data.after], ignore_index=True),
                              None, 1, settings.COMPARE_BUDGET)
    panel = settings.FRAME_WIDTH * (1 - _COMPARE_GAP) / 2
    arranged = layout.arrange(drawn, {a: plain(n) for a, n in data.names.items()}, width=panel)
    view = data.view
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=_COMPARE_GAP,
                        subplot_titles=[f"A: {view.period_a.label}", f"B: {view.period_b.label}"])
    for ann in fig.layout.annotations:
        ann.font = {"size": 24, "color": palette.TEXT_COLOUR}
    diff = data.diff[data.diff["a"].isin(arranged.nodes) & data.diff["b"].isin(arranged.nodes)]
    heaviest = diff[["weight_before", "weight_after"]].max(axis=1)
    diff = diff.assign(_w=heaviest).sort_values("_w", ascending=False, kind="stable") \
        .head(settings.MAX_EDGES)
    top = int(diff["_w"].max()) if not diff.empty else 1
    for i, side in enumerate(("before", "after"), start=1):
        if (diff[f"weight_{side}"] > 0).any():
            _pairs_panel(fig, diff, side, arranged, top, i, legend=i == 1)
        else:
            fig.add_annotation(text="No relations in this period", showarrow=False,
                               xref=f"x{'' if i == 1 else i} domain",
                               yref=f"y{'' if i == 1 else i} domain", x=0.5, y=0.5,
                               font={"size": 22, "color": palette.MUTED_COLOUR})
    for suffix in ("", "2"):
        fig.update_layout(**{f"xaxis{suffix}": {"visible": False, "range": [0, panel]},
                             f"yaxis{suffix}": {"visible": False,
                                                "range": [settings.FRAME_HEIGHT, 0]}})
    _legend(fig, [f"line width = articles in that period, up to {top:,}",
                  "dashed = gone in B or hostile", arranged.label_note()])
    fig.update_layout(legend={"title": {"text": "Pair"}})
    _frame(fig, data, made, "compare")
    return fig


def timeline_figure(data: ViewData, made: dt.date) -> go.Figure:
    """The Timeline page's chart at its granularity, and under it the pair's events or the
    actor's partners when the page shows them."""
    view = data.view
    freq = view.freq
    if data.pair_events is not None and view.pair:
        a, b = view.pair
        lower = charts.pair_timeline_figure(data.pair_events, a, b, data.names)
    else:
        lower = None
    if lower is None:
        fig = charts.timeline_figure(data.timeline, HEIGHT, freq=freq)
        fig.update_layout(margin={"l": 90, "r": 50, "t": 200, "b": 110})
    else:
        fig = make_subplots(rows=2, cols=1, vertical_spacing=0.16, row_heights=[0.5, 0.5],
                            subplot_titles=["", text(f"{data.names.get(a, a)} and "
                                                     f"{data.names.get(b, b)}: every event")])
        top = charts.timeline_figure(data.timeline, HEIGHT, freq=freq)
        for trace in top.data:
            fig.add_trace(trace, row=1, col=1)
        for trace in lower.data:
            trace.showlegend = False
            fig.add_trace(trace, row=2, col=1)
        fig.update_layout(barmode="relative", bargap=0.15, template="plotly_white",
                          margin={"l": 160, "r": 50, "t": 200, "b": 110})
        fig.update_yaxes(top.layout.yaxis.to_plotly_json(), row=1, col=1)
        fig.update_xaxes(tickformat=top.layout.xaxis.tickformat, showgrid=False, row=1, col=1)
        fig.update_yaxes(lower.layout.yaxis.to_plotly_json(), row=2, col=1)
        fig.update_xaxes(tickformat="%b %Y", row=2, col=1)
        for ann in fig.layout.annotations:
            ann.font = {"size": 22, "color": palette.TEXT_COLOUR}
    fig.update_layout(legend={"y": 1.01, "yanchor": "bottom", "x": 0, "orientation": "h",
                              "font": {"size": 19}},
                      font={"size": 19}, hovermode=False)
    # Below the date ticks, not on them.
    _frame(fig, data, made, "timeline", shift=-62)
    return fig


BUILDERS = {"network": network_figure, "blocs": blocs_figure, "compare": compare_figure,
            "timeline": timeline_figure}


def figure(data: ViewData, view: str, made: dt.date) -> go.Figure:
    return BUILDERS[view](data, made)
