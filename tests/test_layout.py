"""Server-side layout and graph trimming, on small hand-built edge frames with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dashboard.layout import (
    LABEL_GAP,
    LINE_HEIGHT,
    arrange,
    neighbourhood,
    positions,
    reference,
    text_width,
    top_actors,
    weighted_degree,
)

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


def boxes(arranged) -> dict[str, tuple[float, float, float, float]]:
    """Each actor's node-and-label box (label under or over the node), from the arrangement."""
    out = {}
    for a, p in arranged.nodes.items():
        w = max(text_width(p.label, p.font) / 2, p.radius)
        h = p.radius + (LABEL_GAP + p.font * LINE_HEIGHT if p.label else 0)
        out[a] = ((p.x - w, p.y - h, p.x + w, p.y + p.radius) if p.above
                  else (p.x - w, p.y - p.radius, p.x + w, p.y + h))
    return out


def assert_readable(arranged) -> None:
    box = boxes(arranged)
    ids = sorted(box)
    for i, a in enumerate(ids):
        x0, y0, x1, y1 = box[a]
        assert x0 >= -0.5 and y0 >= -0.5, (a, box[a])
        assert x1 <= arranged.width + 0.5 and y1 <= arranged.height + 0.5, (a, box[a])
        for b in ids[i + 1:]:
            u = box[b]
            assert not (x0 < u[2] and u[0] < x1 and y0 < u[3] and u[1] < y1), (a, b)


def test_every_actor_gets_a_place_inside_the_frame_and_no_box_overlaps():
    arranged = arrange(TWO_CAMPS)
    assert set(arranged.nodes) == set("ABCDXYZPQ")
    assert_readable(arranged)
    xs = [p.x for p in arranged.nodes.values()]
    ys = [p.y for p in arranged.nodes.values()]
    # The drawing fills the frame.
    assert max(max(xs) - min(xs) + 40, 0) / arranged.width > 0.85 \
        or (max(ys) - min(ys) + 40) / arranged.height > 0.85


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


def test_hubs_get_bigger_nodes_and_names():
    star = frame([("HUB", f"S{i}", 3) for i in range(8)] + [("S1", "S2", 1)])
    arranged = arrange(star)
    hub, leaf = arranged.nodes["HUB"], arranged.nodes["S5"]
    assert hub.radius > leaf.radius and hub.font > leaf.font >= 14


def test_when_space_runs_out_the_best_connected_keep_full_names():
    # 250 actors with long names in the frame: not every name fits.
    rows = [(f"A{i:03d}", f"A{(i * 7 + 1) % 250:03d}", 1 + (i % 5 == 0) * 20)
            for i in range(250)]
    rows += [("A000", f"A{i:03d}", 30) for i in range(1, 40)]
    edges = frame(rows)
    names = {f"A{i:03d}": f"Democratic Republic of Somewhere {i}" for i in range(250)}
    arranged = arrange(edges, names)
    assert_readable(arranged)
    assert arranged.nodes["A000"].kind == "full"
    assert arranged.count("short") + arranged.count("none") > 0
    assert "full" in arranged.label_note() and "where space ran out" in arranged.label_note()
    # A shortened or unnamed actor has no more links than any actor that kept its name.
    degree = weighted_degree(edges)
    weakest_full = min(degree[a] for a, p in arranged.nodes.items() if p.kind == "full")
    strongest_cut = max(degree[a] for a, p in arranged.nodes.items() if p.kind == "none")
    assert strongest_cut <= weakest_full * 4


@pytest.mark.parametrize("name", [
    "N" * 200,                                   # a 200-character name
    # right-to-left
    "\u0627\u0644\u0645\u0645\u0644\u0643\u0629 \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\U0001f1fa\U0001f1e6 Ukraine \U0001f33b\U0001f33b\U0001f33b",  # emoji
])
def test_names_of_any_length_or_script_stay_inside_the_frame_without_overlap(name):
    names = {a: name for a in "ABCDXYZPQ"}
    arranged = arrange(TWO_CAMPS, names)
    assert_readable(arranged)
    for p in arranged.nodes.values():
        assert text_width(p.label, p.font) <= arranged.width * 0.25


def test_positions_place_every_actor_of_a_thousand_relations():
    rng = np.random.default_rng(0)
    ids = np.array([f"A{i:03d}" for i in range(150)])
    s, t = rng.choice(ids, 1200), rng.choice(ids, 1200)
    keep = s != t
    edges = pd.DataFrame({"source": s[keep][:1000], "target": t[keep][:1000],
                          "relation": "support", "weight": rng.integers(1, 9, 1000)})
    arranged = arrange(edges)
    assert set(arranged.nodes) == set(edges["source"]) | set(edges["target"])
    assert all(np.isfinite([p.x, p.y]).all() for p in arranged.nodes.values())
    assert_readable(arranged)  # nobody on top of another, nor on another's name


