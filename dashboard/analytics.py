"""Signed-network analytics behind the Blocs, Actor and Compare pages.

Everything works on the frame of `dashboard.queries.edge_summary` and reduces it first to
unordered pairs with a cooperative weight, a hostile weight and their difference (`net`), because
blocs, balance and period comparisons are questions about how two actors stand towards each
other overall, not about one relation type in one direction.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from dashboard.layout import actor_ids
from dashboard.taxonomy import RELATION_LISTS, RelationType, type_order

PARTNERS_CONDEMN = "partners that condemn each other"
ADVERSARIES_SUPPORT = "adversaries that support each other"
EVENLY_SPLIT = "as much hostility as cooperation"
_MAX_PASSES = 20
# Pairs are grouped through a table of every possible pair up to this many (32 MB of counts),
# through a sort above it.
_DENSE_PAIRS = 1 << 22


_RELATION_LISTS = np.array(RELATION_LISTS, dtype=object)  # a pair's list: one lookup, no sort
_RELATION_INDEX = pd.Index([r.value for r in RelationType])  # a type's bit is its position
_SIGNED_COLUMNS = ["a", "b", "cooperative", "hostile", "net", "sign", "relations"]


def _relation_list(relations) -> str:
    return ", ".join(sorted(set(relations), key=type_order))


def signed_weights(edges: pd.DataFrame) -> pd.DataFrame:
    """One row per unordered pair a < b: cooperative and hostile weight summed over both
    directions and all relation types, net = cooperative - hostile, sign of net, and
    `relations`, the pair's relation types (comma-separated, taxonomy order). Self-ties are
    dropped."""
    if edges.empty:
        return _empty_pairs()
    actors, ((src, tgt),) = actor_codes(edges)
    keys, cooperative, hostile, relations = _pair_sums(edges, src, tgt, len(actors))
    if not len(keys):
        return _empty_pairs()
    net = cooperative - hostile
    return pd.DataFrame({"a": actors[keys // len(actors)], "b": actors[keys % len(actors)],
                         "cooperative": cooperative, "hostile": hostile, "net": net,
                         "sign": np.sign(net).astype(np.int64), "relations": relations})


def actor_codes(*frames: pd.DataFrame, ends: tuple[str, str] = ("source", "target")
                ) -> tuple[np.ndarray, list[tuple[np.ndarray, ...]]]:
    """The actors at either end (the columns `ends`) of the frames' rows, sorted by id, and per
    frame the codes of its two ends in that list (one factorize for all: looking strings up in
    an index one frame at a time took twice as long)."""
    ends = pd.concat([frame[column].astype(str) for frame in frames for column in ends],
                     ignore_index=True)
    codes, actors = pd.factorize(ends, sort=True)
    per_frame, at = [], 0
    for frame in frames:
        n = len(frame)
        per_frame.append((codes[at:at + n], codes[at + n:at + 2 * n]))
        at += 2 * n
    return np.asarray(actors, dtype=object), per_frame


def _pair_groups(key: np.ndarray, n_actors: int) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct pair keys, sorted; each key's position among them)."""
    if n_actors * n_actors <= _DENSE_PAIRS:  # a table of every possible pair: no sort
        seen = np.bincount(key, minlength=n_actors * n_actors)
        keys = np.flatnonzero(seen)
        slot = np.zeros(len(seen), dtype=np.int64)
        slot[keys] = np.arange(len(keys))
        return keys, slot[key]
    return np.unique(key, return_inverse=True)


def sum_pairs(lo: np.ndarray, hi: np.ndarray, weight: np.ndarray, cooperative: np.ndarray,
              bits: np.ndarray, n_actors: int):
    """The signed pairs' sums from edges given as the codes of their ends (`lo` < `hi`, both
    below `n_actors`), their weights, whether each is cooperative and its relation type's bit
    (`taxonomy.RELATION_LISTS`; 0 for a type outside the taxonomy): (keys, pair_of,
    cooperative, hostile, relations) per pair, where a pair's key is `lo * n_actors + hi`, so
    keys sort like (a, b), and `pair_of` is each edge's pair."""
    keys, pair_of = _pair_groups(lo.astype(np.int64) * n_actors + hi, n_actors)
    masks = np.zeros(len(keys), dtype=np.int64)
    np.bitwise_or.at(masks, pair_of, bits)
    summed = [np.bincount(pair_of, weights=np.where(cooperative == side, weight, 0),
                          minlength=len(keys)).astype(np.int64) for side in (True, False)]
    return keys, pair_of, summed[0], summed[1], _RELATION_LISTS[masks]


