"""Plotly charts built from query results: timelines, the pair timeline, an actor's relation mix
and its allies and adversaries. No streamlit here.

Every chart uses the relation colours of `dashboard.palette`, puts cooperation above the axis
and hostility below it, and uses type big enough for a projector. Article text reaches a chart
only as hover text, escaped first (plotly renders a few HTML tags in hover labels).
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from dashboard import palette

FONT = {"size": 16, "color": palette.TEXT_COLOUR}
_MODEBAR = {"displaylogo": False, "displayModeBar": False}
PLOTLY_CONFIG = _MODEBAR


def _base(fig: go.Figure, height_px: int, **layout) -> go.Figure:
    fig.update_layout(template="plotly_white", height=height_px, font=FONT,
                      margin={"l": 70, "r": 20, "t": 40, "b": 40},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
                              "traceorder": "normal", "font": {"size": 15}},
                      **layout)
    return fig


def enlarged(fig: go.Figure, scale: float) -> go.Figure:
    """`fig` with every type size times `scale` (presenter mode): the base font, hence the
    axes' ticks, and every size set on its own (axis titles, legend, notes)."""
    if scale == 1:
        return fig
    fig.update_layout(font_size=(fig.layout.font.size or 12) * scale)
    if fig.layout.legend.font.size:
        fig.update_layout(legend_font_size=fig.layout.legend.font.size * scale)
    for axis in (*fig.select_xaxes(), *fig.select_yaxes()):
        if axis.title.font.size:
            axis.title.font.size *= scale
        if axis.tickfont.size:
            axis.tickfont.size *= scale
    for note in fig.layout.annotations:
        if note.font.size:
            note.font.size *= scale
    if fig.layout.hoverlabel.font.size:
        fig.update_layout(hoverlabel_font_size=fig.layout.hoverlabel.font.size * scale)
    return fig


def _empty(fig: go.Figure, text: str) -> go.Figure:
    fig.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
                       font={"size": 20, "color": palette.MUTED_COLOUR})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _nice_step(span: float) -> int:
    raw = max(span / 5, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return int(m * magnitude)
    return int(10 * magnitude)


def _period_format(freq: str) -> str:
    return {"week": "%d %b %Y", "month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}.get(
        freq, "%b %Y")


def timeline_figure(timeline: pd.DataFrame, height_px: int = 380, freq: str = "month",
                    selectable: bool = False) -> go.Figure:
    """Events per period by relation: cooperative stacked above the axis, hostile below.
    With `selectable`, dragging selects a date range (the app can make it the date filter)."""
    fig = _base(go.Figure(), height_px, barmode="relative", bargap=0.15,
                hovermode="x unified", dragmode="select" if selectable else "zoom",
                selectdirection="h")
    if timeline is None or timeline.empty:
        return _empty(fig, "No events match the filters")
    df = timeline.copy()
    df["period"] = pd.to_datetime(df["period"])
    df["signed"] = [-int(n) if palette.is_hostile(r) else int(n)
                    for r, n in zip(df["relation"], df["events"], strict=True)]
    fmt = _period_format(freq)
    for relation in palette.LEGEND_ORDER:
        part = df[df["relation"] == relation]
        if part.empty:
            continue
        fig.add_bar(x=part["period"], y=part["signed"], name=palette.label(relation),
                    marker={"color": palette.colour(relation), "line": {"width": 0}},
                    customdata=part["events"],
                    hovertemplate="%{customdata} " + palette.label(relation).lower()
                    + "<extra></extra>")
    up = df[df["signed"] > 0].groupby("period")["signed"].sum().max()
    down = -df[df["signed"] < 0].groupby("period")["signed"].sum().min()
    up = 0 if pd.isna(up) else int(up)
    down = 0 if pd.isna(down) else int(down)
    step = _nice_step(max(up, down, 1) * 2)
    ticks = list(range(-math.ceil(down / step) * step, math.ceil(up / step) * step + 1, step))
    fig.update_yaxes(tickvals=ticks, ticktext=[f"{abs(t):,}" for t in ticks],
                     title={"text": "events", "font": {"size": 15}},
                     range=[-(down or 1) * 1.12, (up or 1) * 1.12],
                     zeroline=True, zerolinewidth=2, zerolinecolor="#5d6d7e",
                     fixedrange=selectable)
    fig.update_xaxes(title=None, tickformat=fmt, showgrid=False,
                     hoverformat=fmt if freq != "week" else "week of %d %b %Y")
    for text, y, anchor in (("\u25b2 cooperative", 1, "top"), ("\u25bc hostile", 0, "bottom")):
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0.005, y=y,
                           xanchor="left", yanchor=anchor, showarrow=False,
                           font={"size": 14, "color": palette.MUTED_COLOUR})
    return fig


