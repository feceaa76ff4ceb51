"""The Compare page's query (`dashboard.period_queries`) against the edge summaries of its two
periods, and its period index against the query, on the demo corpus."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import analytics, comparison, layout, palette, period_queries, queries
from dashboard.period_queries import PeriodIndex
from dashboard.queries import Filters

D = dt.date


@pytest.mark.parametrize("f", [Filters(), Filters(relations=("alliance", "condemnation")),
                               Filters(min_weight=2, annotators=("human",)),
                               Filters(date_from=D(2024, 1, 1))],  # replaced by the periods
                         ids=["all", "relations", "min2-annotator", "own-dates"])
@pytest.mark.parametrize("first, second", [
    ((D(2022, 1, 1), D(2023, 7, 19)), (D(2023, 7, 19), D(2025, 4, 30))),
    ((D(2023, 3, 15), D(2024, 6, 10)), (D(2024, 2, 5), D(2024, 2, 25))),  # overlapping
    ((D(2030, 1, 1), D(2030, 12, 31)), (D(2022, 1, 1), D(2025, 12, 31))),  # one empty
])
def test_period_pairs_are_the_signed_pairs_of_the_two_summaries(demo_store, f, first, second):
    con = queries.connect(demo_store)
    try:
        sql, params = period_queries.period_pairs(f, first, second)
        assert sql.count("?") == len(params)
        pairs = period_queries.split_periods(queries.run(con, (sql, params)))
        summaries = [queries.run(con, queries.edge_summary(f.replace(date_from=lo, date_to=hi)))
                     for lo, hi in (first, second)]
    finally:
        con.close()
    for got, summary in zip(pairs, summaries, strict=True):
        expected = analytics.signed_weights(summary)
        # An empty result has no rows to tell text from objects by: only its columns count.
        pd.testing.assert_frame_equal(got, expected, check_dtype=not expected.empty,
                                      check_index_type=not expected.empty)
    assert not pairs[1].empty or f.min_weight > 1
    assert pairs[1]["relations"].str.contains(", ").any() or f.relations or f.min_weight > 1
    # The Compare page diffs the pairs; exports diff the summaries: the same table.
    pd.testing.assert_frame_equal(comparison.pair_diff(*pairs),
                                  comparison.period_diff(*summaries))


def test_split_periods_cuts_at_the_second_period():
    both = pd.DataFrame({"period": [1, 1, 2], "a": ["A", "B", "C"]})
    first, second = period_queries.split_periods(both)
    assert first["a"].tolist() == ["A", "B"] and second["a"].tolist() == ["C"]
    assert "period" not in first.columns
    none, only = period_queries.split_periods(both[both["period"] == 2])
    assert none.empty and only["a"].tolist() == ["C"]


# -- the period index gives the query's frame ---------------------------------------------------

@pytest.fixture(scope="module")
def indexed(demo_store, tmp_path_factory):
    """The working set and the period index of a copy of the demo corpus whose rows vary in
    annotator (two, or none) and confidence (twenty steps, or none): the demo's own rows are
    all by one annotator, at five confidences."""
    import shutil

    import duckdb
    copy = tmp_path_factory.mktemp("varied") / "varied.duckdb"
    shutil.copy(demo_store, copy)
    with duckdb.connect(str(copy)) as db:
        db.execute("""UPDATE edges SET
            annotator = CASE WHEN rowid % 3 = 0 THEN 'auto' WHEN rowid % 7 = 0 THEN NULL
                             ELSE annotator END,
            confidence = CASE WHEN rowid % 11 = 0 THEN NULL ELSE (rowid % 20) / 20 END""")
    con = queries.connect(copy)
    yield con, period_queries.PeriodIndex(con)
    con.close()


def row_filters(con) -> list[Filters]:
    """Publisher, annotator and confidence filters of every kind, for this store."""
    publishers = tuple(queries.run(con, queries.publisher_list())["publisher"])
    return [Filters(publishers=publishers[:1]), Filters(publishers=publishers[1:4]),
            Filters(publishers=("Nobody's Gazette",)), Filters(annotators=("auto",)),
            Filters(annotators=("human", "auto")), Filters(min_confidence=0.35),
            Filters(min_confidence=0.7),  # a stored value: 0.7 as a FLOAT passes itself
            Filters(publishers=publishers[:3], annotators=("human",), min_confidence=0.5,
                    stances=("hostile",))]


@pytest.mark.parametrize("f", [
    Filters(), Filters(relations=("alliance", "condemnation")), Filters(min_weight=2),
    Filters(stances=("hostile",)), Filters(actors=("USA", "PRK")),
    Filters(min_weight=40),
    Filters(date_from=D(2024, 1, 1))], ids=["all", "relations", "min2", "hostile", "actors",
                                            "nothing-heavy-enough", "own-dates"])
@pytest.mark.parametrize("first, second", [
    ((D(2022, 1, 1), D(2023, 7, 19)), (D(2023, 7, 19), D(2025, 4, 30))),
    ((D(2023, 3, 15), D(2024, 6, 10)), (D(2024, 2, 5), D(2024, 2, 25))),  # overlapping
    ((D(2030, 1, 1), D(2030, 12, 31)), (D(2022, 1, 1), D(2025, 12, 31))),  # one empty
    ((None, D(2023, 1, 31)), (D(2023, 2, 1), None)),  # open ends
])
def test_the_period_index_gives_the_frame_of_the_query(indexed, f, first, second):
    con, index = indexed
    expected = queries.run(con, period_queries.period_pairs(f, first, second))
    pd.testing.assert_frame_equal(index.pairs(f, first, second), expected)


def random_rows(rng, con, f: Filters) -> Filters:
    """`f` with, at random, a publisher, annotator or confidence filter, or none."""
    publishers = queries.run(con, queries.publisher_list())["publisher"].tolist()
    return f.replace(
        publishers=tuple(rng.sample(publishers, rng.randint(1, 4))) if rng.random() < 0.3
        else (),
        annotators=(rng.choice(["auto", "human"]),) if rng.random() < 0.2 else (),
        min_confidence=rng.choice([0.05, 0.35, 0.5, 0.7, 0.95]) if rng.random() < 0.3 else 0.0)


def test_the_period_index_agrees_with_the_query_on_random_periods(indexed):
    # Random date ranges cut through the rows that one article states on several dates, which
    # the index counts once per edge as the query does.
    import random

    con, index = indexed
    rng = random.Random(4)
    actors = con.execute("SELECT id FROM actor_codes").df()["id"].tolist()
    relations = list(palette.LEGEND_ORDER)
    days = (D(2025, 4, 30) - D(2022, 1, 1)).days
    checked = 0
    for _ in range(150):
        d = sorted(D(2022, 1, 1) + dt.timedelta(days=rng.randrange(days)) for _ in range(4))
        f = random_rows(rng, con, Filters(
            relations=tuple(rng.sample(relations, rng.randint(1, 7))),
            actors=tuple(rng.sample(actors, 2)) if rng.random() < 0.3 else (),
            min_weight=rng.choice([1, 1, 2, 3])))
        expected = queries.run(con, period_queries.period_pairs(f, d[:2], d[2:]))
        pd.testing.assert_frame_equal(index.pairs(f, d[:2], d[2:]), expected)
        checked += len(expected)
    assert checked > 1000


def test_the_period_index_counts_only_the_rows_that_pass_the_row_filters(indexed):
    con, index = indexed
    periods = ((D(2022, 1, 1), D(2023, 7, 19)), (D(2023, 7, 19), D(2025, 4, 30)))
    for f in row_filters(con):
        expected = queries.run(con, period_queries.period_pairs(f, *periods))
        pd.testing.assert_frame_equal(index.pairs(f, *periods), expected)
        assert PeriodIndex.answers_summary(f)
        expected = queries.run(con, queries.edge_summary(f))
        pd.testing.assert_frame_equal(index.summary(f), expected)
        unfiltered = queries.run(con, queries.edge_summary(Filters(stances=f.stances)))
        # Each filter removes rows, so weights drop: a test that could not tell would pass.
        assert expected["weight"].sum() < unfiltered["weight"].sum()


@pytest.mark.parametrize("f", [
    Filters(date_from=D(2023, 1, 1)), Filters(date_to=D(2023, 6, 30)),
    Filters(date_from=D(2023, 3, 15), date_to=D(2024, 2, 10), relations=("alliance", "attack")),
    Filters(date_from=D(2022, 6, 1), stances=("cooperative",), min_weight=2),
    Filters(date_from=D(2022, 6, 1), actors=("USA",)),
    Filters(date_from=D(2030, 1, 1)),  # nothing that late
], ids=["from", "to", "range-relations", "cooperative-min2", "actor", "empty"])
def test_the_period_index_gives_the_edge_summary_under_a_date_range(indexed, f):
    con, index = indexed
    assert PeriodIndex.answers_summary(f)
    expected = queries.run(con, queries.edge_summary(f))
    pd.testing.assert_frame_equal(index.summary(f), expected)


def test_the_period_index_agrees_with_the_summary_on_random_ranges(indexed):
    import random

    con, index = indexed
    rng = random.Random(5)
    days = (D(2025, 4, 30) - D(2022, 1, 1)).days
    checked = 0
    for _ in range(120):
        lo, hi = sorted(D(2022, 1, 1) + dt.timedelta(days=rng.randrange(days)) for _ in "ab")
        f = random_rows(rng, con, Filters(
            date_from=lo, date_to=hi, min_weight=rng.choice([1, 1, 2, 3]),
            relations=tuple(rng.sample(list(palette.LEGEND_ORDER), rng.randint(1, 7)))))
        expected = queries.run(con, queries.edge_summary(f))
        pd.testing.assert_frame_equal(index.summary(f), expected)
        checked += len(expected)
    assert checked > 1000


@pytest.mark.parametrize("f", [Filters(), Filters(relations=("alliance",)),
                               Filters(actors=("USA",), min_weight=2)])
def test_the_summary_of_whole_edges_is_left_to_the_query(indexed, f):
    # Without a row filter the query reads the precomputed `whole_edges`, as fast; the index
    # gives the same frame all the same.
    con, index = indexed
    assert not PeriodIndex.answers_summary(f)
    pd.testing.assert_frame_equal(index.summary(f), queries.run(con, queries.edge_summary(f)))


@pytest.mark.parametrize("f", [
    Filters(), Filters(relations=("alliance", "condemnation")), Filters(stances=("hostile",)),
    Filters(actors=("USA", "PRK"), min_weight=2), Filters(min_weight=40),
    Filters(date_from=D(2023, 3, 15), date_to=D(2024, 2, 10)),
    Filters(date_from=D(2030, 1, 1))],
    ids=["all", "relations", "hostile", "actors-min2", "nothing-heavy-enough", "range", "empty"])
def test_the_period_index_gives_the_signed_pairs_of_the_summary(indexed, f):
    con, index = indexed
    expected = analytics.signed_weights(queries.run(con, queries.edge_summary(f)))
    pd.testing.assert_frame_equal(index.signed_pairs(f), expected)


def test_the_signed_pairs_count_only_the_rows_that_pass_the_row_filters(indexed):
    import random

    con, index = indexed
    rng = random.Random(6)
    filters = [*row_filters(con), *(random_rows(rng, con, Filters(
        stances=rng.choice([(), ("hostile",), ("cooperative",)]),
        min_weight=rng.choice([1, 2, 3]))) for _ in range(40))]
    for f in filters:
        expected = analytics.signed_weights(queries.run(con, queries.edge_summary(f)))
        pd.testing.assert_frame_equal(index.signed_pairs(f), expected)
    narrowed = index.signed_pairs(Filters(min_confidence=0.7))
    whole = index.signed_pairs(Filters())
    assert narrowed["cooperative"].sum() + narrowed["hostile"].sum() \
        < whole["cooperative"].sum() + whole["hostile"].sum()


@pytest.mark.parametrize("f", [
    Filters(), Filters(stances=("hostile",), min_weight=2), Filters(actors=("PRK",)),
    Filters(date_from=D(2023, 3, 15), date_to=D(2024, 2, 10)),
    Filters(publishers=("Atlas Wire", "Harbour Post"), min_confidence=0.5),
    Filters(min_weight=40), Filters(date_from=D(2030, 1, 1))],
    ids=["all", "hostile-min2", "actor-filter", "range", "rows", "nothing-heavy-enough",
         "empty"])
def test_the_actor_pages_rows_from_the_period_index(indexed, f):
    """What the Actor page reads instead of the summary: its most connected actor, an
    actor's rows, and the actors that the blocs number, each as the summary gives them."""
    con, index = indexed
    summary = queries.run(con, queries.edge_summary(f))
    assert index.actors(f) == layout.actor_ids(summary)
    if summary.empty:
        assert index.most_connected(f) is None
        assert index.summary(f, involving="USA").empty
        return
    ranked = layout.weighted_degree(summary)
    assert index.most_connected(f) == ranked.index[0]
    for actor in [*ranked.index[:3], ranked.index[-1], "PRK", "ZZZ"]:
        mine = summary[(summary["source"] == actor) | (summary["target"] == actor)]
        pd.testing.assert_frame_equal(index.summary(f, involving=actor),
                                      mine.reset_index(drop=True))