def _pair_sums(edges: pd.DataFrame, src: np.ndarray, tgt: np.ndarray, n_actors: int):
    """(keys, cooperative, hostile, relations) per unordered pair, self-ties dropped, from the
    actor codes of the edges' ends (`sum_pairs`)."""
    keep = src != tgt
    # Compared as a column, not mapped value by value (Arrow strings); a missing stance is
    # not cooperative.
    coop = (edges["stance"] == "cooperative").to_numpy(dtype=bool, na_value=False)[keep]
    relation = edges["relation"].astype(str)
    relation_of, relation_names = pd.factorize(relation, use_na_sentinel=False)
    taxonomy = _RELATION_INDEX.get_indexer(relation_names)[relation_of]
    bits = np.where(taxonomy >= 0, np.left_shift(1, taxonomy.clip(0)), 0).astype(np.int64)[keep]
    keys, pair_of, cooperative, hostile, relations = sum_pairs(
        np.minimum(src, tgt)[keep], np.maximum(src, tgt)[keep],
        edges["weight"].to_numpy(dtype=np.int64)[keep], coop, bits, n_actors)
    if (bits == 0).any():  # relation types outside the taxonomy: list those pairs by hand
        relations = relations.copy()
        names = relation.to_numpy(dtype=object)[keep]
        for i in np.unique(pair_of[bits == 0]):
            relations[i] = _relation_list(names[pair_of == i])
    return keys, cooperative, hostile, relations


def _pairs(edges: pd.DataFrame, pairs: pd.DataFrame | None) -> pd.DataFrame:
    # The Blocs page asks for blocs, balance, surprises and frustration of one frame: it
    # computes the signed pairs once and hands them to each.
    return signed_weights(edges) if pairs is None else pairs


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object if c in ("a", "b", "relations")
                                      else np.int64) for c in _SIGNED_COLUMNS})


class _LocalMoves:
    """The blocs' local moves on integer positions: `net` is the (actors x actors) matrix of
    signed pair weights, and per actor and bloc the cooperative and hostile weight of its ties
    into that bloc are kept up to date as actors move, so weighing an actor is a few vector
    operations over the blocs instead of a walk over its ties (a fifth of the time on the 71
    actors of a million-edge store)."""

    def __init__(self, net: np.ndarray, bloc: list[int]) -> None:
        self.bloc = list(bloc)
        self.next_bloc = max(bloc) + 1
        self.positive = np.maximum(net, 0)
        self.hostile = np.maximum(-net, 0)
        self.positive_total = self.positive.sum(axis=1)
        capacity = max(2 * self.next_bloc, 8)
        member = np.zeros((len(bloc), capacity))
        member[np.arange(len(bloc)), bloc] = 1
        # In floats, where numpy multiplies through BLAS (integer products it does in a slower
        # loop of its own); exact for sums below 2**53, far above any count.
        self.positive_in = (self.positive @ member).astype(np.int64)  # [actor, bloc]
        self.hostile_in = (self.hostile @ member).astype(np.int64)

    def best_move(self, node: int) -> int | None:
        """The bloc that most lowers `node`'s weighted frustration (its cooperative ties
        leaving the bloc plus its hostile ties inside it), or None to stay. Ties between
        equally good blocs go to a fresh bloc (cost: every cooperative tie leaves), then the
        lowest number. A bloc none of its partners is in costs as much as a fresh one, so
        weighing every bloc chooses as weighing only the partners' blocs would."""
        positive = self.positive_total[node]
        cost = positive - self.positive_in[node, :self.next_bloc] \
            + self.hostile_in[node, :self.next_bloc]
        here = cost[self.bloc[node]]
        lowest = min(int(cost.min()), int(positive))
        if lowest >= here:
            return None
        if lowest == positive:
            return self._fresh()
        return int(np.argmax(cost == lowest))

    def move(self, node: int, to: int) -> None:
        was = self.bloc[node]
        self.bloc[node] = to
        for into, weights in ((self.positive_in, self.positive), (self.hostile_in, self.hostile)):
            into[:, was] -= weights[:, node]
            into[:, to] += weights[:, node]

    def _fresh(self) -> int:
        fresh, self.next_bloc = self.next_bloc, self.next_bloc + 1
        if fresh >= self.positive_in.shape[1]:
            grow = np.zeros_like(self.positive_in)
            self.positive_in = np.hstack([self.positive_in, grow])
            self.hostile_in = np.hstack([self.hostile_in, grow])
        return fresh


