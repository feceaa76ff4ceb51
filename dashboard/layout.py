"""Where the network's actors go, how big they and their names are, and graph trimming.

A view determines its picture: the actors drawn, their names and the store's map give the
positions, sizes and labels (`arrange`), whatever the analyst looked at before, so the app,
every export and the slides show the same drawing of the same view, fitted the same way
however it was reached. The layout is made for reading a briefing from the back of a room:
ForceAtlas2 (the layout analysts know from Gephi) started from the store's map (`reference`:
ForceAtlas2 of the whole store's actor graph, computed once per store version) and pulled
back towards it, so an actor keeps its place across filter changes, from the data alone;
then every actor's node-and-label box is pushed clear of the others inside the frame, as
Gephi's Noverlap and Label Adjust and Graphviz's overlap removal do; the least-connected
actors give up their full names (then any name) only when the frame has no room left; and
the drawing is stretched to fill the frame.

All functions take the frame of `dashboard.queries.edge_summary` (source, target, weight, ...).
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from dashboard import view_settings as settings

Position = tuple[float, float]


def actor_ids(edges: pd.DataFrame) -> list[str]:
    """Every actor at either end of an edge frame, sorted by id."""
    if edges.empty:
        return []
    # Unique values first: iterating a column of Arrow strings one by one is slow.
    return sorted({str(a) for a in edges["source"].unique()}
                  | {str(a) for a in edges["target"].unique()})


def _graph(edges: pd.DataFrame) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(actor_ids(edges))
    # Total weight per unordered pair, summed in a dict: a few hundred rows are summed faster
    # than pandas can group them.
    total: dict[tuple[str, str], float] = {}
    for a, b, w in zip(edges["source"].astype(str).tolist(),
                       edges["target"].astype(str).tolist(),
                       edges["weight"].astype(float).tolist(), strict=True):
        if a != b:
            key = (a, b) if a < b else (b, a)
            total[key] = total.get(key, 0.0) + w
    # log1p: a pair reported in 40 articles should sit closer than one reported once, but not
    # forty times closer, or heavy pairs collapse onto each other and their labels overlap.
    graph.add_weighted_edges_from((a, b, math.log1p(w)) for (a, b), w in sorted(total.items()))
    return graph


LINE_HEIGHT = 1.25  # a label's box is this many times its font size tall
LABEL_GAP = 3.0  # frame px between a node and its label below it (where vis-network puts it)
PAD = 3.0  # frame px kept clear around every node-and-label box
MAX_LABEL_SHARE = 0.22  # no label wider than this share of the frame: long names are cut
_FORCE_ITERATIONS = 100
_REFERENCE_ITERATIONS = 200
REFERENCE_ACTORS = 500  # the store's map holds this many of its best connected actors
# A view's layout starts on the store's map, runs this many ForceAtlas2 rounds (enough to
# give the view's hubs room), then is pulled this far back towards the map.
_VIEW_ITERATIONS = 60
_PULL = 0.6
_ROUNDS_PER_STEP = 40  # overlap-removal rounds before more labels are shortened
_MAX_ROUNDS = 800
# Boxes may cover at most this share of the frame before any is placed: past it, the
# least-connected actors' names are shortened up front (packing boxes of mixed sizes
# tightly is slow and leaves no space for the lines between them).
_FILL = 0.4


@dataclass(frozen=True)
class Placed:
    """One actor in the frame (pixels of a 1920x1080 export, y down, origin top left)."""

    x: float
    y: float
    radius: float
    font: float  # label type size
    label: str  # the text drawn under the node ('' when none)
    kind: str  # "full", "short" or "none"
    above: bool = False  # the label is over the node instead (it crosses fewer lines there)


@dataclass(frozen=True)
class Arrangement:
    nodes: dict[str, Placed]
    width: float
    height: float

    def count(self, kind: str) -> int:
        return sum(p.kind == kind for p in self.nodes.values())

    def label_note(self) -> str:
        """What the legend says when space ran out for some names ('' when none did)."""
        short, none = self.count("short"), self.count("none")
        if not short and not none:
            return ""
        parts = []
        if short:
            parts.append(f"{short} by short name")
        if none:
            parts.append(f"{none} unlabelled (hover or see the table)")
        return ("Best-connected actors named in full; " + ", ".join(parts)
                + " where space ran out")


def _em(ch: str) -> float:
    """Approximate advance of one character in ems, on the wide side of sans-serif fonts."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) >= 0x1F000:
        return 1.1
    if ch in "iljtf.,;:'!|() ":
        return 0.34
    if ch in "mwMW@":
        return 0.95
    if ch.isupper() or ch.isdigit():
        return 0.72
    return 0.6


