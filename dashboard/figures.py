"""The actor network as a self-contained HTML page (vis-network through pyvis), and its legends.

No streamlit here, so every figure can be built and inspected in a plain test. Plotly charts
live in `dashboard.charts`.

Layout: the view's picture (`dashboard.picture.network_picture`: positions, sizes, labels,
colours and widths, the same every export draws) is written into the page as fixed x/y with
physics off, so it is settled the moment it is drawn, and the page shows exactly the frame it
was laid out in (templates/network.html).

Trust model: actor names and article text are untrusted, and Streamlit shows the HTML in an
iframe that is same-origin with the app, so a script smuggled in through a name would run with
the app's privileges. Node and edge data reach the page only through jinja's `tojson` filter
(which escapes `<`, `>`, `&` and `'`), vis-network writes string tooltips with `innerText`, node
ids are restricted to a safe alphabet, and the heading is escaped. The page must not fetch
anything from another host either: the app runs offline on briefing laptops. pyvis writes the
page with our template (`dashboard/templates/network.html`, set the way pyvis provides for:
`set_template_dir`), which carries vis-network's standalone build, vendored unmodified in
`dashboard/static/` (docs/vendored.md): inlined (a self-contained page) or, in the app, linked
from the app's own server (`assets`), which the browser caches.
"""

from __future__ import annotations

import copy
import functools
import html
import math
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from pyvis.network import Network

from dashboard import layout, palette, picture
from dashboard import view_settings as settings

LAYOUT_SEED = settings.LAYOUT_SEED
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_EXTERNAL = re.compile(r"<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)\s*=\s*[\"']?"
                       r"(?:https?:)?//[^>]*>", re.IGNORECASE | re.DOTALL)

Positions = Mapping[str, tuple[float, float]]

_VIS_OPTIONS = {
    "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                    "keyboard": False, "multiselect": False, "hideEdgesOnDrag": True},
    "nodes": {"shape": "dot", "borderWidth": 2,
              "font": {"size": 26, "face": "Source Sans Pro, Helvetica, Arial, sans-serif",
                       "color": palette.TEXT_COLOUR, "strokeWidth": 5,
                       "strokeColor": "#ffffff"}},
    "edges": {"selectionWidth": 2, "hoverWidth": 1.5,
              "arrows": {"to": {"scaleFactor": 0.7}}},
}

_EMPTY_CSS = (f"<style>html, body {{ margin: 0; padding: 0; background: {palette.BACKGROUND}; "
              "overflow: hidden; }</style>")


def _node_ids(actors: list[str]) -> dict[str, str]:
    # '~' is outside the safe alphabet, so a replacement can never collide with a real id.
    return {a: a if _SAFE_ID.fullmatch(a) else f"~{i}" for i, a in enumerate(actors)}


def _arrow(directed: bool) -> str:
    return "\u2192" if directed else "\u2194"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def edge_title(source: str, target: str, relation: str, directed: bool, weight: int) -> str:
    """Hover text, e.g. "United States → North Korea: condemnation, 3 articles"."""
    return (f"{source} {_arrow(directed)} {target}: {palette.label(relation).lower()}, "
            f"{_plural(int(weight), 'article')}")


def pair_labels(df: pd.DataFrame, names: bool = True) -> pd.Series:
    """ "United States → North Korea" (or "↔" for symmetric relations) for table columns;
    `names` picks the `source_name`/`target_name` columns over `source`/`target`."""
    src, dst = ("source_name", "target_name") if names else ("source", "target")
    arrows = [_arrow(palette.is_directed(r)) for r in df["relation"]]
    return pd.Series([f"{a} {arrow} {b}" for a, arrow, b in zip(df[src], arrows, df[dst],
                                                                strict=True)],
                     index=df.index, dtype=object)


def empty_html(message: str, height_px: int) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'>{_EMPTY_CSS}</head>"
            f"<body data-nodes='0' data-edges='0' data-stabilized='true'>"
            f"<div style='height:{int(height_px)}px;display:flex;align-items:center;"
            f"justify-content:center;font:18px sans-serif;color:{palette.MUTED_COLOUR}'>"
            f"{html.escape(message)}</div></body></html>")


def _node_colour(fill: str, focus: bool = False) -> dict:
    border = "#f1c40f" if focus else palette.NODE_BORDER
    return {"background": fill, "border": border,
            "highlight": {"background": "#111820", "border": "#f1c40f"},
            "hover": {"background": "#111820", "border": "#f1c40f"}}


def _page(net: Network) -> str:
    # A dict is dumped as JSON as is; set_options() would strip the spaces in font names.
    net.options = copy.deepcopy(_VIS_OPTIONS)
    page = net.generate_html(notebook=False)
    if external_references(page):
        # A template change that links another host must fail loudly, not go online.
        raise RuntimeError(f"network HTML still loads {external_references(page)}")
    return page


# vis-network's standalone build (it injects its own stylesheet), vendored unmodified with its
# licences (docs/vendored.md); the file name carries the version, so a browser that cached
# an older one fetches the new one.
ASSETS = ("vis-network-10.1.5.min.js",)
_STATIC = Path(__file__).parent / "static"
_TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def _vis_network_script() -> str:
    return (_STATIC / ASSETS[0]).read_text(encoding="utf-8")