def blocs(edges: pd.DataFrame | None, *, seed: int = 7, pairs: pd.DataFrame | None = None,
          actors: list[str] | None = None) -> dict[str, int]:
    """Actor -> bloc number, from the signed pair network.

    Method: (1) Louvain communities (networkx's, seeded) of the graph of pairs with
    positive net weight, so cooperative ties pull actors together; hostile pairs are simply not
    edges there. (2) Local moves in the spirit of signed correlation clustering: actors are
    visited in id order and each moves to the bloc (a neighbour's, or a new one of its own) that
    most lowers its weighted frustration, i.e. the |net| weight of its hostile ties inside its
    bloc plus its cooperative ties leaving it; passes repeat until nothing moves. This splits
    Louvain communities that contain adversaries and never merges blocs that merely touch. (3)
    Actors whose every tie nets to zero join the bloc of their strongest partner (total weight,
    ties by id) when that partner has a signed tie; otherwise they get a bloc of their own.
    Blocs are numbered by size, largest first, ties by smallest actor id. `pairs` is
    `signed_weights(edges)` and `actors` is `layout.actor_ids(edges)` when the caller has
    them already; with both, `edges` may be None."""
    pairs = _pairs(edges, pairs)
    actors = actor_ids(edges) if actors is None else actors
    if not actors:
        return {}
    # Integer positions and plain lists, not filtered frames: each filter of a frame of Arrow
    # strings costs more than the whole walk over a few thousand pairs.
    index = pd.Index(actors)
    ia, ib = index.get_indexer(pairs["a"]), index.get_indexer(pairs["b"])
    pair_net = pairs["net"].to_numpy(dtype=np.int64)
    ids = np.array(actors, dtype=object)
    cooperative = np.flatnonzero(pair_net > 0)
    graph = nx.Graph()
    graph.add_nodes_from(actors)
    graph.add_weighted_edges_from(zip(ids[ia[cooperative]].tolist(), ids[ib[cooperative]].tolist(),
                                      pair_net[cooperative].tolist(), strict=True))
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    bloc_of = {n: i for i, c in enumerate(sorted(sorted(c) for c in communities)) for n in c}

    net = np.zeros((len(actors), len(actors)), dtype=np.int64)
    net[ia, ib] = net[ib, ia] = pair_net  # a pair whose net is 0 is no tie
    row, partner = np.nonzero(net)  # row by row
    neighbours = [mine.tolist() for mine in
                  np.split(partner, np.searchsorted(row, np.arange(1, len(actors))))]
    moves = _LocalMoves(net, [bloc_of[node] for node in actors])
    # Actors are weighed in id order, each against the blocs as they stand after the moves
    # before it. An actor whose partners kept their blocs since it was last weighed would
    # make the same choice again (stay), so only actors next to a move are weighed again:
    # the same result as weighing everyone in every pass, in a fraction of the work.
    unsettled = {i for i, mine in enumerate(neighbours) if mine}
    for _ in range(_MAX_PASSES):
        moved = False
        for node in range(len(actors)):
            if node not in unsettled:
                continue
            unsettled.discard(node)
            best = moves.best_move(node)
            if best is not None:
                moves.move(node, best)
                unsettled.update(neighbours[node])
                moved = True
        if not moved:
            break
    bloc_of = dict(zip(actors, moves.bloc, strict=True))
    next_bloc = moves.next_bloc
    tied = {node: bool(neighbours[i]) for i, node in enumerate(actors)}

    unsigned = [n for n in actors if not tied[n]]
    if unsigned:
        strength = pairs.assign(total=pairs["cooperative"] + pairs["hostile"])
        for node in unsigned:
            mine = strength[(strength["a"] == node) | (strength["b"] == node)]
            partners = [(-int(t), b if a == node else a)
                        for a, b, t in mine[["a", "b", "total"]].itertuples(index=False)]
            partners = [p for p in sorted(partners) if tied[p[1]]]
            if partners:
                bloc_of[node] = bloc_of[partners[0][1]]
            else:
                bloc_of[node], next_bloc = next_bloc, next_bloc + 1

    members: dict[int, list[str]] = defaultdict(list)
    for node in actors:
        members[bloc_of[node]].append(node)
    ranked = sorted(members.values(), key=lambda m: (-len(m), min(m)))
    return {n: i for i, group in enumerate(ranked) for n in group}