def text_width(text: str, size: float) -> float:
    """Width of `text` at `size` px, estimated from character classes (no font file needed,
    so the app, the exports and the tests measure alike)."""
    return sum(_em(c) for c in text) * size


def _fit_text(text: str, size: float, limit: float) -> str:
    """`text`, cut with an ellipsis to at most `limit` px wide."""
    if text_width(text, size) <= limit:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "\u2026", size) > limit:
            break
        out += ch
    return out.rstrip() + "\u2026"


def short_name(actor: str, name: str) -> str:
    """A short label: the id when it is a code (ISO 3166 alpha-3 such as 'PRK', 'USA'), else
    the name's initials or its first word."""
    if 2 <= len(actor) <= 5 and actor.isalnum() and actor.isupper():
        return actor
    words = [w for w in str(name).replace("-", " ").split() if w[:1].isalnum()]
    if len(words) > 1:
        initials = "".join(w[0] for w in words if w[0].isupper())
        if len(initials) >= 2:
            return initials[:5]
    first = words[0] if words else str(name)
    return first if len(first) <= 8 else first[:7] + "\u2026"


def _seed_point(actor: str, seed: int) -> tuple[float, float]:
    """A start point that depends on the actor and the seed only, so an actor starts where it
    started in every other view and tends to end up in the same part of the picture."""
    digest = hashlib.blake2b(f"{seed}:{actor}".encode(), digest_size=8).digest()
    u, v = int.from_bytes(digest[:4], "big") / 2**32, int.from_bytes(digest[4:], "big") / 2**32
    return (math.cos(2 * math.pi * u) * (0.2 + v), math.sin(2 * math.pi * u) * (0.2 + v))


def _force(graph: nx.Graph, seed: int, start: Mapping[str, Position] | None = None,
           iterations: int = _FORCE_ITERATIONS, pull: float = 0.0) -> np.ndarray:
    """ForceAtlas2 (networkx's implementation) from `start` (the store's map, `reference`),
    else from per-actor seed points. Repulsion grows with degree, so a hub pushes its
    partners out to a ring around it and gets room in the middle of the drawing; Gephi's
    "dissuade hubs" is left off, because it sends the hubs a briefing is about to the edge
    of the frame."""
    nodes = list(graph.nodes)
    if len(nodes) == 1:
        return np.zeros((1, 2))
    start = start or {}
    begin = {n: np.array(start[n] if n in start else _seed_point(n, seed), dtype=float)
             for n in nodes}
    placed = nx.forceatlas2_layout(graph, pos=begin, max_iter=iterations,
                                   weight="weight", distributed_action=False, linlog=False,
                                   scaling_ratio=2.0, gravity=1.0, seed=seed)
    out = np.array([placed[n] for n in nodes], dtype=float)
    # A force layout is free to turn, mirror and grow the picture: turn and scale it back to
    # best match where it started (orthogonal Procrustes), so an actor stays on its side.
    anchor = np.array([begin[n] for n in nodes])
    out, anchor = out - out.mean(axis=0), anchor - anchor.mean(axis=0)
    u, sv, vt = np.linalg.svd(out.T @ anchor)
    norm = float((out ** 2).sum())
    scale = float(sv.sum()) / norm if norm > 0 else 1.0
    return (1 - pull) * (out @ (u @ vt) * scale) + pull * anchor


def reference(edges: pd.DataFrame, *, seed: int = settings.LAYOUT_SEED
              ) -> dict[str, Position]:
    """The store's map: ForceAtlas2 of the whole actor graph (`edges` is the store's edge
    summary without filters), every view's starting point, so that an actor keeps its place
    in the picture whatever the filters. Computed once per store version (the app caches it
    per store, an export reads it with the view's data). Only the `REFERENCE_ACTORS` best
    connected actors are mapped: views draw the best connected, and the rest start from the
    mean of their mapped partners. Centred, at most 1 from the centre."""
    kept, _, _ = top_actors(edges, REFERENCE_ACTORS)
    graph = _graph(kept)
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    pts = _force(graph, seed, iterations=_REFERENCE_ITERATIONS)
    pts = pts - pts.mean(axis=0)
    far = float(np.sqrt((pts ** 2).sum(axis=1)).max())
    if far > 0:
        pts = pts / far
    return {n: (round(float(x), 6), round(float(y), 6)) for n, (x, y) in zip(nodes, pts,
                                                                          strict=True)}