def _hover_text(text: str, width: int = 60, lines: int = 6) -> str:
    wrapped = textwrap.wrap(str(text or ""), width=width)
    if len(wrapped) > lines:
        wrapped = [*wrapped[:lines - 1], wrapped[lines - 1] + " \u2026"]
    return "<br>".join(html.escape(w) for w in wrapped)


def pair_timeline_figure(events: pd.DataFrame, a: str, b: str, names: dict[str, str],
                         height_px: int = 420) -> go.Figure:
    """One marker per event between actors `a` and `b` (rows of `queries.evidence` for the
    pair): time across, relation types down (cooperative on top), triangles pointing up for
    `a` acting on `b` and down for `b` acting on `a`, circles for symmetric relations; hover
    shows the headline and the sentence."""
    fig = _base(go.Figure(), height_px, hovermode="closest")
    if events is None or events.empty:
        return _empty(fig, "No events between these two actors match the filters")
    name_a, name_b = names.get(a, a), names.get(b, b)
    order = [palette.label(r) for r in palette.LEGEND_ORDER]
    df = events.copy()
    df["date"] = pd.to_datetime(df["date"])
    for relation in palette.LEGEND_ORDER:
        part = df[df["relation"] == relation]
        if part.empty:
            continue
        symmetric = not palette.is_directed(relation)
        symbols = ["circle" if symmetric else
                   ("triangle-up" if s == a else "triangle-down") for s in part["source_id"]]
        who = [f"{name_a} \u2194 {name_b}" if symmetric else
               (f"{name_a} \u2192 {name_b}" if s == a else f"{name_b} \u2192 {name_a}")
               for s in part["source_id"]]
        custom = list(zip(who, [_hover_text(t, 70, 2) for t in part["title"]],
                          [_hover_text(t) for t in part["evidence"]],
                          [html.escape(str(p)) for p in part["publisher"]], strict=True))
        fig.add_scatter(
            x=part["date"], y=[palette.label(relation)] * len(part), mode="markers",
            name=palette.label(relation), customdata=custom,
            marker={"color": palette.colour(relation), "size": 16, "symbol": symbols,
                    "line": {"width": 1, "color": "#ffffff"}, "opacity": 0.9},
            hovertemplate=("<b>%{x|%d %b %Y}</b> \u00b7 %{customdata[0]}: "
                           + palette.label(relation).lower()
                           + "<br><i>%{customdata[1]}</i> (%{customdata[3]})"
                           "<br>%{customdata[2]}<extra></extra>"))
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(order)),
                     title=None, showgrid=True)
    fig.update_xaxes(title=None, tickformat="%b %Y")
    fig.update_layout(hoverlabel={"font": {"size": 15}, "align": "left"})
    return fig