def frustration(edges: pd.DataFrame, blocs: Mapping[str, int], *,
                weighted: bool = False, pairs: pd.DataFrame | None = None) -> int:
    """Pairs whose sign disagrees with the partition: hostile (net < 0) inside a bloc or
    cooperative (net > 0) across blocs. 0 means a perfectly clustered signed network. Actors
    missing from `blocs` count as blocs of their own. `weighted=True` sums |net| instead."""
    pairs = _pairs(edges, pairs)
    if pairs.empty:
        return 0
    # A missing actor is a bloc of its own. Dict lookups over the ids: mapping a column of
    # Arrow strings goes value by value at several times the cost.
    same = np.array([x in blocs and blocs[x] == blocs.get(y) for x, y in
                     zip(pairs["a"].tolist(), pairs["b"].tolist(), strict=True)], dtype=bool)
    sign = pairs["sign"].to_numpy()
    bad = ((sign > 0) & ~same) | ((sign < 0) & same)
    return int(pairs["net"].abs().to_numpy()[bad].sum()) if weighted else int(bad.sum())


_PATTERNS = ("+++", "++-", "+--", "---")  # by the number of hostile ties, 0 to 3


@dataclass(frozen=True, eq=False)
class Balance:
    """Structural balance census: counts, triangles per sign pattern, and the triangles
    themselves, one row each. A page shows the counts and a few unbalanced triangles, so the
    full table (tens of thousands of rows of names on a big store) is built only when asked
    for."""

    balanced: int
    unbalanced: int
    _nodes: pd.Index = field(repr=False)
    _corners: np.ndarray = field(repr=False)  # (triangles, 3): node positions a < b < c
    _signs: np.ndarray = field(repr=False)  # (triangles, 3): signs of a-b, a-c, b-c
    _negatives: np.ndarray = field(repr=False)  # (triangles,): hostile ties, 0 to 3

    @property
    def ratio(self) -> float | None:
        total = self.balanced + self.unbalanced
        return self.balanced / total if total else None

    def _rows(self, which: np.ndarray | slice) -> pd.DataFrame:
        corners, signs = self._corners[which], self._signs[which].astype(np.int64)
        negatives = self._negatives[which]
        # Taking from small string arrays, not building 150k strings one by one.
        names = self._nodes.array
        return pd.DataFrame({"a": names.take(corners[:, 0]), "b": names.take(corners[:, 1]),
                             "c": names.take(corners[:, 2]),
                             "signs": pd.array(_PATTERNS, dtype="str").take(negatives),
                             "sign_ab": signs[:, 0], "sign_ac": signs[:, 1],
                             "sign_bc": signs[:, 2], "balanced": negatives % 2 == 0})

    @functools.cached_property
    def triads(self) -> pd.DataFrame:
        """One row per triangle: a, b, c (a < b < c), `signs` in canonical form, the signs
        of a-b, a-c, b-c, and `balanced`; in (a, b, c) order."""
        return self._rows(slice(None))

    def patterns(self) -> pd.DataFrame:
        """signs, balanced and the number of triangles, per sign pattern that occurs."""
        counts = np.bincount(self._negatives, minlength=4)
        seen = np.flatnonzero(counts)
        return pd.DataFrame({"signs": pd.array([_PATTERNS[k] for k in seen], dtype="str"),
                             "balanced": seen % 2 == 0, "triangles": counts[seen]})

    def first_unbalanced(self, n: int) -> pd.DataFrame:
        """The first `n` rows of `triads` that are not balanced."""
        odd = np.flatnonzero(self._negatives % 2 == 1)[:max(n, 0)]
        return self._rows(odd).reset_index(drop=True)