def _starts(graph: nx.Graph, ref: Mapping[str, Position], seed: int) -> dict[str, Position]:
    """Each actor's start on the store's map; an actor off the map starts at the mean of its
    mapped partners (near its own seed point), or at its seed point."""
    out: dict[str, Position] = {}
    for n in graph.nodes:
        if n in ref:
            out[n] = ref[n]
            continue
        near = [ref[m] for m in graph.neighbors(n) if m in ref]
        sx, sy = _seed_point(n, seed)
        if near:
            out[n] = (float(np.mean([p[0] for p in near])) + 0.05 * sx,
                      float(np.mean([p[1] for p in near])) + 0.05 * sy)
        else:
            out[n] = (sx, sy)
    return out


def _even(pts: np.ndarray, share: float = 0.5) -> np.ndarray:
    """Each axis blended with its ranks: a force layout packs a dense core and leaves a
    sparse rim, and evening the density out along each axis (keeping every actor's order)
    gives the core's labels room before any box is pushed."""
    if len(pts) < 3:
        return pts
    out = pts.astype(float).copy()
    for k in range(2):
        col = out[:, k]
        span = float(col.max() - col.min())
        if span <= 0:
            continue
        ranks = np.argsort(np.argsort(col, kind="stable"), kind="stable") / (len(col) - 1)
        out[:, k] = (1 - share) * (col - col.min()) / span + share * ranks
    return out


def _fit_axis(c: np.ndarray, lo_ext: np.ndarray, hi_ext: np.ndarray, size: float,
              grow_only: bool = False) -> np.ndarray:
    """Centres mapped linearly so the boxes [c - lo_ext, c + hi_ext] just fill [0, size].
    With `grow_only` the drawing is never shrunk (that could make boxes overlap again)."""
    cmin, span = float(c.min()), float(c.max() - c.min())
    if span < 1e-9:
        return np.full_like(c, (size + lo_ext.max() - hi_ext.max()) / 2)
    u = (c - cmin) / span

    def extent(s: float) -> float:
        return float((u * s + hi_ext).max() - (u * s - lo_ext).min())

    lo_s, hi_s = 0.0, size
    for _ in range(40):
        mid = (lo_s + hi_s) / 2
        lo_s, hi_s = (mid, hi_s) if extent(mid) <= size else (lo_s, mid)
    scale = lo_s
    if grow_only and scale < span:
        scale = span
    out = u * scale
    return out - float((out - lo_ext).min()) + max(0.0, (size - extent(scale)) / 2)


class _Boxes:
    """Node-and-label boxes: a label sits centred under its node, so a box per actor that
    holds both keeps labels off each other and off other actors' nodes at once (the idea of
    Gephi's Label Adjust)."""

    def __init__(self, radius: np.ndarray, font: np.ndarray, texts: list[list[str]]):
        self.radius, self.font, self.texts = radius, font, texts
        self.level = np.zeros(len(radius), dtype=int)  # index into texts[i]: full, short, ""
        self.above = np.zeros(len(radius), dtype=bool)  # label over the node, not under it
        self.widths = np.array([[text_width(t, f) for t in options]
                                for options, f in zip(texts, font, strict=True)])
        self.update()

    def update(self) -> None:
        widths = self.widths[np.arange(len(self.level)), self.level]
        has = widths > 0
        self.half_w = np.maximum(widths / 2, self.radius) + PAD
        label = np.where(has, LABEL_GAP + self.font * LINE_HEIGHT, 0.0)
        self.top = self.radius + PAD + np.where(self.above, label, 0.0)
        self.bottom = self.radius + PAD + np.where(self.above, 0.0, label)

    def label_boxes(self, pts: np.ndarray, above: np.ndarray) -> np.ndarray:
        """(x0, y0, x1, y1) of each label if placed `above` (else under) its node."""
        widths = self.widths[np.arange(len(self.level)), self.level]
        h = self.font * LINE_HEIGHT
        near = self.radius + LABEL_GAP
        y0 = np.where(above, pts[:, 1] - near - h, pts[:, 1] + near)
        return np.column_stack([pts[:, 0] - widths / 2, y0, pts[:, 0] + widths / 2, y0 + h])

    def area(self) -> float:
        return float((2 * self.half_w * (self.top + self.bottom)).sum())


