"""Evidence and timelines from memory (`dashboard.evidence_index`) against the queries they
stand in for, `queries.evidence` and `queries.timeline`: the same frame, dtypes and order
included, under every kind of filter, on the demo corpus and on copies whose rows lack what
cards may lack (annotator, confidence, the actors' offsets)."""

from __future__ import annotations

import datetime as dt
import random
import shutil

import duckdb
import pandas as pd
import pytest

from dashboard import queries
from dashboard.errors import FilterError
from dashboard.evidence_index import EvidenceIndex
from dashboard.period_queries import PeriodIndex
from dashboard.queries import Filters

D = dt.date

FILTERS = {
    "all": Filters(),
    "hostile-min2": Filters(stances=("hostile",), min_weight=2),
    "dates": Filters(date_from=D(2023, 3, 15), date_to=D(2024, 9, 30)),
    "publishers-confidence": Filters(publishers=("Atlas Wire", "Harbour Post", "Nobody"),
                                     min_confidence=0.7),
    "annotator": Filters(annotators=("auto",)),
    "confidence-stored": Filters(min_confidence=0.35),
    "relations-actors": Filters(relations=("alliance", "sanction", "condemnation"),
                                actors=("USA", "RUS")),
    "rows-and-dates": Filters(date_from=D(2022, 6, 1), publishers=("Meridian Review",),
                              annotators=("human", "auto"), min_confidence=0.2),
}


ACTORS = ["USA", "RUS", "UKR", "CHN", "PRK", "KOR", "JPN", "EU", "IRN", "ISR"]


def random_filters(rng: random.Random, publishers: list[str],
                   min_weights: tuple[int, ...] = (1,)) -> Filters:
    """Dates (either end open or not), publishers, an annotator, a confidence, a stance and a
    minimum weight, at random."""
    first = D(2022, 1, 1) + dt.timedelta(days=rng.randrange(900))
    return Filters(
        date_from=first if rng.random() < 0.5 else None,
        date_to=first + dt.timedelta(days=rng.randrange(1, 700)) if rng.random() < 0.5
        else None,
        publishers=tuple(rng.sample(publishers, rng.randint(1, 4)))
        if rng.random() < 0.4 else (),
        annotators=(rng.choice(["auto", "human"]),) if rng.random() < 0.3 else (),
        min_confidence=rng.choice([0.0, 0.0, 0.05, 0.5, 0.7, 0.95]),
        min_weight=rng.choice(min_weights),
        stances=rng.choice([(), (), (), ("hostile",), ("cooperative",)]))


def _copy(demo_store, tmp_path_factory, name: str, change: str):
    copy = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
    shutil.copy(demo_store, copy)
    with duckdb.connect(str(copy)) as db:
        db.execute(change)
    return copy


@pytest.fixture(scope="module")
def stores(demo_store, tmp_path_factory):
    """The demo store; a copy whose rows vary in annotator (two, or none), confidence (twenty
    steps, or none: a NULL sorts last in the query's ranking) and whether the source's
    offsets are known; and a copy with no annotator at all (a text column entirely NULL,
    which `queries.run` reads as objects)."""
    varied = _copy(demo_store, tmp_path_factory, "varied", """UPDATE edges SET
        annotator = CASE WHEN rowid % 3 = 0 THEN 'auto' WHEN rowid % 7 = 0 THEN NULL
                         ELSE annotator END,
        confidence = CASE WHEN rowid % 11 = 0 THEN NULL ELSE (rowid % 20) / 20 END,
        source_start = CASE WHEN rowid % 5 = 0 THEN NULL ELSE source_start END,
        source_end = CASE WHEN rowid % 5 = 0 THEN NULL ELSE source_end END""")
    anonymous = _copy(demo_store, tmp_path_factory, "anonymous",
                      "UPDATE edges SET annotator = NULL")
    opened = {}
    for name, path in (("demo", demo_store), ("varied", varied), ("anonymous", anonymous)):
        con = queries.connect(path)
        periods = PeriodIndex(con)
        opened[name] = con, periods, EvidenceIndex(con, periods)
    yield opened
    for con, _, _ in opened.values():
        con.close()


def heaviest(con, periods: PeriodIndex, f: Filters, actor: str, limit: int = 10):
    """What the Actor page hands in: the (edge, weight) of the actor's first summary rows."""
    summary = periods.summary(f) if PeriodIndex.answers_summary(f) else \
        queries.run(con, queries.edge_summary(f))
    mine = summary[(summary["source"] == actor) | (summary["target"] == actor)]
    return periods.top_edges(mine.head(limit))


@pytest.mark.parametrize("store", ["demo", "varied", "anonymous"])
@pytest.mark.parametrize("f", FILTERS.values(), ids=FILTERS.keys())
@pytest.mark.parametrize("actor, relation", [("USA", None), ("RUS", None), ("PRK", None),
                                             ("USA", "condemnation"), ("UKR", "support")])
def test_the_strongest_evidence_is_the_frame_of_the_query(stores, store, f, actor, relation):
    con, periods, index = stores[store]
    top = heaviest(con, periods, f, actor)
    expected = queries.run(con, queries.evidence(f, 10, involving=actor, relation=relation,
                                                 strongest=True, top=top))
    got = index.strongest(con, f, top, 10, relation)
    pd.testing.assert_frame_equal(got, expected)
    if store == "varied" and relation is None and actor != "PRK":
        assert not got.empty  # every filter leaves the busiest actors some evidence