def balance(edges: pd.DataFrame, *, pairs: pd.DataFrame | None = None) -> Balance:
    """Every triangle of the pair graph whose three ties have a nonzero net sign, with `signs`
    in canonical form ("+++", "++-", "+--", "---"), the signs of a-b, a-c, b-c, and `balanced`:
    the product of the signs is positive (Heider; Cartwright & Harary). "+--" (the enemy of my
    enemy is my friend) is balanced, "++-" (two friends of mine at odds) is not."""
    pairs = _pairs(edges, pairs)
    pairs = pairs[pairs["sign"] != 0]
    nodes = pd.Index(sorted(set(pairs["a"].unique()) | set(pairs["b"].unique())), dtype="str")
    sign = np.zeros((len(nodes), len(nodes)), dtype=np.int8)
    ia, ib = nodes.get_indexer(pairs["a"]), nodes.get_indexer(pairs["b"])
    sign[ia, ib] = sign[ib, ia] = pairs["sign"].to_numpy()
    later = np.triu(sign != 0, k=1)  # later[x, y]: x < y and the two are tied
    first, second = np.nonzero(later)  # every tie x < y, in (x, y) order
    # A triangle a < b < c is a tie a-b plus a c tied to both, later than b. Ties are taken
    # a few thousand at a time so that the (ties x actors) table stays small on big stores.
    step = max(1, 4_000_000 // max(len(nodes), 1))
    found = [np.zeros((0, 3), dtype=np.int64)]
    for lo in range(0, len(first), step):
        tie, c = np.nonzero(later[first[lo:lo + step]] & later[second[lo:lo + step]])
        found.append(np.column_stack([first[lo:lo + step][tie], second[lo:lo + step][tie], c]))
    corners = np.concatenate(found)
    a, b, c = corners[:, 0], corners[:, 1], corners[:, 2]
    signs = np.column_stack([sign[a, b], sign[a, c], sign[b, c]])
    negatives = (signs < 0).sum(axis=1)
    n_bal = int((negatives % 2 == 0).sum())
    return Balance(balanced=n_bal, unbalanced=len(corners) - n_bal, _nodes=nodes,
                   _corners=corners, _signs=signs, _negatives=negatives)


def surprises(edges: pd.DataFrame, *, min_weight: int = 1,
              pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs with both cooperative and hostile ties of at least `min_weight` articles each:
    partners that condemn each other (net > 0), adversaries that support each other (net < 0)
    and, for net = 0, pairs with as much hostility as cooperation. Columns a, b, kind,
    cooperative, hostile, net, strength = min(cooperative, hostile), relations; strongest
    first."""
    pairs = _pairs(edges, pairs)
    cooperative = pairs["cooperative"].to_numpy(dtype=np.int64)
    hostile = pairs["hostile"].to_numpy(dtype=np.int64)
    rows = np.flatnonzero((cooperative >= min_weight) & (hostile >= min_weight))
    cooperative, hostile = cooperative[rows], hostile[rows]
    net = pairs["net"].to_numpy(dtype=np.int64)[rows]
    a = pairs["a"].to_numpy(dtype=object)[rows]
    b = pairs["b"].to_numpy(dtype=object)[rows]
    strength = np.minimum(cooperative, hostile)
    # Strongest first, then most articles, then by ids: one numpy sort over the few rows kept
    # instead of pandas sorting a copy of the frame with its string columns.
    _, a_rank = np.unique(a.astype(str), return_inverse=True)
    _, b_rank = np.unique(b.astype(str), return_inverse=True)
    order = np.lexsort((b_rank, a_rank, -(cooperative + hostile), -strength))
    picked = rows[order]
    kinds = np.select([net > 0, net < 0], [0, 1], 2)[order]
    return pd.DataFrame({
        "a": pairs["a"].array.take(picked), "b": pairs["b"].array.take(picked),
        "kind": pd.array([PARTNERS_CONDEMN, ADVERSARIES_SUPPORT, EVENLY_SPLIT],
                         dtype="str").take(kinds),
        "cooperative": cooperative[order], "hostile": hostile[order], "net": net[order],
        "strength": strength[order], "relations": pairs["relations"].array.take(picked)})
