"""Positions stay put across filter changes: every network view is laid out from the store's
map (`layout.reference`), so narrowing the filters moves the actors that remain only a little.
Measured on the demo corpus between the default view and two narrower views."""

from __future__ import annotations

import pytest

from dashboard import layout
from dashboard.export import data as export_data
from dashboard.export import images
from dashboard.export.view import from_url

BASE = "http://localhost:8501/network"


@pytest.fixture(scope="module")
def labels(con):
    return export_data.labels_from_store(con)


def _places(con, labels, query: str) -> dict[str, tuple[float, float]]:
    """Each drawn actor's place as a share of the frame's width and height."""
    pic = images.view_picture(export_data.load(con, from_url(BASE + query, labels)))
    return {a: (n.x / pic.width, n.y / pic.height) for a, n in pic.nodes.items()}


def _moves(before: dict, after: dict) -> tuple[list[float], int]:
    """The larger of each shared actor's moves along x and y (shares of the frame), and how
    many shared actors stay in the same quarter of the frame."""
    shared = sorted(set(before) & set(after))
    moves = [max(abs(before[a][0] - after[a][0]), abs(before[a][1] - after[a][1]))
             for a in shared]
    same = sum((before[a][0] > 0.5) == (after[a][0] > 0.5)
               and (before[a][1] > 0.5) == (after[a][1] > 0.5) for a in shared)
    return moves, same


@pytest.mark.parametrize("query", ["?stance=hostile",
                                   "?rel=Condemnation&rel=Sanction"])
def test_actors_keep_their_place_when_the_filters_narrow(con, labels, query):
    """At least 90% of the actors both views draw move less than 15% of the frame (along
    either axis), and at least 80% stay in the same quarter of the frame. From the store's
    map, 98-100% of the 40-42 shared actors move less than 15% and 34-35 stay in their
    quarter (on the million-edge benchmark store, 98% and 49-50 of 57); from per-actor seed
    points alone (a layout redone per view, as before the map) it was 25-48% and 25-33, so
    the thresholds fail for that while leaving a margin for small changes to the overlap
    removal. Quarter counts are the weaker measure: an actor near the middle
    line changes quarter for a move of a few pixels."""
    before = _places(con, labels, "")
    after = _places(con, labels, query)
    moves, same = _moves(before, after)
    assert len(moves) >= 30, "the views share most of their actors"
    small = sum(m < 0.15 for m in moves)
    assert small >= 0.9 * len(moves), (small, len(moves))
    assert same >= 0.8 * len(moves), (same, len(moves))


def test_the_map_is_of_the_store_not_of_the_view(con):
    """One map per store: the same for every view and every call (seeded), with every actor
    of the store's best connected on it, inside the unit disc."""
    first = export_data.store_map(con)
    assert first == export_data.store_map(con)
    assert first and max(x * x + y * y for x, y in first.values()) <= 1 + 1e-5
    assert len(first) <= layout.REFERENCE_ACTORS
