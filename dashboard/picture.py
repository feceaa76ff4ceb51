"""One view, one picture: everything drawn of a network view, computed once, drawn alike by the
app's interactive graph (`dashboard.figures`), every image export (`dashboard.export.images`)
and the slides.

`network_picture` takes the edges a view draws, the actors' names, their blocs and the focus
actor, and gives each actor its place, size, colour, shape and label (`dashboard.layout`) and
each relation its colour, dash, width and arrowhead, in the pixels of a 1920x1080 export
(`dashboard.view_settings`). Widths are scaled to the view and capped, so a million-edge store
draws no wider lines than the demo; `Picture.width_note` says what a width means.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard import layout, palette
from dashboard import view_settings as settings


@dataclass(frozen=True)
class Node:
    id: str
    name: str  # the full name (hover text, tables)
    x: float
    y: float
    radius: float
    font: float
    label: str  # what is written by the node: the full name, a short name or ''
    kind: str  # "full", "short" or "none"
    above: bool  # the label is over the node (fewer lines cross it there), else under it
    colour: str
    shape: str
    bloc: int | None
    focus: bool
    degree: int  # article links drawn


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str
    directed: bool
    weight: int
    width: float
    arrow: float  # arrowhead size (0 for symmetric relations)
    colour: str
    dashed: bool
    bend: int  # 0 straight; k > 0 the k-th relation of the same pair, bowed aside
    clockwise: bool

    @property
    def roundness(self) -> float:
        """How far a bowed line bends (vis-network's `roundness`): one step per pair of
        extra relations, capped so that a pair of seven relations stays near its straight
        line instead of arcing across the frame."""
        return min(0.07 * math.ceil(self.bend / 2), 0.22)


@dataclass(frozen=True)
class Picture:
    nodes: dict[str, Node]
    edges: list[Edge]
    width: float
    height: float
    heaviest: int
    label_note: str

    @property
    def empty(self) -> bool:
        return not self.nodes

    def width_note(self) -> str:
        """What a line's width means in this picture."""
        if self.heaviest <= 1:
            return "every line stands for 1 article"
        return (f"line width = articles, from 1 (thinnest) to {self.heaviest:,} "
                "(thickest)")

    def notes(self) -> list[str]:
        """The legend's sentences: arrows, sizes, widths, dashes, and how names were cut."""
        out = ["arrows point from actor to target", "node size = article links",
               self.width_note(), "dashed = hostile"]
        if self.label_note:
            out.append(self.label_note)
        return out


def line_width(weight: int, heaviest: int) -> float:
    """Width by articles, relative to the heaviest relation drawn (square root, so four times
    the articles is twice as thick), from `WIDTH_MIN` to `WIDTH_MAX` frame pixels, to the
    half pixel (an image export draws one trace per width, not one per line)."""
    if heaviest <= 1:
        return settings.WIDTH_MIN
    share = math.sqrt(max(int(weight) - 1, 0) / (heaviest - 1))
    return round(2 * (settings.WIDTH_MIN + (settings.WIDTH_MAX - settings.WIDTH_MIN) * share)) / 2


def arrow_size(width: float) -> float:
    span = settings.WIDTH_MAX - settings.WIDTH_MIN
    share = (width - settings.WIDTH_MIN) / span if span else 0.0
    return round(settings.ARROW_MIN + (settings.ARROW_MAX - settings.ARROW_MIN) * share, 2)


def real_blocs(found: Mapping[str, int]) -> dict[str, int]:
    """Blocs of two actors or more: a bloc of one is no bloc, its actor stays grey, and the
    colours go to real blocs (numbered biggest first, so the others keep their numbers)."""
    sizes = pd.Series(list(found.values()), dtype="int64").value_counts()
    return {a: int(b) for a, b in found.items() if sizes[b] > 1}


def network_picture(edges: pd.DataFrame, names: Mapping[str, str], *,
                    blocs: Mapping[str, int] | None = None, focus: str | None = None,
                    seed: int = settings.LAYOUT_SEED, type_scale: float = 1.0,
                    reference: Mapping[str, layout.Position] | None = None) -> Picture:
    """The picture of the rows of `queries.edge_summary` a view draws (see the module doc);
    `reference` is the store's map (`layout.reference`) every view starts from."""
    if edges is None or edges.empty:
        return Picture({}, [], settings.FRAME_WIDTH, settings.FRAME_HEIGHT, 0, "")
    df = edges.sort_values(["source", "target", "relation"], kind="stable")
    arranged = layout.arrange(df, names, seed=seed, type_scale=type_scale,
                              reference=reference)
    degree = layout.weighted_degree(df)
    blocs = blocs or {}
    nodes = {}
    for a, p in arranged.nodes.items():
        bloc = blocs.get(a)
        nodes[a] = Node(id=a, name=" ".join(str(names.get(a) or a).split()), x=p.x, y=p.y,
                        radius=p.radius, font=p.font, label=p.label, kind=p.kind, above=p.above,
                        colour=palette.bloc_colour(bloc), shape=palette.bloc_shape(bloc),
                        bloc=bloc, focus=a == focus, degree=int(degree.get(a, 0)))
    heaviest = int(df["weight"].max())
    parallel: dict[tuple[str, str], int] = {}
    lines = []
    columns = ["source", "target", "relation", "weight"]
    if "directed" in df.columns:
        columns.append("directed")
    # Only the columns drawn: iterating over date columns converts every date to Python.
    for row in df[columns].itertuples(index=False):
        pair = (row.source, row.target) if row.source <= row.target else (row.target,
                                                                           row.source)
        k = parallel.get(pair, 0)
        parallel[pair] = k + 1
        directed = bool(getattr(row, "directed", palette.is_directed(row.relation)))
        width = line_width(int(row.weight), heaviest)
        lines.append(Edge(source=row.source, target=row.target, relation=row.relation,
                          directed=directed, weight=int(row.weight), width=width,
                          arrow=arrow_size(width) if directed else 0.0,
                          colour=palette.colour(row.relation),
                          dashed=palette.dashed(row.relation), bend=k,
                          clockwise=(k % 2 == 1) == (pair[0] == row.source)))
    return Picture(nodes, lines, arranged.width, arranged.height, heaviest,
                   arranged.label_note())