def test_random_filters_and_handed_in_edges_agree_with_the_query(stores):
    # Random row filters, actors, limits and edges handed in, some in another order than the
    # summary's, some with other weights, one that the filters leave out.
    con, periods, index = stores["varied"]
    rng = random.Random(11)
    publishers = queries.run(con, queries.publisher_list())["publisher"].tolist()
    for _ in range(60):
        f = random_filters(rng, publishers)
        limit = rng.choice([1, 3, 10, 25])
        top = list(heaviest(con, periods, Filters(), rng.choice(ACTORS), limit))
        rng.shuffle(top)
        top = [(edge, weight + rng.choice([0, 0, 3])) for edge, weight in top]
        expected = queries.run(con, queries.evidence(f, limit, strongest=True, top=top))
        pd.testing.assert_frame_equal(index.strongest(con, f, tuple(top), limit), expected)


def test_edges_that_no_row_or_no_filter_lets_through_give_no_cards(stores):
    con, periods, index = stores["demo"]
    top = heaviest(con, periods, Filters(), "USA")
    nothing = Filters(date_from=D(2030, 1, 1))
    expected = queries.run(con, queries.evidence(nothing, 10, strongest=True, top=top))
    got = index.strongest(con, nothing, top, 10)
    assert got.empty
    pd.testing.assert_frame_equal(got, expected)
    assert index.strongest(con, Filters(), (), 10).empty
    # An edge code the store does not have is left out, as the query's join leaves it.
    assert index.strongest(con, Filters(), ((10**7, 5),), 10).empty


def test_an_unknown_relation_is_a_filter_error(stores):
    con, periods, index = stores["demo"]
    with pytest.raises(FilterError, match="unknown relation type"):
        index.strongest(con, Filters(), heaviest(con, periods, Filters(), "USA"), 10,
                        "friendship")


def pair_edges(con, periods: PeriodIndex, f: Filters, a: str, b: str) -> list[int]:
    """What the Network page hands in: the codes of the pair's rows of the summary."""
    summary = periods.summary(f) if PeriodIndex.answers_summary(f) else \
        queries.run(con, queries.edge_summary(f))
    rows = summary[((summary["source"] == a) & (summary["target"] == b))
                   | ((summary["source"] == b) & (summary["target"] == a))]
    return [edge for edge, _ in periods.top_edges(rows)]


@pytest.mark.parametrize("store", ["demo", "varied", "anonymous"])
@pytest.mark.parametrize("f", [*FILTERS.values(), Filters(min_weight=3)],
                         ids=[*FILTERS.keys(), "min3"])
@pytest.mark.parametrize("pair, limit", [(("RUS", "USA"), 30), (("USA", "PRK"), 30),
                                         (("UKR", "RUS"), 5), (("USA", "RUS"), 500)])
def test_a_pairs_newest_evidence_is_the_frame_of_the_query(stores, store, f, pair, limit):
    con, periods, index = stores[store]
    expected = queries.run(con, queries.evidence(f, limit, pair=pair))
    got = index.newest(con, f, pair_edges(con, periods, f, *pair), limit)
    pd.testing.assert_frame_equal(got, expected)
    if store == "varied" and set(pair) == {"RUS", "USA"} and f.min_weight < 3:
        assert not got.empty  # every filter leaves the busiest pair some evidence


def test_no_edges_give_no_cards(stores):
    con, _, index = stores["demo"]
    expected = queries.run(con, queries.evidence(Filters(date_from=D(2030, 1, 1)), 30,
                                                 pair=("RUS", "USA")))
    pd.testing.assert_frame_equal(index.newest(con, Filters(), [], 30), expected)


SCOPES = {"actor": {"involving": "USA"}, "pair": {"pair": ("RUS", "USA")},
          "everyone": {}, "unknown-actor": {"involving": "ZZZ"}}


@pytest.mark.parametrize("store", ["demo", "varied"])
@pytest.mark.parametrize("f", [*FILTERS.values(), Filters(min_weight=3),
                               Filters(date_from=D(2030, 1, 1))],
                         ids=[*FILTERS.keys(), "min3", "nothing-that-late"])
@pytest.mark.parametrize("freq", queries.FREQUENCIES)
@pytest.mark.parametrize("scope", SCOPES.values(), ids=SCOPES.keys())
def test_a_timeline_is_the_frame_of_the_query(stores, store, f, freq, scope):
    con, _, index = stores[store]
    expected = queries.run(con, queries.timeline(f, freq, **scope))
    got = index.timeline(f, freq, **scope)
    pd.testing.assert_frame_equal(got, expected)
    if store == "varied" and scope in (SCOPES["actor"], SCOPES["pair"]) \
            and f.date_from != D(2030, 1, 1):
        assert not got.empty  # every other filter leaves the busiest actor some events


def test_timelines_agree_with_the_query_on_random_filters(stores):
    # Random date ranges cut weeks, months and quarters in two; the minimum weight counts
    # the rows that pass the row filters.
    con, _, index = stores["varied"]
    rng = random.Random(12)
    publishers = queries.run(con, queries.publisher_list())["publisher"].tolist()
    events = 0
    for _ in range(80):
        f = random_filters(rng, publishers, min_weights=(1, 1, 2, 4))
        scope = rng.choice([{"involving": rng.choice(ACTORS)},
                            {"pair": tuple(rng.sample(ACTORS, 2))}, {}])
        freq = rng.choice(queries.FREQUENCIES)
        expected = queries.run(con, queries.timeline(f, freq, **scope))
        pd.testing.assert_frame_equal(index.timeline(f, freq, **scope), expected)
        events += int(expected["events"].sum())
    assert events > 1000


def test_an_unknown_period_is_a_filter_error(stores):
    _, _, index = stores["demo"]
    with pytest.raises(FilterError, match="unknown period"):
        index.timeline(Filters(), "fortnight", involving="USA")