@pytest.mark.parametrize("rows", [[("A", "B", 1)], [("A", "A", 1)]])
def test_one_or_two_actors_give_a_centred_picture(rows):
    arranged = arrange(frame(rows))
    assert_readable(arranged)
    for p in arranged.nodes.values():
        assert 0 < p.x < arranged.width and 0 < p.y < arranged.height


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


def _lines_through_labels(arranged, edges, above: dict[str, bool]) -> int:
    """Lines passing through a label they do not end at (sampled along each line)."""
    crossed = 0
    pairs = {tuple(sorted(p)) for p in zip(edges["source"], edges["target"], strict=True)}
    for actor, p in arranged.nodes.items():
        if not p.label:
            continue
        w, h = text_width(p.label, p.font), p.font * LINE_HEIGHT
        near = p.radius + LABEL_GAP
        y0 = p.y - near - h if above[actor] else p.y + near
        for a, b in pairs:
            if actor in (a, b):
                continue
            pa, pb = arranged.nodes[a], arranged.nodes[b]
            for t in np.linspace(0.08, 0.92, 12):
                x, y = pa.x + (pb.x - pa.x) * t, pa.y + (pb.y - pa.y) * t
                if p.x - w / 2 < x < p.x + w / 2 and y0 < y < y0 + h:
                    crossed += 1
                    break
    return crossed


def test_labels_move_over_their_node_where_fewer_lines_cross_them_there():
    rng = np.random.default_rng(4)
    rows = [(f"N{a}", f"N{b}", int(w)) for a, b, w in
            zip(rng.integers(0, 40, 160), rng.integers(0, 40, 160), rng.integers(1, 6, 160),
                strict=True) if a != b]
    edges = frame(rows)
    arranged = arrange(edges, {f"N{i}": f"Actor number {i}" for i in range(40)})
    assert_readable(arranged)
    chosen = {a: p.above for a, p in arranged.nodes.items()}
    assert any(chosen.values())
    assert _lines_through_labels(arranged, edges, chosen) \
        < _lines_through_labels(arranged, edges, dict.fromkeys(chosen, False))


def _ring(n: int) -> pd.DataFrame:
    """A ring of n actors with a chord every third actor: enough structure for a map."""
    rows = [(f"A{i:02d}", f"A{(i + 1) % n:02d}", 1 + i % 3) for i in range(n)]
    rows += [(f"A{i:02d}", f"A{(i + n // 2) % n:02d}", 1) for i in range(0, n, 3)]
    return frame(rows)


def test_the_store_map_is_seeded_centred_and_capped():
    whole = _ring(30)
    first = reference(whole)
    assert first == reference(whole)
    assert set(first) == {f"A{i:02d}" for i in range(30)}
    pts = np.array(list(first.values()))
    assert np.allclose(pts.mean(axis=0), 0, atol=1e-5)
    assert np.isclose(np.sqrt((pts ** 2).sum(axis=1)).max(), 1, atol=1e-5)
    assert reference(whole.iloc[0:0]) == {}


def test_a_view_is_laid_out_from_the_map_and_still_readable():
    """A narrower view on the store's map keeps its actors near their places in the whole
    view, and the map changes nothing about overlap removal: no two boxes overlap."""
    whole = _ring(30)
    ref = reference(whole)
    full = arrange(whole, reference=ref)
    part = arrange(whole[whole["weight"] > 1], reference=ref)
    shared = sorted(set(full.nodes) & set(part.nodes))
    moves = [max(abs(full.nodes[a].x - part.nodes[a].x) / full.width,
                 abs(full.nodes[a].y - part.nodes[a].y) / full.height) for a in shared]
    assert len(shared) >= 15
    assert np.median(moves) < 0.15
    assert arrange(whole, reference=ref) == full  # the view and the map determine it
    assert_readable(part)


def test_an_actor_off_the_map_is_placed_too():
    """An actor the map leaves out (past `REFERENCE_ACTORS`) starts among its partners."""
    ref = reference(_ring(12))
    view = frame([("A00", "A01", 2), ("A01", "NEW", 1), ("A00", "NEW", 1)])
    placed = arrange(view, reference=ref)
    assert set(placed.nodes) == {"A00", "A01", "NEW"}
    assert placed == arrange(view, reference=ref)
    assert_readable(placed)
