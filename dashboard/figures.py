"""Figures built from query results: the actor network (self-contained HTML) and the timeline.

No streamlit here, so every figure can be built and inspected in a plain test.

Trust model of `network_html`: actor names and article text are untrusted, and Streamlit shows
the HTML in an iframe that is same-origin with the app, so a script smuggled in through a name
would run with the app's privileges. Node and edge data reach the page only through pyvis's
`tojson` filter (which escapes `<`, `>`, `&` and `'`), vis-network writes string tooltips with
`innerText`, node ids are restricted to a safe alphabet, and the heading (the one value pyvis's
template writes into markup raw) is escaped. The result must not fetch anything either: the
app runs offline on briefing laptops, so vis-network is inlined and pyvis's CDN links for
bootstrap are stripped.
"""

from __future__ import annotations

import copy
import html
import math
import re

import pandas as pd
import plotly.graph_objects as go
from pyvis.network import Network

from dashboard import palette

LAYOUT_SEED = 7  # same data, same picture: briefings get compared across days
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_EXTERNAL = re.compile(r"<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)\s*=\s*[\"']?"
                       r"(?:https?:)?//[^>]*>", re.IGNORECASE | re.DOTALL)
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*"
                              r"</script>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"<center>\s*<h1>.*?</h1>\s*</center>", re.DOTALL)
_DEAD_COMMENT = re.compile(r"<!--\s*<link[^>]*node_modules.*?-->", re.DOTALL)

# pyvis gives every node its own light-blue colour unless told otherwise, overriding options.
_NODE_COLOURS = {"background": palette.NODE_COLOUR, "border": palette.NODE_BORDER,
                 "highlight": {"background": "#111820", "border": "#f1c40f"},
                 "hover": {"background": "#111820", "border": "#f1c40f"}}

_VIS_OPTIONS = {
    "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": True},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -160, "centralGravity": 0.008,
                             "springLength": 200, "springConstant": 0.05, "damping": 0.5,
                             "avoidOverlap": 0.8},
        "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50,
                          "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                    "keyboard": False, "multiselect": False},
    "nodes": {"shape": "dot", "borderWidth": 2,
              "font": {"size": 26, "face": "Source Sans Pro, Helvetica, Arial, sans-serif",
                       "color": palette.TEXT_COLOUR, "strokeWidth": 5,
                       "strokeColor": "#ffffff"}},
    "edges": {"selectionWidth": 2, "hoverWidth": 1.5,
              "arrows": {"to": {"scaleFactor": 0.7}}},
}

# Runs after pyvis's drawGraph(): freezes the layout once it has settled (a graph that keeps
# drifting is hard to talk over) and exposes counts for tests and screen readers.
_FREEZE_JS = """
<script type="text/javascript">
(function () {
  var done = false;
  function freeze() {
    if (done) { return; }
    done = true;
    network.setOptions({physics: false});
    network.fit({animation: false});
    document.body.dataset.stabilized = "true";
  }
  document.body.dataset.nodes = String(nodes.length);
  document.body.dataset.edges = String(edges.length);
  network.once("stabilizationIterationsDone", freeze);
  network.once("stabilized", freeze);
  // The events can fire inside the constructor for tiny graphs, before this runs.
  setTimeout(freeze, 4000);
})();
</script>
"""

_EXTRA_CSS = f"""
<style>
html, body {{ margin: 0; padding: 0; background: {palette.BACKGROUND}; overflow: hidden; }}
.card {{ border: 0; }}
#mynetwork {{ border: 0 !important; float: none !important; }}
div.vis-tooltip {{ font: 15px/1.4 "Source Sans Pro", Helvetica, Arial, sans-serif;
  color: {palette.TEXT_COLOUR}; background: #fdfdfd; border: 1px solid #c9d1d9;
  border-radius: 4px; padding: 6px 9px; white-space: pre-line; max-width: 420px;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.15); }}
</style>
"""


def _plain(text: str) -> str:
    # pyvis switches to a tooltip template that assigns titles with innerHTML whenever a node
    # title contains "href"; a zero-width space keeps an actor named "...href..." plain text.
    return str(text).replace("href", "hre\u200bf")


