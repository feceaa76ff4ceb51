"""The in-memory mention index gives evidence cards exactly the mentions the store holds."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.mention_index import MentionIndex
from dashboard.queries import Filters
from dashboard.ui import evidence


def _stored(con, ids) -> dict[str, list[tuple[int, int, str]]]:
    """What `queries.mentions_in` reads, as the index holds it: mentions of actors of some
    edge, with both offsets (a card cannot mark a mention without them)."""
    rows = queries.run(con, queries.mentions_in(ids))
    actors = set(con.execute("SELECT id FROM actor_codes").df()["id"])
    found: dict[str, list[tuple[int, int, str]]] = {}
    for article, start, end, actor in zip(rows["article_id"], rows["start_offset"],
                                          rows["end_offset"], rows["actor_id"], strict=True):
        if actor in actors and not (pd.isna(start) or pd.isna(end)):
            found.setdefault(article, []).append((int(start), int(end), actor))
    return found


@pytest.fixture(scope="module")
def demo(demo_store):
    con = queries.connect(demo_store)
    yield con, MentionIndex.build(con)
    con.close()


def test_every_article_has_the_mentions_the_store_holds(demo):
    con, index = demo
    ids = con.execute("SELECT id FROM store.articles ORDER BY id").df()["id"].tolist()
    expected = _stored(con, ids)
    got = index.of(ids)
    assert len(index) == sum(len(m) for m in expected.values()) > 500
    assert set(got) == set(ids)  # articles without mentions map to an empty list
    for article in ids:
        # mentions_in orders by (start, end) only; ties between actors may come either way.
        assert got[article] == sorted(got[article], key=lambda m: m[:2]), article
        assert sorted(got[article]) == sorted(expected.get(article, [])), article


def test_unknown_ids_are_left_out(demo):
    _, index = demo
    assert index.of(["not-an-article", "", "USA') OR 1=1 --"]) == {}
    assert index.of([]) == {}


def test_scattered_mentions_are_found_and_other_actors_left_out(scattered_store):
    # An article's mentions in several runs of row ids, and mentions of actors that take part
    # in no edge (which no card marks) or without an offset (which no card can mark).
    copy, first = scattered_store
    with duckdb.connect(str(copy)) as db:
        db.execute("INSERT INTO mentions VALUES (?, 5, 9, 'NOT-IN-ANY-EDGE', 'x')", [first])
        db.execute("INSERT INTO mentions VALUES (?, NULL, 9, 'USA', 'x')", [first])
    con = queries.connect(copy)
    try:
        got = MentionIndex.build(con).of([first])[first]
        expected = _stored(con, [first])[first]
    finally:
        con.close()
    assert max(start for start, _, _ in got) >= 100000
    assert all(actor != "NOT-IN-ANY-EDGE" for _, _, actor in got)
    assert sorted(got) == sorted(expected)


def test_cards_marked_from_the_index_equal_cards_marked_from_the_store(demo):
    con, index = demo
    rows = queries.run(con, queries.evidence(Filters(), 10_000))
    ids = sorted(set(rows["article_id"]))
    stored, indexed = _stored(con, ids), index.of(ids)
    assert len(rows) > 300
    for row in rows.itertuples(index=False):
        assert evidence.card_html(row, indexed[row.article_id]) == \
            evidence.card_html(row, stored.get(row.article_id, [])), row.article_id
