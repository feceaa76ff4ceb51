"""Louvain communities, step for step as `networkx.community.louvain_communities` finds them
(resolution 1, threshold 1e-7, same seed, same node and edge order: the same communities in
the same order), on plain dicts. No streamlit here.

networkx's version rebuilds a Graph object at every level and recomputes each level's
modularity through its generic views; on the 71 actors and 1,000 cooperative pairs of a store
of a million edges that was about 9 ms of every page that colours actors by bloc. This one
takes a third of that. `tests/test_louvain.py` checks it against networkx on thousands of
random graphs, so a networkx upgrade that changes the algorithm shows up there. The method is
Blondel, Guillaume, Lambiotte and Lefebvre, "Fast unfolding of communities in large networks"
(J. Stat. Mech. 2008); the code follows networkx's (BSD-3-Clause) to match it exactly.

An undirected graph is `adj`: node -> {neighbour: weight}, in insertion order, both
directions stored, a self-loop once. The blocs pass integer weights (article counts), so every
sum is exact whatever its order.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable

Node = Hashable
Adjacency = dict[Node, dict[Node, float]]

THRESHOLD = 0.0000001  # networkx's default: stop when a level gains less modularity


def communities(nodes: Iterable[Node], weighted_edges: Iterable[tuple[Node, Node, float]],
                seed: int) -> list[set[Node]]:
    """The communities of the graph on `nodes` with `weighted_edges` (u, v, weight), as
    `networkx.community.louvain_communities(G, weight="weight", seed=seed)` returns them for
    a Graph built with `add_nodes_from(nodes)` and `add_weighted_edges_from(weighted_edges)`."""
    nodes = list(nodes)
    given = _from_edges(nodes, weighted_edges)
    partition = [{u} for u in nodes]
    if not any(given.values()):
        return partition
    rng = random.Random(seed)
    modularity = _modularity(given, partition)
    graph = _from_edges(nodes, _edges(given))  # networkx works on a copy, edges re-added
    members = {u: {u} for u in graph}  # the original nodes each node of `graph` stands for
    m = sum(_degrees(graph).values()) / 2
    partition, inner, _ = _one_level(graph, members, m, partition, rng)
    while True:
        result = [s.copy() for s in partition]
        gained = _modularity(graph, inner)
        if gained - modularity <= THRESHOLD:
            return result
        modularity = gained
        graph, members = _aggregate(graph, members, inner)
        partition, inner, improved = _one_level(graph, members, m, partition, rng)
        if not improved:  # nothing moved: the level above is the answer
            return result


def _from_edges(nodes: Iterable[Node], edges: Iterable[tuple[Node, Node, float]]) -> Adjacency:
    adj: Adjacency = {u: {} for u in nodes}
    for u, v, w in edges:
        adj[u][v] = w
        adj[v][u] = w
    return adj


def _edges(adj: Adjacency) -> list[tuple[Node, Node, float]]:
    """Each edge once, in the order networkx's `Graph.edges()` yields them."""
    seen: set[Node] = set()
    out = []
    for u, nbrs in adj.items():
        out.extend((u, v, w) for v, w in nbrs.items() if v not in seen)
        seen.add(u)
    return out


def _degrees(adj: Adjacency) -> dict[Node, float]:
    # As networkx: a self-loop counts twice in its node's degree.
    return {u: sum(nbrs.values()) + nbrs.get(u, 0) for u, nbrs in adj.items()}


def _modularity(adj: Adjacency, partition: list[set[Node]]) -> float:
    degree = _degrees(adj)
    total = sum(degree.values())
    m, norm = total / 2, 1 / total**2
    contributions = []
    for community in partition:
        # The weight of the edges inside, each once (a self-loop once too).
        twice = sum(w for u in community for v, w in adj[u].items() if v in community)
        loops = sum(adj[u].get(u, 0) for u in community)
        inside = (twice - loops) / 2 + loops
        strength = sum(degree[u] for u in community)
        contributions.append(inside / m - 1 * strength * strength * norm)
    return sum(contributions)


def _one_level(graph: Adjacency, members: dict[Node, set[Node]], m: float,
               partition: list[set[Node]], rng: random.Random):
    """One pass of local moves; the gains are networkx's expressions, term for term, so that
    ties break the same way."""
    node2com = {u: i for i, u in enumerate(graph)}
    inner = [{u} for u in graph]
    degrees = _degrees(graph)
    stot = list(degrees.values())
    nbrs = {u: {v: w for v, w in graph[u].items() if v != u} for u in graph}
    order = list(graph)
    rng.shuffle(order)
    moves, improved = 1, False
    while moves > 0:
        moves = 0
        for u in order:
            best_gain, best_com = 0, node2com[u]
            to_com: dict[int, float] = {}
            for v, w in nbrs[u].items():
                c = node2com[v]
                to_com[c] = to_com.get(c, 0.0) + w
            # networkx reads its own community from a defaultdict, which adds it last.
            to_com.setdefault(best_com, 0.0)
            degree = degrees[u]
            stot[best_com] -= degree
            remove_cost = -to_com[best_com] / m + 1 * (stot[best_com] * degree) / (2 * m**2)
            for com, w in to_com.items():
                gain = remove_cost + w / m - 1 * (stot[com] * degree) / (2 * m**2)
                if gain > best_gain:
                    best_gain, best_com = gain, com
            stot[best_com] += degree
            if best_com != node2com[u]:
                partition[node2com[u]].difference_update(members[u])
                inner[node2com[u]].remove(u)
                partition[best_com].update(members[u])
                inner[best_com].add(u)
                improved = True
                moves += 1
                node2com[u] = best_com
    return list(filter(len, partition)), list(filter(len, inner)), improved


def _aggregate(graph: Adjacency, members: dict[Node, set[Node]], inner: list[set[Node]]):
    """The graph of communities: one node per community, edge weights summed (a community's
    inner weight becomes a self-loop)."""
    node2com, merged = {}, {}
    for i, part in enumerate(inner):
        merged[i] = set()
        for node in part:
            node2com[node] = i
            merged[i].update(members[node])
    adj: Adjacency = {i: {} for i in range(len(inner))}
    for u, v, w in _edges(graph):
        a, b = node2com[u], node2com[v]
        adj[a][b] = adj[b][a] = w + adj[a].get(b, 0)
    return adj, merged