def _node_ids(actors: list[str]) -> dict[str, str]:
    # '~' is outside the safe alphabet, so a replacement can never collide with a real id.
    return {a: a if _SAFE_ID.fullmatch(a) else f"~{i}" for i, a in enumerate(actors)}


def _arrow(directed: bool) -> str:
    return "\u2192" if directed else "\u2194"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def edge_title(source: str, target: str, relation: str, directed: bool, weight: int,
               publishers: int) -> str:
    """Hover text, e.g. "United States → North Korea: condemnation, 3 articles, 2 publishers"."""
    return (f"{source} {_arrow(directed)} {target}: {palette.label(relation).lower()}, "
            f"{_plural(int(weight), 'article')}, {_plural(int(publishers), 'publisher')}")


def pair_labels(df: pd.DataFrame, names: bool = True) -> pd.Series:
    """ "United States → North Korea" (or "↔" for symmetric relations) for table columns;
    `names` picks the `source_name`/`target_name` columns over `source`/`target`."""
    src, dst = ("source_name", "target_name") if names else ("source", "target")
    arrows = [_arrow(palette.is_directed(r)) for r in df["relation"]]
    return pd.Series([f"{a} {arrow} {b}" for a, arrow, b in zip(df[src], arrows, df[dst],
                                                                strict=True)],
                     index=df.index, dtype=object)


def _empty_html(message: str, height_px: int) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'>{_EXTRA_CSS}</head>"
            f"<body data-nodes='0' data-edges='0' data-stabilized='true'>"
            f"<div style='height:{int(height_px)}px;display:flex;align-items:center;"
            f"justify-content:center;font:18px sans-serif;color:{palette.MUTED_COLOUR}'>"
            f"{html.escape(message)}</div></body></html>")


def network_html(edge_summary: pd.DataFrame, actor_names: dict[str, str],
                 height_px: int = 620, heading: str = "") -> str:
    """A self-contained vis-network page for the rows of `queries.edge_summary`."""
    if edge_summary is None or edge_summary.empty:
        return _empty_html("No edges match the filters.", height_px)
    df = edge_summary.sort_values(["source", "target", "relation"], kind="stable")
    actors = sorted(set(df["source"]) | set(df["target"]))
    ids = _node_ids(actors)
    degree = {a: 0 for a in actors}
    relations_of: dict[str, set[str]] = {a: set() for a in actors}
    for row in df.itertuples(index=False):
        for end in (row.source, row.target):
            degree[end] += int(row.weight)
            relations_of[end].add(row.relation)
    top = max(degree.values()) or 1

    net = Network(height=f"{int(height_px)}px", width="100%", directed=True,
                  cdn_resources="in_line", bgcolor=palette.BACKGROUND,
                  heading=html.escape(heading))
    for a in actors:
        name = actor_names.get(a) or a
        share = math.sqrt(degree[a] / top)
        # Labels grow with the node: the graph is zoomed out to fit, and the actors a briefing
        # is about must stay legible from the back of the room.
        net.add_node(ids[a], label=_plain(name), size=round(10 + 26 * share, 1),
                     color=_NODE_COLOURS, font={"size": round(26 + 20 * share)},
                     title=_plain(f"{name}\n{_plural(degree[a], 'article link')} across "
                                  f"{_plural(len(relations_of[a]), 'relation type')}"))

    parallel: dict[tuple[str, str], int] = {}
    for row in df.itertuples(index=False):
        pair = tuple(sorted((row.source, row.target)))
        k = parallel.get(pair, 0)
        parallel[pair] = k + 1
        # Several relations between one pair would draw on top of each other: fan them out
        # alternately to either side, flipping for edges drawn against the pair's order.
        clockwise = (k % 2 == 1) == (pair[0] == row.source)
        smooth = ({"enabled": False} if k == 0 else
                  {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                   "roundness": 0.18 * math.ceil(k / 2)})
        directed = bool(row.directed)
        net.add_edge(
            ids[row.source], ids[row.target],
            color={"color": palette.colour(row.relation), "highlight": palette.colour(
                row.relation), "hover": palette.colour(row.relation), "opacity": 0.95},
            width=round(1.8 + 2.2 * math.sqrt(int(row.weight) - 1), 2),
            dashes=[8, 6] if palette.dashed(row.relation) else False,
            arrows={"to": {"enabled": directed}},
            smooth=smooth,
            title=_plain(edge_title(actor_names.get(row.source) or row.source,
                                    actor_names.get(row.target) or row.target,
                                    row.relation, directed, int(row.weight),
                                    int(row.publishers))),
            relation=row.relation, weight=int(row.weight))
    # A dict is dumped as JSON as is; set_options() would strip the spaces in font names.
    net.options = copy.deepcopy(_VIS_OPTIONS)
    return _offline(net.generate_html(notebook=False))


