"""Server-side node positions and graph trimming for the network views.

The browser's own physics would place nodes anew on every rerun and the exported picture would
not match what the analyst saw, so positions are computed here, deterministically, and handed to
vis-network with physics off. When a filter changes, actors already on screen keep their exact
coordinates and only newcomers are placed, next to the actors they are tied to.

All functions take the frame of `dashboard.queries.edge_summary` (source, target, weight, ...).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd

Position = tuple[float, float]

# Unit layout space: one unit is the wanted distance between neighbouring labels.
_SPREAD = 0.9  # a component of n nodes gets a radius of _SPREAD * sqrt(n) units
_GAP = 1.2  # space left between packed components, in units
_ITERATIONS = 80
_MIN_SEPARATION = 0.11  # nodes of a fresh drawing end at least this far apart (x scale)
_DECLUTTER_ROUNDS = 60


def _pairs(edges: pd.DataFrame) -> pd.DataFrame:
    """Total weight per unordered pair (a < b), sorted, so row order never matters."""
    if edges.empty:
        return pd.DataFrame({"a": pd.Series(dtype=object), "b": pd.Series(dtype=object),
                             "weight": pd.Series(dtype=float)})
    src, tgt = edges["source"].astype(str), edges["target"].astype(str)
    swap = src > tgt
    frame = pd.DataFrame({"a": src.where(~swap, tgt), "b": tgt.where(~swap, src),
                          "weight": edges["weight"].astype(float)})
    frame = frame[frame["a"] != frame["b"]]
    return (frame.groupby(["a", "b"], as_index=False, sort=True)["weight"].sum()
            .reset_index(drop=True))


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
    pairs = _pairs(edges)
    # log1p: a pair reported in 40 articles should sit closer than one reported once, but not
    # forty times closer, or heavy pairs collapse onto each other and their labels overlap.
    graph.add_weighted_edges_from(
        zip(pairs["a"], pairs["b"], np.log1p(pairs["weight"].to_numpy()), strict=True))
    return graph


def _components(graph: nx.Graph) -> list[list[str]]:
    parts = [sorted(c) for c in nx.connected_components(graph)]
    return sorted(parts, key=lambda c: (-len(c), c[0]))


def _component_layout(graph: nx.Graph, nodes: list[str], seed: int) -> np.ndarray:
    """Coordinates (n x 2, unit space, centred) of one connected component."""
    if len(nodes) == 1:
        return np.zeros((1, 2))
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_weighted_edges_from(sorted((a, b, d["weight"]) for a, b, d in
                                       graph.subgraph(nodes).edges(data=True)))
    if len(nodes) == 2:
        return np.array([[-0.5, 0.0], [0.5, 0.0]])
    # method="force": the "energy" solver networkx picks for big graphs needs scipy.
    placed = nx.spring_layout(sub, seed=seed, iterations=_ITERATIONS, method="force",
                              scale=_SPREAD * math.sqrt(len(nodes)))
    return np.array([placed[n] for n in nodes])


def _pack(blocks: list[np.ndarray], width: float | None = None) -> list[np.ndarray]:
    """Shelf-pack component drawings left to right, wrapping rows, biggest first, so separate
    components sit side by side instead of being pushed apart by repulsion."""
    boxes = [(b.min(axis=0), b.max(axis=0)) for b in blocks]
    sizes = [hi - lo + _GAP for lo, hi in boxes]
    if width is None:
        area = sum(float(w * h) for w, h in sizes)
        width = max(math.sqrt(area) * 1.1, max(float(w) for w, _ in sizes))
    out, x, y, row_height = [], 0.0, 0.0, 0.0
    for block, (lo, _), (w, h) in zip(blocks, boxes, sizes, strict=True):
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        out.append(block - lo + np.array([x, y]))
        x, row_height = x + w, max(row_height, float(h))
    return out


def _fresh(graph: nx.Graph, seed: int, scale: float) -> dict[str, Position]:
    parts = _components(graph)
    blocks = _pack([_component_layout(graph, nodes, seed) for nodes in parts])
    coords = np.vstack(blocks)
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    coords = coords - (lo + hi) / 2
    extent = float(np.abs(coords).max())
    coords = coords * (scale / extent if extent > 0 else 1.0)
    coords = _declutter(coords, _MIN_SEPARATION * scale, scale)
    names = [n for nodes in parts for n in nodes]
    return {n: (float(x), float(y)) for n, (x, y) in zip(names, coords, strict=True)}


def _declutter(coords: np.ndarray, min_dist: float, bound: float) -> np.ndarray:
    """Push apart nodes closer than `min_dist`: a spring layout crowds the hubs of a dense
    news network (the US, Russia, China) into a knot whose labels overlap on a projector.
    Deterministic (no randomness; exact ties are split along a fixed direction)."""
    pts = coords.copy()
    for _ in range(_DECLUTTER_ROUNDS):
        diff = pts[:, None, :] - pts[None, :, :]
        dist = np.sqrt((diff ** 2).sum(axis=2))
        np.fill_diagonal(dist, 2 * min_dist)  # a node does not push itself
        close = dist < min_dist
        if not close.any():
            break
        diff[dist < 1e-9] = np.array([1.0, 0.5])
        dist = np.maximum(dist, 1e-9)
        push = np.where(close, (min_dist - dist) / 2 / dist, 0.0)[:, :, None] * diff
        pts = np.clip(pts + push.sum(axis=1), -bound, bound)
    return pts


def _spacing(points: np.ndarray) -> float:
    """Median nearest-neighbour distance: the label spacing of the drawing being extended."""
    if len(points) < 2:
        return 0.0
    diff = points[:, None, :] - points[None, :, :]
    dist = np.sqrt((diff ** 2).sum(axis=2))
    np.fill_diagonal(dist, np.inf)
    return float(np.median(dist.min(axis=1)))


def _free_spot(taken: np.ndarray, radius: float, unit: float, bound: float) -> np.ndarray:
    """Centre for a block of `radius` inside the frame, as far as possible from `taken`
    (first such grid point, so deterministic); just below the drawing if the frame is full."""
    lim = max(bound - radius, 0.0)
    axis = np.linspace(-lim, lim, 41) if lim > 0 else np.zeros(1)
    gx, gy = np.meshgrid(axis, axis)
    cand = np.column_stack([gx.ravel(), gy.ravel()])
    sq = ((cand ** 2).sum(axis=1)[:, None] + (taken ** 2).sum(axis=1)[None, :]
          - 2 * cand @ taken.T)
    clearance = np.sqrt(np.maximum(sq, 0)).min(axis=1) - radius
    best = int(np.argmax(clearance))
    # Half a spacing of clearance is enough: small drawings have very wide spacings.
    if clearance[best] >= unit / 2:
        return cand[best]
    return np.array([0.0, float(taken[:, 1].max()) + radius + unit])


def _extend(graph: nx.Graph, previous: Mapping[str, Position], seed: int,
            scale: float) -> dict[str, Position]:
    nodes = list(graph.nodes)
    fixed = [n for n in nodes if n in previous]
    norm = {n: np.asarray(previous[n], dtype=float) / scale for n in fixed}
    fixed_pts = np.array([norm[n] for n in fixed])
    unit = _spacing(fixed_pts) or 2.0 / math.sqrt(len(nodes))
    rng = np.random.default_rng(seed)

    attached, detached = [], []
    for part in _components(graph):
        (attached if any(n in norm for n in part) else detached).append(part)

    placed: dict[str, np.ndarray] = {}
    # Start each newcomer at the centre of its already-placed neighbours (breadth first from the
    # fixed actors), so the spring run only has to settle it locally.
    start = dict(norm)
    frontier = [n for part in attached for n in part if n in norm]
    while frontier:
        nxt = []
        for node in frontier:
            for nb in sorted(graph.neighbors(node)):
                if nb in start:
                    continue
                anchors = [start[m] for m in sorted(graph.neighbors(nb)) if m in start]
                start[nb] = np.mean(anchors, axis=0) + rng.normal(0, unit / 2, 2)
                nxt.append(nb)
        frontier = nxt
    new_attached = [n for part in attached for n in part if n not in norm]
    if new_attached:
        sub = graph.subgraph([n for part in attached for n in part])
        moved = nx.spring_layout(sub, pos={n: start[n] for n in sub}, fixed=list(norm),
                                 k=unit, iterations=_ITERATIONS, seed=seed, method="force")
        placed.update({n: np.asarray(moved[n]) for n in new_attached})

    bound = max(1.0, float(np.abs(fixed_pts).max()))
    # Springs only pull newcomers towards their neighbours; one tied to an actor on the rim
    # would otherwise land outside the frame.
    placed = {n: np.clip(p, -bound, bound) for n, p in placed.items()}
    taken = np.vstack([fixed_pts, *placed.values()]) if placed else fixed_pts
    for part in detached:
        # Wholly new components have nothing to be near: drop each into the emptiest spot of
        # the frame rather than letting repulsion fling it to the edge.
        block = _component_layout(graph, part, seed) * unit
        spot = _free_spot(taken, float(np.linalg.norm(block, axis=1).max()), unit, bound)
        block = block + spot
        placed.update(dict(zip(part, block, strict=True)))
        taken = np.vstack([taken, block])

    out = {n: (float(previous[n][0]), float(previous[n][1])) for n in fixed}
    out.update({n: (float(p[0] * scale), float(p[1] * scale)) for n, p in placed.items()})
    return {n: out[n] for n in nodes}


def positions(edges: pd.DataFrame, previous: Mapping[str, Position] | None = None,
              *, seed: int = 7, scale: float = 1000.0) -> dict[str, Position]:
    """(x, y) for every actor in `edges`, in vis-network pixel space (about [-scale, scale]).

    Without `previous` (or when none of its actors is still drawn) this is a fresh layout:
    each connected component is laid out with a seeded Fruchterman-Reingold run (pair weights
    summed over relations, log-damped) and the components are shelf-packed biggest first, so
    the same edges give the same picture whatever their row order. With `previous`, actors it
    names keep exactly their old coordinates; newcomers tied to them are started at the centre
    of their placed neighbours and settled by a spring run with those actors fixed, and each
    wholly new component goes to the emptiest spot of the frame (below it only if the frame is
    full)."""
    graph = _graph(edges)
    if graph.number_of_nodes() == 0:
        return {}
    if not previous or not any(n in previous for n in graph.nodes):
        return _fresh(graph, seed, scale)
    return _extend(graph, previous, seed, scale)


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
    if edges.empty:
        return edges, 0, 0
    src, tgt, actors = _codes(edges)
    total = len(actors)
    if budget >= total:
        return edges, total, total
    weight = edges["weight"].to_numpy(dtype=float)
    degree = (np.bincount(src, weights=weight, minlength=total)
              + np.bincount(tgt, weights=weight, minlength=total))
    keep = np.zeros(total, dtype=bool)
    keep[np.argsort(-degree, kind="stable")[:max(budget, 0)]] = True
    return edges[keep[src] & keep[tgt]], int(keep.sum()), total