def _network(height_px: int, heading: str, assets: str | None = None,
             frame: tuple[float, float] = (0, 0), clickable: bool = False) -> Network:
    """A pyvis Network that renders with our template: vis-network linked from `assets` (the
    URL folder the app serves `ASSETS` from) or, without it, inlined; `frame` is the frame
    the picture was laid out in, which the page shows exactly."""
    net = Network(height=f"{int(height_px)}px", width="100%", directed=True,
                  bgcolor=palette.BACKGROUND, heading=html.escape(heading))
    net.set_template_dir(str(_TEMPLATES) + "/", "network.html")
    net.templateEnv.globals.update(
        vis_source=html.escape(f"{assets}{ASSETS[0]}") if assets is not None else "",
        vis_script="" if assets is not None else _vis_network_script(),
        text_colour=palette.TEXT_COLOUR, frame_width=frame[0], frame_height=frame[1],
        clickable=clickable)
    return net


def _vadjust(node: picture.Node) -> float:
    """vis-network writes a label under its node; one placed over it is moved up by the node
    and the label's own height."""
    if not node.above:
        return layout.LABEL_GAP
    return round(-(2 * node.radius + layout.LABEL_GAP + node.font * layout.LINE_HEIGHT), 1)


def network_html(edge_summary: pd.DataFrame, actor_names: Mapping[str, str],
                 height_px: int = 620, heading: str = "", *,
                 blocs: Mapping[str, int] | None = None, focus: str | None = None,
                 assets: str | None = None, type_scale: float = 1.0,
                 clickable: bool = False, links: Mapping[str, str] | None = None,
                 reference: Mapping[str, tuple[float, float]] | None = None) -> str:
    """A vis-network page of the view's picture (`picture.network_picture`: the positions,
    bloc colours, sizes, labels and widths every export draws too) for rows of
    `queries.edge_summary`. Self-contained unless `assets` names the local URL folder that
    serves vis-network (`ASSETS`). `clickable`: in the app, a click on an actor focuses it
    and a click on a line opens its pair's evidence (`focus` and `edge` in the address
    bar, written as the app's widgets write them: `links` maps an actor to its label)."""
    if edge_summary is None or edge_summary.empty:
        return empty_html("No edges match the filters.", height_px)
    pic = picture.network_picture(edge_summary, actor_names, blocs=blocs, focus=focus,
                                  type_scale=type_scale, reference=reference)
    ids = _node_ids(sorted(pic.nodes))
    relations_of: dict[str, set[str]] = {}
    for e in pic.edges:
        relations_of.setdefault(e.source, set()).add(e.relation)
        relations_of.setdefault(e.target, set()).add(e.relation)
    net = _network(height_px, heading, assets, (pic.width, pic.height), clickable)
    for a in sorted(pic.nodes):
        n = pic.nodes[a]
        title = (f"{n.name}\n{_plural(n.degree, 'article link')} across "
                 f"{_plural(len(relations_of.get(a, ())), 'relation type')}")
        if n.bloc is not None:
            title += f"\n{palette.bloc_label(n.bloc)}"
        net.add_node(ids[a], label=n.label or " ", size=round(n.radius, 1),
                     x=round(n.x, 1), y=round(n.y, 1), color=_node_colour(n.colour, n.focus),
                     shape=n.shape, borderWidth=5 if n.focus else 2,
                     font={"size": round(n.font, 1), "vadjust": _vadjust(n)},
                     title=title, link=(links or {}).get(a, a))
    for e in pic.edges:
        colour = e.colour
        net.add_edge(
            ids[e.source], ids[e.target],
            color={"color": colour, "highlight": colour, "hover": colour, "opacity": 0.95},
            width=e.width, dashes=[8, 6] if e.dashed else False,
            arrows={"to": {"enabled": e.directed}},
            smooth={"enabled": False} if e.bend == 0 else {
                "enabled": True, "type": "curvedCW" if e.clockwise else "curvedCCW",
                "roundness": e.roundness},
            title=edge_title(pic.nodes[e.source].name, pic.nodes[e.target].name,
                             e.relation, e.directed, e.weight),
            relation=e.relation, weight=e.weight,
            link=settings.PAIR_SEPARATOR.join(sorted(
                ((links or {}).get(e.source, e.source), (links or {}).get(e.target, e.target)),
                key=str.lower)))
    return _page(net)