def _offline(page: str) -> str:
    page = _DEAD_COMMENT.sub("", page)
    page = _EXTERNAL_SCRIPT.sub("", page)
    page = _EXTERNAL.sub("", page)
    page = _HEADING.sub("", page)
    page = page.replace("</head>", _EXTRA_CSS + "</head>", 1)
    page = page.replace("</body>", _FREEZE_JS + "</body>", 1)
    if external_references(page):
        # A pyvis upgrade that adds another CDN link must fail loudly, not go online.
        raise RuntimeError(f"network HTML still loads {external_references(page)}")
    return page


def external_references(page: str) -> list[str]:
    """Every tag in `page` that would fetch something from another host."""
    return _EXTERNAL.findall(page)


def legend_html(relations: list[str] | tuple[str, ...] | None = None) -> str:
    """A one-line legend for the relation types shown: a line in each type's colour, dashed
    for hostile types as in the network. Only taxonomy labels go in, never data, so it is safe
    for `st.html`."""
    shown = [r for r in palette.LEGEND_ORDER if relations is None or r in relations]
    items = []
    for r in shown:
        style = "dashed" if palette.dashed(r) else "solid"
        items.append(
            f'<span style="display:inline-flex;align-items:center;margin:0 20px 4px 0;'
            f'white-space:nowrap"><span aria-hidden="true" style="display:inline-block;'
            f'width:34px;height:0;border-top:5px {style} {palette.colour(r)};'
            f'margin-right:7px"></span>{html.escape(palette.label(r))}</span>')
    note = ('<span style="color:#5d6d7e">Arrows point from actor to target; node size = '
            'article links; line width = articles.</span>')
    return ('<div style="font-size:16px;line-height:1.6;display:flex;flex-wrap:wrap;'
            f'align-items:center">{"".join(items)}{note}</div>')


def _nice_step(span: float) -> int:
    raw = max(span / 5, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return int(m * magnitude)
    return int(10 * magnitude)


def timeline_figure(timeline: pd.DataFrame, height_px: int = 380) -> go.Figure:
    """Events per period by relation: cooperative stacked above the axis, hostile below."""
    fig = go.Figure()
    fig.update_layout(
        template="plotly_white", height=height_px, barmode="relative", bargap=0.15,
        font={"size": 16, "color": palette.TEXT_COLOUR},
        margin={"l": 70, "r": 20, "t": 40, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0,
                "traceorder": "normal", "font": {"size": 15}},
        hovermode="x unified")
    if timeline is None or timeline.empty:
        fig.add_annotation(text="No events match the filters", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5,
                           font={"size": 20, "color": palette.MUTED_COLOUR})
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return fig
    df = timeline.copy()
    df["period"] = pd.to_datetime(df["period"])
    df["signed"] = [-int(n) if palette.is_hostile(r) else int(n)
                    for r, n in zip(df["relation"], df["events"], strict=True)]
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
    fig.update_yaxes(tickvals=ticks, ticktext=[str(abs(t)) for t in ticks],
                     title={"text": "events", "font": {"size": 15}},
                     range=[-(down or 1) * 1.12, (up or 1) * 1.12],
                     zeroline=True, zerolinewidth=2, zerolinecolor="#5d6d7e")
    fig.update_xaxes(title=None, tickformat="%b %Y", showgrid=False)
    for text, y, anchor in (("\u25b2 cooperative", 1, "top"), ("\u25bc hostile", 0, "bottom")):
        fig.add_annotation(text=text, xref="paper", yref="paper", x=0.005, y=y,
                           xanchor="left", yanchor=anchor, showarrow=False,
                           font={"size": 14, "color": palette.MUTED_COLOUR})
    return fig
