"""Signed-network analytics on small hand-built edge frames whose answers are known, plus one
check of the blocs on the real demo corpus."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import queries
from dashboard.analytics import (
    ADVERSARIES_SUPPORT,
    EVENLY_SPLIT,
    PARTNERS_CONDEMN,
    balance,
    blocs,
    frustration,
    signed_weights,
    surprises,
)
from tests.edge_frames import frame


def camps() -> pd.DataFrame:
    """Two camps of three mutual allies; every cross-camp pair is hostile."""
    rows = []
    for camp in ("ABC", "XYZ"):
        rows += [(camp[0], camp[1], "alliance", 2), (camp[1], camp[2], "cooperation", 1),
                 (camp[0], camp[2], "alliance", 1)]
    rows += [(a, x, "condemnation", 1) for a in "ABC" for x in "XYZ"]
    return frame(rows)


def test_signed_weights_sum_both_directions_per_unordered_pair():
    got = signed_weights(frame([("B", "A", "support", 3), ("A", "B", "condemnation", 1),
                                ("A", "B", "alliance", 2), ("C", "A", "attack", 4)]))
    assert got[["a", "b", "cooperative", "hostile", "net", "sign"]].values.tolist() == [
        ["A", "B", 5, 1, 4, 1], ["A", "C", 0, 4, -4, -1]]
    assert got["relations"].tolist() == ["alliance, support, condemnation", "attack"]


def test_signed_weights_drop_self_ties_and_list_unknown_relations_by_name():
    edges = frame([("A", "A", "support", 3), ("A", "B", "support", 1)])
    assert signed_weights(edges[:1]).empty  # only a self-tie: no pair at all
    odd = pd.concat([edges, pd.DataFrame([{"source": "A", "target": "B", "relation": "zeal",
                                           "stance": "cooperative", "directed": True,
                                           "weight": 2}])], ignore_index=True)
    got = signed_weights(odd)
    assert got[["a", "b", "cooperative", "hostile"]].values.tolist() == [["A", "B", 3, 0]]
    assert got["relations"].tolist() == ["support, zeal"]  # taxonomy order, then by name


def test_balance_census_of_every_triangle_with_the_sign_patterns():
    edges = frame([("A", "B", "alliance", 1), ("A", "C", "alliance", 1),
                   ("B", "C", "condemnation", 1), ("B", "D", "attack", 1),
                   ("C", "D", "attack", 2), ("A", "D", "support", 1), ("D", "E", "support", 1)])
    census = balance(edges)
    rows = census.triads[["a", "b", "c", "signs", "balanced"]].values.tolist()
    assert rows == [["A", "B", "C", "++-", False], ["A", "B", "D", "++-", False],
                    ["A", "C", "D", "++-", False], ["B", "C", "D", "---", False]]
    assert (census.balanced, census.unbalanced) == (0, 4)
    assert census.patterns().values.tolist() == [["++-", False, 3], ["---", False, 1]]
    assert census.first_unbalanced(2)[["a", "b", "c"]].values.tolist() == [
        ["A", "B", "C"], ["A", "B", "D"]]
    assert census.first_unbalanced(0).empty


def test_balance_patterns_and_unbalanced_rows_agree_with_the_full_table():
    edges = frame([(a, b, "alliance" if (ord(a) + ord(b)) % 3 else "attack", 1)
                   for a in "ABCDEFG" for b in "ABCDEFG" if a < b])
    census = balance(edges)
    triads = census.triads
    assert len(triads) == 35 and 0 < census.balanced < 35
    expected = triads.groupby(["signs", "balanced"]).size().rename("triangles").reset_index()
    pd.testing.assert_frame_equal(census.patterns(), expected, check_dtype=False)
    pd.testing.assert_frame_equal(census.first_unbalanced(5),
                                  triads[~triads["balanced"]].head(5).reset_index(drop=True))


def test_two_hostile_camps_make_two_blocs_without_frustration():
    edges = camps()
    found = blocs(edges)
    assert found["A"] == found["B"] == found["C"]
    assert found["X"] == found["Y"] == found["Z"]
    assert found["A"] != found["X"]
    assert sorted(set(found.values())) == [0, 1]
    assert found["A"] == 0, "equal-sized blocs are numbered by their smallest actor id"
    assert frustration(edges, found) == 0


def test_local_moves_split_a_cooperative_community_that_holds_enemies():
    # One cooperative star around H, but A and B fight harder than they cooperate with H.
    edges = frame([("H", "A", "support", 1), ("H", "B", "support", 1), ("H", "C", "support", 3),
                   ("A", "B", "attack", 5)])
    found = blocs(edges)
    assert found["A"] != found["B"]
    assert frustration(edges, found) == 1
    assert frustration(edges, {n: 0 for n in "HABC"}) == 1
    assert frustration(edges, {n: 0 for n in "HABC"}, weighted=True) == 5
    assert frustration(edges, found, weighted=True) == 1


def test_blocs_are_deterministic_and_row_order_free():
    edges = camps()
    shuffled = edges.sample(frac=1, random_state=5).reset_index(drop=True)
    assert blocs(shuffled) == blocs(edges)


def test_actors_with_only_zero_net_ties_join_their_strongest_partner():
    edges = frame([("A", "B", "alliance", 2), ("N", "A", "support", 2),
                   ("N", "A", "condemnation", 2), ("N", "B", "support", 1),
                   ("N", "B", "condemnation", 1), ("L", "M", "support", 1),
                   ("L", "M", "condemnation", 1)])
    found = blocs(edges)
    assert found["N"] == found["A"] == found["B"]
    # L and M have nobody with a signed tie to follow: each gets its own bloc.
    assert len({found["L"], found["M"], found["A"]}) == 3


@pytest.mark.parametrize(("partition", "expected"), [
    ({"A": 0, "B": 0, "C": 0, "X": 1, "Y": 1, "Z": 1}, 0),
    ({"A": 0, "B": 0, "C": 1, "X": 1, "Y": 1, "Z": 1}, 2 + 3),  # C leaves 2 allies, joins 3 foes
    ({n: 0 for n in "ABCXYZ"}, 9),
    ({}, 6),  # everyone alone: every alliance is cut
])
def test_frustration_counts_pairs_that_disagree_with_the_partition(partition, expected):
    assert frustration(camps(), partition) == expected


@pytest.mark.parametrize(("relations", "signs", "balanced"), [
    (("alliance", "alliance", "alliance"), "+++", True),
    (("alliance", "alliance", "attack"), "++-", False),
    (("alliance", "attack", "attack"), "+--", True),
    (("attack", "attack", "attack"), "---", False),
])
def test_a_triangle_is_balanced_when_the_product_of_signs_is_positive(relations, signs,
                                                                     balanced):
    edges = frame([("A", "B", relations[0], 1), ("B", "C", relations[1], 1),
                   ("C", "A", relations[2], 1)])
    got = balance(edges)
    assert got.triads[["a", "b", "c"]].values.tolist() == [["A", "B", "C"]]
    assert got.triads["signs"].tolist() == [signs]
    assert got.triads["balanced"].tolist() == [balanced]
    assert (got.balanced, got.unbalanced) == ((1, 0) if balanced else (0, 1))


def test_balance_census_on_a_small_graph_counted_by_hand():
    # A-B +, A-C +, B-C -, A-D -, B-D -, C-D + (net 3 - 1), D-E + (no triangle), E-A zero net.
    # Triangles: ABC ++- unbalanced; ABD +-- balanced; ACD ++- unbalanced; BCD --+ balanced.
    edges = frame([("A", "B", "alliance", 1), ("A", "C", "cooperation", 1),
                   ("B", "C", "threat", 1), ("A", "D", "attack", 1), ("D", "B", "sanction", 2),
                   ("C", "D", "support", 3), ("D", "C", "condemnation", 1),
                   ("D", "E", "support", 1), ("E", "A", "support", 1),
                   ("A", "E", "condemnation", 1)])
    got = balance(edges)
    assert (got.balanced, got.unbalanced) == (2, 2)
    assert dict(zip(got.triads["a"] + got.triads["b"] + got.triads["c"],
                    got.triads["balanced"], strict=True)) == {
        "ABC": False, "ABD": True, "ACD": False, "BCD": True}
    assert got.ratio == 0.5


def test_balance_of_no_triangles():
    got = balance(frame([("A", "B", "alliance", 1)]))
    assert (got.balanced, got.unbalanced, len(got.triads), got.ratio) == (0, 0, 0, None)


def test_surprises_find_partners_that_condemn_and_adversaries_that_support():
    edges = frame([("A", "B", "alliance", 5), ("A", "B", "condemnation", 2),
                   ("X", "Y", "attack", 6), ("Y", "X", "support", 1),
                   ("P", "Q", "cooperation", 1), ("Q", "P", "condemnation", 1),
                   ("A", "C", "alliance", 9)])
    got = surprises(edges)
    assert got[["a", "b", "kind"]].values.tolist() == [
        ["A", "B", PARTNERS_CONDEMN], ["X", "Y", ADVERSARIES_SUPPORT], ["P", "Q", EVENLY_SPLIT]]
    assert got["relations"].tolist()[0] == "alliance, condemnation"
    assert got[["cooperative", "hostile"]].values.tolist()[0] == [5, 2]
    assert surprises(edges, min_weight=2)["b"].tolist() == ["B"]


def test_demo_corpus_blocs(demo_store):
    with queries.connect(demo_store) as con:
        edges = queries.run(con, queries.edge_summary(queries.Filters()))
    found = blocs(edges)
    assert found["RUS"] == found["PRK"]
    assert found["USA"] == found["KOR"]
    assert found["RUS"] != found["USA"]
    # The partition must beat putting everyone together.
    assert frustration(edges, found) < frustration(edges, {a: 0 for a in found})


def test_precomputed_pairs_give_the_same_answers():
    # The Blocs page computes the signed pairs once and hands them to every figure.
    edges = camps()
    edges = pd.concat([edges, frame([("A", "X", "support", 2), ("B", "Y", "alliance", 1)])],
                      ignore_index=True)
    pairs = signed_weights(edges)
    found = blocs(edges)
    assert blocs(edges, pairs=pairs) == found
    # A caller may hand in the signed pairs and actors and no edges at all; an actor
    # in no signed pair (only a self-tie here) still gets a bloc of its own.
    with_self = pd.concat([edges, frame([("Z", "Z", "support", 3)])], ignore_index=True)
    actors = sorted({*with_self["source"], *with_self["target"]})
    assert blocs(None, pairs=signed_weights(with_self), actors=actors) == blocs(with_self)
    assert "Z" in blocs(with_self)
    assert frustration(edges, found, pairs=pairs) == frustration(edges, found)
    assert frustration(edges, found, weighted=True, pairs=pairs) \
        == frustration(edges, found, weighted=True)
    pd.testing.assert_frame_equal(surprises(edges, pairs=pairs), surprises(edges))
    with_pairs, without = balance(edges, pairs=pairs), balance(edges)
    assert (with_pairs.balanced, with_pairs.unbalanced) == (without.balanced, without.unbalanced)
    pd.testing.assert_frame_equal(with_pairs.triads, without.triads)


def _brute_force_move(net, bloc, node):
    """The bloc move as the Blocs method states it: among the blocs of `node`'s partners, its
    own and a fresh one (-1), the one of least weighted frustration; ties go to staying, then
    to the lowest number, the fresh one first. None when staying is as good."""
    def cost(b):
        inside = [j for j in range(len(bloc)) if j != node and bloc[j] == b]
        leaving = sum(w for j, w in enumerate(net[node]) if w > 0 and j not in inside)
        return leaving + sum(-net[node][j] for j in inside if net[node][j] < 0)
    candidates = {bloc[node], -1} | {bloc[j] for j, w in enumerate(net[node]) if w}
    best = min(candidates, key=lambda b: (cost(b), b != bloc[node], b))
    return None if cost(best) >= cost(bloc[node]) else best


def test_bloc_moves_keep_their_sums_and_choose_as_the_definition_does():
    import random

    import numpy as np

    from dashboard.analytics import _LocalMoves

    rng = random.Random(5)
    for _ in range(200):
        n = rng.randint(1, 9)
        net = np.zeros((n, n), dtype=np.int64)
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < 0.6:
                    net[i, j] = net[j, i] = rng.choice([-3, -2, -1, 1, 2, 3])
        moves = _LocalMoves(net, [rng.randrange(3) for _ in range(n)])
        for _ in range(3 * n):
            node = rng.randrange(n)
            expected = _brute_force_move(net.tolist(), list(moves.bloc), node)
            fresh = moves.next_bloc
            got = moves.best_move(node)
            assert got == (fresh if expected == -1 else expected)
            if got is not None:
                moves.move(node, got)
            member = np.zeros((n, moves.next_bloc), dtype=np.int64)
            member[np.arange(n), moves.bloc] = 1
            width = moves.next_bloc
            assert (moves.positive_in[:, :width] == np.maximum(net, 0) @ member).all()
            assert (moves.hostile_in[:, :width] == np.maximum(-net, 0) @ member).all()