def compare_html(diff: pd.DataFrame, side: str, actor_names: Mapping[str, str],
                 positions: Positions, height_px: int = 520,
                 blocs: Mapping[str, int] | None = None, assets: str | None = None) -> str:
    """One period of `comparison.pair_diff` as a network of pairs on shared `positions`:
    `side` "before" draws the pairs present in period A, "after" those in period B. Every actor
    of `positions` is drawn in both periods (greyed where idle), so both pictures share one
    frame. Pairs new in B are blue, gone in B charcoal and dashed, pairs that changed sign
    vermilion, the rest light grey; line width grows with the pair's articles in the period."""
    if side not in ("before", "after"):
        raise ValueError(f"side must be 'before' or 'after', not {side!r}")
    present = diff[diff[f"weight_{side}"] > 0] if not diff.empty else diff
    actors = sorted(positions)
    if not actors:
        return empty_html("No relations in this period.", height_px)
    ids = _node_ids(actors)
    degree = {a: 0 for a in actors}
    for a, b, w in present[["a", "b", f"weight_{side}"]].itertuples(index=False):
        if a in degree and b in degree:
            degree[a] += int(w)
            degree[b] += int(w)
    top = max(degree.values(), default=0) or 1
    net = _network(height_px, "", assets)
    for a in actors:
        name = actor_names.get(a) or a
        idle = degree[a] == 0
        share = math.sqrt(degree[a] / top)
        bloc = None if idle or not blocs else blocs.get(a)
        fill = palette.ABSENT_COLOUR if idle else palette.bloc_colour(bloc)
        x, y = positions[a]
        net.add_node(ids[a], label=name, size=round(8 + 24 * share, 1),
                     x=round(float(x), 1), y=round(float(y), 1), color=_node_colour(fill),
                     shape=palette.bloc_shape(bloc),
                     font={"size": round(24 + 18 * share),
                           "color": palette.MUTED_COLOUR if idle else palette.TEXT_COLOUR},
                     title=f"{name}\n{_plural(degree[a], 'article link')} "
                                  "in this period")
    heaviest = int(present[f"weight_{side}"].max()) if not present.empty else 1
    for row in present.sort_values(["a", "b"], kind="stable").itertuples(index=False):
        if row.a not in ids or row.b not in ids:
            continue
        status = row.status
        weight = int(getattr(row, f"weight_{side}"))
        stance = getattr(row, f"stance_{side}")
        colour = palette.STATUS_COLOURS.get(status, palette.MUTED_COLOUR)
        highlighted = status != "kept"
        title = (f"{actor_names.get(row.a) or row.a} \u2194 {actor_names.get(row.b) or row.b}: "
                 f"{stance}, {_plural(weight, 'article')} "
                 f"({palette.STATUS_LABELS.get(status, status).lower()})")
        net.add_edge(
            ids[row.a], ids[row.b],
            color={"color": colour, "highlight": colour, "hover": colour, "opacity": 1.0},
            width=max(picture.line_width(weight, heaviest), 3.0 if highlighted else 1.0),
            dashes=[8, 6] if status == "lost" or stance == "hostile" else False,
            arrows={"to": {"enabled": False}}, smooth={"enabled": False},
            title=title, status=status, weight=weight)
    return _page(net)


def external_references(page: str) -> list[str]:
    """Every tag in `page` that would fetch something from another host."""
    return _EXTERNAL.findall(page)


def _item(swatch: str, text: str) -> str:
    return (f'<span style="display:inline-flex;align-items:center;margin:0 18px 4px 0;'
            f'white-space:nowrap">{swatch}{html.escape(text)}</span>')


def _line(colour: str, dashed: bool) -> str:
    style = "dashed" if dashed else "solid"
    return (f'<span aria-hidden="true" style="display:inline-block;width:34px;height:0;'
            f'border-top:5px {style} {colour};margin-right:7px"></span>')


def _dot(colour: str) -> str:
    return (f'<span aria-hidden="true" style="display:inline-block;width:14px;height:14px;'
            f'border-radius:50%;background:{colour};margin-right:6px"></span>')


def _legend(items: list[str], note: str = "") -> str:
    tail = f'<span style="color:#5d6d7e">{html.escape(note)}</span>' if note else ""
    return ('<div class="atlas-legend" style="font-size:16px;line-height:1.6;display:flex;'
            f'flex-wrap:wrap;align-items:center">{"".join(items)}{tail}</div>')


def legend_html(relations: list[str] | tuple[str, ...] | None = None,
                note: str = "Arrows point from actor to target; node size = article links; "
                            "line width = articles.") -> str:
    """A one-line legend for the relation types shown: a line in each type's colour, dashed
    for hostile types as in the network. Only taxonomy labels go in, never data, so it is safe
    for `st.html`."""
    shown = [r for r in palette.LEGEND_ORDER if relations is None or r in relations]
    return _legend([_item(_line(palette.colour(r), palette.dashed(r)), palette.label(r))
                    for r in shown], note)


def bloc_legend_html(sizes: Mapping[int, int]) -> str:
    """Node colours of the blocs shown ("Bloc 1 (12)", ...). Numbers only, no names."""
    items = [_item(_dot(palette.bloc_colour(b)), f"{palette.bloc_label(b)} ({n})")
             for b, n in sorted(sizes.items())]
    items.append(_item(_dot(palette.NODE_COLOUR), "No bloc"))
    return _legend(items, "Node colour = bloc (communities of the signed network).")


def status_legend_html() -> str:
    items = [_item(_line(palette.STATUS_COLOURS[s], s == "lost"), palette.STATUS_LABELS[s])
             for s in ("new", "lost", "flipped", "kept")]
    return _legend(items, "Dashed = hostile (or gone); line width = articles in the period.")