def test_one_selection_serves_the_summary_pairs_and_actors(indexed):
    # The app selects once per filter state and hands the selection to each; the arrays are
    # shared by every session, so nothing may write to them.
    con, index = indexed
    f = Filters(publishers=("Atlas Wire", "Harbour Post", "Meridian Review"),
                min_confidence=0.3, min_weight=2)
    chosen = index.select(f)
    assert not chosen.edges.flags.writeable and not chosen.weight.flags.writeable
    summary = queries.run(con, queries.edge_summary(f))
    pd.testing.assert_frame_equal(index.summary(chosen), summary)
    pd.testing.assert_frame_equal(index.signed_pairs(chosen), analytics.signed_weights(summary))
    assert index.actors(chosen) == layout.actor_ids(summary)
    assert index.most_connected(chosen) == layout.weighted_degree(summary).index[0]
    assert len(chosen.edges) == len(summary) > 0


def test_the_most_connected_actor_breaks_ties_by_id(indexed):
    # Filters under which the two most connected actors are equally connected: the index
    # must name the one whose id sorts first, as the summary's ranking does.
    con, index = indexed
    actors = con.execute("SELECT id FROM actor_codes ORDER BY id").df()["id"].tolist()
    ties = 0
    for actor in actors:
        for relation in palette.LEGEND_ORDER:
            f = Filters(actors=(actor,), relations=(relation,))
            ranked = layout.weighted_degree(queries.run(con, queries.edge_summary(f)))
            if len(ranked) > 1 and ranked.iloc[0] == ranked.iloc[1]:
                ties += 1
                assert index.most_connected(f) == ranked.index[0] < ranked.index[1]
    assert ties > 5


@pytest.mark.parametrize("wanted", [[], [3], [0, 7, 2], list(range(0, 18, 2)),
                                    [*range(12), 400]],
                         ids=["none", "one", "three", "nine-by-table", "beyond-the-codes"])
@pytest.mark.parametrize("dtype", ["uint8", "int32"])
def test_the_row_filters_pick_the_wanted_codes(wanted, dtype):
    # A few codes are compared one by one, more than eight through a lookup table: both ways
    # must pick what np.isin picks, also for a wanted code no row has.
    import numpy as np
    codes = np.random.default_rng(3).integers(0, 20, 5000).astype(dtype)
    got = period_queries._among(codes, wanted)
    assert got.dtype == bool
    assert (got == np.isin(codes, wanted)).all()