def _overlaps(pts: np.ndarray, b: _Boxes) -> tuple[np.ndarray, ...]:
    cx, cy = pts[:, 0], pts[:, 1] + (b.bottom - b.top) / 2
    hx, hy = b.half_w, (b.top + b.bottom) / 2
    dx = cx[:, None] - cx[None, :]
    dy = cy[:, None] - cy[None, :]
    ox = hx[:, None] + hx[None, :] - np.abs(dx)
    oy = hy[:, None] + hy[None, :] - np.abs(dy)
    hit = (ox > 0) & (oy > 0)
    np.fill_diagonal(hit, False)
    return hit, dx, dy, ox, oy


def _separate(pts: np.ndarray, b: _Boxes, width: float, height: float,
              rank: np.ndarray) -> np.ndarray:
    """Push overlapping boxes apart along the axis where they overlap least (Graphviz's and
    Noverlap's rule), kept inside the frame; when the frame is too full to separate them,
    the least-connected actors in a collision get short names, then none, and it goes on."""
    pts = pts.copy()
    n = len(pts)
    order = np.arange(n)
    weakest_first = np.argsort(rank)[::-1]
    for level in (1, 2):
        for i in weakest_first:
            # Short of the limit, to leave room for the best connected's full names.
            if b.area() <= 0.8 * _FILL * width * height:
                break
            if b.level[i] < level:
                b.level[i] = level
                b.update()
    # Then give the best connected their names back while there is room.
    for i in weakest_first[::-1]:
        while b.level[i] > 0:
            b.level[i] -= 1
            b.update()
            if b.area() > _FILL * width * height:
                b.level[i] += 1
                b.update()
                break
        if b.level[i] > 0:
            break
    for step in range(_MAX_ROUNDS):
        hit, dx, dy, ox, oy = _overlaps(pts, b)
        if not hit.any():
            break
        # Exact ties split by index so identical points separate deterministically.
        sx = np.where(dx == 0, np.sign(order[:, None] - order[None, :]), np.sign(dx))
        sy = np.where(dy == 0, np.sign(order[:, None] - order[None, :]), np.sign(dy))
        along_x = ox * 1.6 < oy  # moving up or down is the cheaper way past a wide label
        mx = np.where(hit & along_x, sx * (ox / 2 + 0.5), 0.0).sum(axis=1)
        my = np.where(hit & ~along_x, sy * (oy / 2 + 0.5), 0.0).sum(axis=1)
        pts[:, 0] += 0.55 * mx
        pts[:, 1] += 0.55 * my
        pts[:, 0] = np.clip(pts[:, 0], b.half_w, np.maximum(width - b.half_w, b.half_w))
        pts[:, 1] = np.clip(pts[:, 1], b.top, np.maximum(height - b.bottom, b.top))
        if step % _ROUNDS_PER_STEP == _ROUNDS_PER_STEP - 1:
            # In each collision the less connected of the two gives way: the least
            # connected half of those get a shorter name.
            i, j = np.nonzero(np.triu(hit))
            weaker = np.unique(np.where(rank[i] > rank[j], i, j))
            stuck = weaker[b.level[weaker] < 2]
            if len(stuck) == 0:
                continue
            worst = stuck[np.argsort(rank[stuck])][::-1][:max(1, len(stuck) // 2)]
            b.level[worst] += 1
            b.update()
    # Out of rounds (a frame far too full): the weaker of each pair still colliding loses
    # its name, so no name is ever printed over another.
    hit = _overlaps(pts, b)[0]
    i, j = np.nonzero(np.triu(hit))
    if len(i):
        b.level[np.unique(np.where(rank[i] > rank[j], i, j))] = 2
        b.update()
    return pts


def _crossings(boxes: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               ends_at: np.ndarray) -> np.ndarray:
    """How many lines run through each box (lines sampled at 12 points; a node's own lines
    leave from under its label and do not count)."""
    t = np.linspace(0.08, 0.92, 12)[:, None, None]
    pts = starts[None] * (1 - t) + ends[None] * t  # samples x lines x 2
    x, y = pts[..., 0], pts[..., 1]
    inside = ((x[None] > boxes[:, 0, None, None]) & (x[None] < boxes[:, 2, None, None])
              & (y[None] > boxes[:, 1, None, None]) & (y[None] < boxes[:, 3, None, None]))
    crossed = inside.any(axis=1) & ~ends_at
    return crossed.sum(axis=1)


def _clear_of_lines(pts: np.ndarray, b: _Boxes, graph: nx.Graph, width: float,
                    height: float) -> None:
    """Put a label over its node instead of under it where fewer lines cross it there and
    it still overlaps nothing and stays in the frame (Label Adjust's aim, edges included)."""
    index = {n: i for i, n in enumerate(graph.nodes)}
    pairs = np.array([(index[a], index[c]) for a, c in graph.edges], dtype=int)
    has = b.widths[np.arange(len(b.level)), b.level] > 0
    if len(pairs) == 0 or not has.any():
        return
    starts, ends = pts[pairs[:, 0]], pts[pairs[:, 1]]
    ends_at = (pairs[None, :, 0] == np.arange(len(pts))[:, None]) \
        | (pairs[None, :, 1] == np.arange(len(pts))[:, None])
    under = _crossings(b.label_boxes(pts, np.zeros(len(pts), bool)), starts, ends, ends_at)
    over = _crossings(b.label_boxes(pts, np.ones(len(pts), bool)), starts, ends, ends_at)
    for i in np.flatnonzero(has & (over < under)):
        b.above[i] = True
        b.update()
        top_ok = pts[i, 1] - b.top[i] >= 0
        if not top_ok or _overlaps(pts, b)[0][i].any():
            b.above[i] = False
            b.update()


def arrange(edges: pd.DataFrame, names: Mapping[str, str] | None = None, *,
            seed: int = settings.LAYOUT_SEED, width: float = settings.FRAME_WIDTH,
            height: float = settings.FRAME_HEIGHT, type_scale: float = 1.0,
            reference: Mapping[str, Position] | None = None) -> Arrangement:
    """Where every actor of `edges` goes in a `width` x `height` frame, how big its node and
    its name are, and which name it gets, from the edges drawn and the names alone (the view
    determines the picture, whatever the page showed before).

    1. ForceAtlas2 for a few rounds from the actors' places on the store's map `reference`
       (`reference`; without one, from per-actor seed points), turned and scaled back onto
       the map and pulled most of the way (60%) back to it: stable across filter changes.
    2. Fitted to fill the frame, each axis on its own.
    3. Node-and-label boxes pushed apart until none overlaps; where the frame runs out of
       room, the least-connected actors get short names (ISO codes), then none.
    4. Fitted again: the drawing only grows back to fill the frame.
    Sizes grow with the square root of an actor's share of the article links drawn."""
    names = names or {}
    graph = _graph(edges)
    nodes = list(graph.nodes)
    if not nodes:
        return Arrangement({}, width, height)
    degree = weighted_degree(edges).reindex(nodes).fillna(0.0).to_numpy(dtype=float)
    share = np.sqrt(degree / (degree.max() or 1.0))
    radius = (settings.NODE_MIN + (settings.NODE_MAX - settings.NODE_MIN) * share) * type_scale
    font = (settings.LABEL_MIN + (settings.LABEL_MAX - settings.LABEL_MIN) * share) * type_scale
    limit = width * MAX_LABEL_SHARE
    texts = []
    for n, f in zip(nodes, font, strict=True):
        full = " ".join(str(names.get(n) or n).split())
        texts.append([_fit_text(full, f, limit), _fit_text(short_name(n, full), f, limit), ""])
    boxes = _Boxes(radius, font, texts)
    # Rank 0 = best connected; ties by id (nodes are sorted by id).
    rank = np.empty(len(nodes), dtype=int)
    rank[np.argsort(-degree, kind="stable")] = np.arange(len(nodes))

    if reference:
        raw = _even(_force(graph, seed, _starts(graph, reference, seed), _VIEW_ITERATIONS,
                           _PULL))
    else:
        raw = _even(_force(graph, seed))
    pts = np.column_stack([_fit_axis(raw[:, 0], boxes.half_w, boxes.half_w, width),
                           _fit_axis(raw[:, 1], boxes.top, boxes.bottom, height)])
    pts = _separate(pts, boxes, width, height, rank)
    pts = np.column_stack([_fit_axis(pts[:, 0], boxes.half_w, boxes.half_w, width, True),
                           _fit_axis(pts[:, 1], boxes.top, boxes.bottom, height, True)])
    _clear_of_lines(pts, boxes, graph, width, height)
    kinds = ("full", "short", "none")
    return Arrangement(
        {n: Placed(float(x), float(y), float(r), float(f), texts[i][boxes.level[i]],
                   kinds[boxes.level[i]], bool(boxes.above[i]))
         for i, (n, (x, y), r, f) in enumerate(zip(nodes, pts, radius, font, strict=True))},
        width, height)


def positions(edges: pd.DataFrame, names: Mapping[str, str] | None = None, *,
              seed: int = settings.LAYOUT_SEED) -> dict[str, Position]:
    """(x, y) of every actor of `edges` in frame pixels (see `arrange`)."""
    return {a: (p.x, p.y) for a, p in arrange(edges, names, seed=seed).nodes.items()}


def _codes(edges: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Integer codes of both ends, so graph walks run on numpy arrays instead of string sets."""
    codes, uniques = pd.factorize(pd.concat([edges["source"], edges["target"]],
                                            ignore_index=True), sort=True)
    n = len(edges)
    return codes[:n], codes[n:], pd.Index(uniques)


def neighbourhood(edges: pd.DataFrame, focus: str, steps: int = 1) -> pd.DataFrame:
    """The rows among actors at most `steps` hops from `focus` (undirected), i.e. the edges of
    the ego network: with steps=1 that includes the ties between the focus actor's partners,
    which is what the focus view is for. Unknown focus gives an empty frame."""
    if steps < 1:
        raise ValueError(f"steps must be at least 1, not {steps!r}")
    src, tgt, actors = _codes(edges)
    if focus not in actors:
        return edges.iloc[0:0]
    reached = np.zeros(len(actors), dtype=bool)
    reached[actors.get_loc(focus)] = True
    for _ in range(steps):
        touching = reached[src] | reached[tgt]
        reached[src[touching]] = True
        reached[tgt[touching]] = True
    return edges[reached[src] & reached[tgt]]


def weighted_degree(edges: pd.DataFrame) -> pd.Series:
    """Sum of `weight` over each actor's rows, sorted by degree desc then actor id."""
    src, tgt, actors = _codes(edges)
    weight = edges["weight"].to_numpy(dtype=float)
    degree = (np.bincount(src, weights=weight, minlength=len(actors))
              + np.bincount(tgt, weights=weight, minlength=len(actors)))
    # factorize(sort=True) orders codes by actor id, so a stable sort on -degree breaks ties
    # by id.
    order = np.argsort(-degree, kind="stable")
    return pd.Series(degree[order], index=actors[order], name="degree")


def top_actors(edges: pd.DataFrame, budget: int) -> tuple[pd.DataFrame, int, int]:
    """The rows among the `budget` actors of largest weighted degree (ties by actor id), the
    number of actors kept and the number there were, for a "showing N of M actors" notice."""
    rows, kept, total = top_actor_rows(edges, budget)
    return (edges if rows is None else edges.take(rows)), kept, total


def top_actor_rows(edges: pd.DataFrame, budget: int) -> tuple[np.ndarray | None, int, int]:
    """`top_actors` as the positions of the rows kept (None: every row), so that a caller
    that trims further takes the rows it draws once instead of copying the kept frame."""
    if edges.empty:
        return None, 0, 0
    src, tgt, actors = _codes(edges)
    total = len(actors)
    if budget >= total:
        return None, total, total
    weight = edges["weight"].to_numpy(dtype=float)
    degree = (np.bincount(src, weights=weight, minlength=total)
              + np.bincount(tgt, weights=weight, minlength=total))
    keep = np.zeros(total, dtype=bool)
    keep[np.argsort(-degree, kind="stable")[:max(budget, 0)]] = True
    return np.flatnonzero(keep[src] & keep[tgt]), int(keep.sum()), total