def relation_mix_figure(mix: pd.DataFrame, height_px: int = 340) -> go.Figure:
    """An actor's relations by type (rows of `analytics.relation_mix`): what it does to others
    (given, solid) and what others do to it (received, hatched), in articles."""
    fig = _base(go.Figure(), height_px, barmode="group", bargap=0.25,
                hovermode="y unified")
    if mix is None or mix.empty:
        return _empty(fig, "No relations")
    labels = [palette.label(r) for r in mix["relation"]]
    colours = [palette.colour(r) for r in mix["relation"]]
    hatched = {"shape": "/", "fgcolor": "#ffffff", "size": 7}
    fig.add_bar(y=labels, x=mix["given"], orientation="h", offsetgroup="given",
                showlegend=False, marker={"color": colours, "line": {"width": 0}},
                hovertemplate="%{x} given<extra></extra>")
    # One trace per received bar: plotly.js cannot hatch bars whose colours come as a list
    # (it logs "Invalid color specifier" and draws the hatching in black), so each bar has
    # its one colour; `offsetgroup` keeps them in the received slot of their row.
    for label, value, colour in zip(labels, mix["received"].tolist(), colours, strict=True):
        fig.add_bar(y=[label], x=[value], orientation="h", offsetgroup="received",
                    showlegend=False,
                    marker={"color": colour, "line": {"width": 1.5, "color": colour},
                            "pattern": hatched},
                    hovertemplate="%{x} received<extra></extra>")
    # The legend explains solid against hatched; the colours are the relation types'.
    for name, group, marker in (
            ("Given (actor \u2192 others)", "given", {"color": palette.MUTED_COLOUR}),
            ("Received (others \u2192 actor)", "received",
             {"color": palette.MUTED_COLOUR, "line": {"width": 1.5, "color": palette.MUTED_COLOUR},
              "pattern": hatched})):
        fig.add_bar(y=[None], x=[None], orientation="h", name=name, offsetgroup=group,
                    marker=marker, hoverinfo="skip")
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title={"text": "articles", "font": {"size": 15}})
    # The legend above the bars: below them it met the axis title once type was enlarged.
    fig.update_layout(margin={"l": 120, "r": 20, "t": 60, "b": 60},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0})
    return fig


def stance_figure(stance: pd.DataFrame, names: dict[str, str], top: int = 8,
                  height_px: int = 420) -> go.Figure:
    """The strongest allies (net stance > 0, teal, right) and adversaries (net < 0, red,
    left) from `analytics.net_stance`, by net articles."""
    fig = _base(go.Figure(), height_px, hovermode="closest", showlegend=False)
    if stance is None or stance.empty:
        return _empty(fig, "No partners")
    allies = stance[stance["net"] > 0].head(top)
    foes = stance[stance["net"] < 0].tail(top)
    df = pd.concat([allies, foes])
    if df.empty:
        return _empty(fig, "Every partner is as hostile as it is cooperative")
    df = df.sort_values("net")
    label = [names.get(p, p) for p in df["partner"]]
    colours = [palette.STANCE_COLOURS["cooperative"] if n > 0 else
               palette.STANCE_COLOURS["hostile"] for n in df["net"]]
    fig.add_bar(x=df["net"], y=label, orientation="h", marker={"color": colours},
                customdata=list(zip(df["cooperative"], df["hostile"], strict=True)),
                hovertemplate=("%{y}: net %{x}<br>%{customdata[0]} cooperative, "
                               "%{customdata[1]} hostile articles<extra></extra>"))
    fig.update_xaxes(title={"text": "net stance (cooperative \u2212 hostile articles)",
                            "font": {"size": 15}}, zeroline=True, zerolinewidth=2,
                     zerolinecolor="#5d6d7e")
    # Every bar keeps its name: plotly drops every other category label once they crowd
    # (presenter mode's larger type), which left unnamed bars.
    fig.update_yaxes(title=None, automargin=True, dtick=1)
    return fig


def selected_range(selection) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The date span of a plotly box selection (the event `st.plotly_chart` returns), or None.
    Uses the box's x range when there is one, else the selected points' dates."""
    if not selection:
        return None
    sel = selection.get("selection", selection) if isinstance(selection, dict) else None
    if sel is None:
        sel = getattr(selection, "selection", None)
    if not sel:
        return None
    boxes = sel.get("box") or []
    values: list = []
    for box in boxes:
        values.extend(box.get("x") or [])
    if not values:
        values = [p.get("x") for p in sel.get("points") or [] if p.get("x") is not None]
    stamps = []
    for v in values:
        try:
            stamps.append(pd.Timestamp(v))
        except (ValueError, TypeError):
            continue
    if not stamps:
        return None
    return min(stamps), max(stamps)
