"""Server-side layout and graph trimming, on small hand-built edge frames with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.layout import neighbourhood, positions, top_actors, weighted_degree

SCALE = 1000.0


def frame(rows: list[tuple]) -> pd.DataFrame:
    """(source, target, weight) rows; the relation does not matter to the layout."""
    return pd.DataFrame([(s, t, "support", w) for s, t, w in rows],
                        columns=["source", "target", "relation", "weight"])


def dist(p, q) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


CHAIN = frame([("A", "B", 1), ("B", "C", 1), ("C", "D", 1)])
TWO_CAMPS = frame([("A", "B", 3), ("B", "C", 2), ("A", "C", 1), ("C", "D", 1),
                   ("X", "Y", 2), ("Y", "Z", 1), ("P", "Q", 1)])


def test_every_actor_gets_a_position_within_bounds():
    placed = positions(TWO_CAMPS)
    assert set(placed) == set("ABCDXYZPQ")
    coords = np.array(list(placed.values()))
    assert np.abs(coords).max() == pytest.approx(SCALE)
    assert len({tuple(np.round(c, 6)) for c in coords}) == len(coords), "two actors overlap"


def test_empty_edges_give_no_positions():
    assert positions(frame([]).iloc[0:0]) == {}


@pytest.mark.parametrize("seed", [7, 11])
def test_layout_is_deterministic_whatever_the_row_order(seed):
    shuffled = TWO_CAMPS.sample(frac=1, random_state=3).reset_index(drop=True)
    reversed_pairs = TWO_CAMPS.rename(columns={"source": "target", "target": "source"})
    first = positions(TWO_CAMPS, seed=seed)
    assert positions(shuffled, seed=seed) == first
    assert positions(reversed_pairs, seed=seed) == first
    assert positions(TWO_CAMPS, seed=seed) == first


def test_different_seeds_give_different_pictures():
    assert positions(TWO_CAMPS, seed=1) != positions(TWO_CAMPS, seed=2)


@pytest.mark.parametrize("added", [
    [("D", "E", 2)],  # a newcomer tied to an actor on screen
    [("E", "F", 1)],  # a whole new component
    [("D", "E", 1), ("E", "F", 1), ("G", "H", 1)],
])
def test_previous_positions_are_kept_exactly_when_actors_are_added(added):
    before = positions(CHAIN)
    after = positions(pd.concat([CHAIN, frame(added)], ignore_index=True), before)
    for actor, xy in before.items():
        assert after[actor] == xy
    new = set(after) - set(before)
    assert new == {a for s, t, _ in added for a in (s, t)} - set(before)
    for actor in new:
        assert all(abs(c) < 1.5 * SCALE for c in after[actor]), (actor, after[actor])
        assert min(dist(after[actor], xy) for xy in before.values()) > 1, "newcomer on top"


def test_previous_positions_are_kept_when_actors_are_removed():
    before = positions(TWO_CAMPS)
    smaller = TWO_CAMPS[~TWO_CAMPS["source"].isin(["X", "Y", "P"])]
    after = positions(smaller, before)
    assert set(after) == set("ABCD")
    assert after == {a: before[a] for a in "ABCD"}


def test_previous_actors_that_are_gone_do_not_count():
    stale = {"ZZ": (5.0, 5.0)}
    assert positions(CHAIN, stale) == positions(CHAIN)


def test_a_newcomer_is_placed_near_its_neighbour():
    ring = frame([(f"N{i}", f"N{(i + 1) % 12}", 1) for i in range(12)])
    before = positions(ring)
    after = positions(pd.concat([ring, frame([("N3", "NEW", 4)])], ignore_index=True), before)
    to_anchor = dist(after["NEW"], before["N3"])
    others = sorted(dist(after["NEW"], xy) for a, xy in before.items() if a != "N3")
    assert to_anchor < others[len(others) // 2], "newcomer is far from the actor it is tied to"
    assert to_anchor < dist(before["N0"], before["N6"])


def test_disconnected_components_stay_close():
    many = frame([("HUB", f"S{i}", 1) for i in range(20)]
                 + [(f"L{i}", f"R{i}", 1) for i in range(6)] + [("SOLO", "SOLO2", 1)])
    placed = positions(many)
    coords = np.array(list(placed.values()))
    assert np.abs(coords).max() <= SCALE + 1e-6
    # Packed, not flung apart: the pairs sit about as far from the hub as its own spokes.
    spokes = max(dist(placed["HUB"], placed[f"S{i}"]) for i in range(20))
    for i in range(6):
        assert dist(placed["HUB"], placed[f"L{i}"]) < 4 * spokes


def test_positions_place_every_actor_of_a_thousand_relations():
    rng = np.random.default_rng(0)
    ids = np.array([f"A{i:03d}" for i in range(150)])
    s, t = rng.choice(ids, 1200), rng.choice(ids, 1200)
    keep = s != t
    edges = pd.DataFrame({"source": s[keep][:1000], "target": t[keep][:1000],
                          "relation": "support", "weight": rng.integers(1, 9, 1000)})
    placed = positions(edges)
    assert set(placed) == set(edges["source"]) | set(edges["target"])
    assert all(np.isfinite(xy).all() for xy in placed.values())
    assert len(set(placed.values())) == len(placed)  # nobody on top of another


@pytest.mark.parametrize(("focus", "steps", "pairs"), [
    ("B", 1, {("A", "B"), ("B", "C")}),
    ("B", 2, {("A", "B"), ("B", "C"), ("C", "D")}),
    ("A", 1, {("A", "B")}),
    ("A", 2, {("A", "B"), ("B", "C")}),
    ("A", 3, {("A", "B"), ("B", "C"), ("C", "D")}),
    ("Q", 1, set()),
])
def test_neighbourhood_on_a_chain(focus, steps, pairs):
    got = neighbourhood(CHAIN, focus, steps)
    assert set(zip(got["source"], got["target"], strict=True)) == pairs


def test_neighbourhood_includes_ties_between_partners_and_follows_both_directions():
    edges = frame([("A", "F", 1), ("B", "F", 1), ("A", "B", 1), ("B", "C", 1)])
    got = neighbourhood(edges, "F", 1)
    assert set(zip(got["source"], got["target"], strict=True)) == {
        ("A", "F"), ("B", "F"), ("A", "B")}


def test_neighbourhood_rejects_zero_steps():
    with pytest.raises(ValueError):
        neighbourhood(CHAIN, "A", 0)


def test_weighted_degree_sums_both_ends_and_breaks_ties_by_id():
    degree = weighted_degree(frame([("A", "B", 2), ("C", "B", 1), ("D", "C", 2)]))
    assert list(degree.index) == ["B", "C", "A", "D"]
    assert list(degree) == [3, 3, 2, 2]


@pytest.mark.parametrize(("budget", "kept_actors", "pairs"), [
    (2, 2, {("C", "B")}),
    (3, 3, {("A", "B"), ("C", "B")}),
    (4, 4, {("A", "B"), ("C", "B"), ("D", "C")}),
    (10, 4, {("A", "B"), ("C", "B"), ("D", "C")}),
    (0, 0, set()),
])
def test_top_actors_budget(budget, kept_actors, pairs):
    edges = frame([("A", "B", 2), ("C", "B", 1), ("D", "C", 2)])
    rows, kept, total = top_actors(edges, budget)
    assert (kept, total) == (kept_actors, 4)
    assert set(zip(rows["source"], rows["target"], strict=True)) == pairs


def test_trimming_100k_rows_keeps_the_heaviest_actors_and_the_neighbourhood():
    rng = np.random.default_rng(1)
    ids = np.array([f"A{i:04d}" for i in range(3000)])
    edges = pd.DataFrame({"source": rng.choice(ids, 100_000), "target": rng.choice(ids, 100_000),
                          "relation": "support", "weight": rng.integers(1, 9, 100_000)})
    rows, kept, total = top_actors(edges, 150)
    drawn = set(rows["source"]) | set(rows["target"])
    assert kept == 150 and total == len(set(edges["source"]) | set(edges["target"]))
    assert drawn <= set(weighted_degree(edges).index[:150])
    near = neighbourhood(edges, "A0001", 2)
    ends = edges[["source", "target"]]
    step1 = {"A0001"} | set(ends[ends.isin({"A0001"}).any(axis=1)].stack())
    step2 = step1 | set(ends[ends.isin(step1).any(axis=1)].stack())
    inside = ends[ends.isin(step2).all(axis=1)]
    # Exactly the relations among actors at most two steps from the focus.
    assert len(near) == len(inside) and set(near.index) == set(inside.index)
