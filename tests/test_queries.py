"""Query builders: the SQL shape without a store, then the results on the fixture store."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from dashboard import queries
from dashboard.errors import FilterError
from dashboard.queries import Filters

D = dt.date
INJECTION = "USA') OR 1=1 --"


@pytest.fixture(scope="module")
def con(app_store):
    c = duckdb.connect(str(app_store), read_only=True)
    yield c
    c.close()


@pytest.mark.parametrize("kwargs, message", [
    ({"relations": ("friendship",)}, "unknown relation type 'friendship'"),
    ({"date_from": D(2024, 3, 1), "date_to": D(2024, 1, 1)}, "the date range is empty"),
    ({"min_weight": 0}, "at least 1"),
    ({"min_weight": True}, "at least 1"),
    ({"date_from": "2024-01-01"}, "must be a date"),
])
def test_invalid_filters_raise_filter_error(kwargs, message):
    with pytest.raises(FilterError, match=message):
        Filters(**kwargs)


def test_filters_are_hashable_and_normalise_lists():
    f = Filters(relations=["attack"], actors=["USA"])
    assert f.relations == ("attack",) and f.actors == ("USA",)
    assert hash(f) == hash(Filters(relations=("attack",), actors=("USA",)))


FILTER_CASES = [
    (Filters(), []),
    (Filters(date_from=D(2024, 1, 1)), [D(2024, 1, 1)]),
    (Filters(date_to=D(2024, 2, 1)), [D(2024, 2, 1)]),
    (Filters(relations=("attack", "threat")), ["attack", "threat"]),
    (Filters(actors=("USA",)), ["USA", "USA"]),
    (Filters(actors=(INJECTION,)), [INJECTION, INJECTION]),
    (Filters(D(2024, 1, 1), D(2024, 2, 1), ("sanction",), ("JPN", "PRK")),
     [D(2024, 1, 1), D(2024, 2, 1), "sanction", "JPN", "PRK", "JPN", "PRK"]),
]


@pytest.mark.parametrize("filters, where_params", FILTER_CASES)
@pytest.mark.parametrize("builder", ["edge_summary", "timeline", "evidence"])
def test_filter_values_travel_only_as_parameters(builder, filters, where_params):
    sql, params = getattr(queries, builder)(filters)
    assert sql.count("?") == len(params)
    for value in where_params:
        if isinstance(value, str):
            assert value not in sql
    assert "1=1" not in sql
    # the filtered queries repeat the WHERE parameters once per use, in order
    n = len(where_params)
    if builder == "edge_summary":
        assert params == [*where_params, filters.min_weight]
    elif builder == "timeline":
        assert params == [*where_params, filters.min_weight, "month", *where_params]
    else:
        assert params == [*where_params, filters.min_weight, *where_params, 200]
    assert len(params) == (n + 1 if builder == "edge_summary" else 2 * n + 2)


@pytest.mark.parametrize("builder", ["actors_in_edges", "date_bounds", "overview_counts",
                                     "publishers", "annotators", "relation_counts"])
def test_unfiltered_builders_take_no_parameters(builder):
    sql, params = getattr(queries, builder)()
    assert params == [] and "?" not in sql


@pytest.mark.parametrize("call", [lambda: queries.timeline(Filters(), "fortnight"),
                                  lambda: queries.evidence(Filters(), 0)])
def test_bad_period_or_limit_is_a_filter_error(call):
    with pytest.raises(FilterError):
        call()


# -- on the fixture store -----------------------------------------------------------------------


def test_edge_summary_weights_count_distinct_articles_and_publishers(con):
    df = queries.run(con, queries.edge_summary(Filters()))
    assert len(df) == 7
    top = df.iloc[0]
    assert (top.source, top.target, top.relation) == ("USA", "PRK", "condemnation")
    assert (top.weight, top.publishers, top.statements) == (2, 2, 2)
    assert (top.source_name, top.target_name) == ("United States", "North Korea")
    assert top.directed and top.stance == "hostile"
    alliance = df[df.relation == "alliance"].iloc[0]
    assert (alliance.source, alliance.target, bool(alliance.directed)) == ("KOR", "USA", False)


@pytest.mark.parametrize("filters, expected", [
    (Filters(), 7),
    (Filters(min_weight=2), 1),
    (Filters(relations=("condemnation",)), 2),
    (Filters(actors=("JPN",)), 1),
    (Filters(actors=("KOR",)), 3),  # source or target
    (Filters(date_from=D(2024, 2, 1)), 4),
    (Filters(date_to=D(2024, 1, 31)), 3),
    (Filters(date_from=D(2024, 2, 1), date_to=D(2024, 2, 28)), 2),
    (Filters(actors=(INJECTION,)), 0),
    (Filters(relations=("attack",)), 0),
])
def test_edge_summary_filters(con, filters, expected):
    assert len(queries.run(con, queries.edge_summary(filters))) == expected


def test_timeline_counts_events_per_month_and_honours_min_weight(con):
    df = queries.run(con, queries.timeline(Filters()))
    jan = df[df.period == "2024-01-01"].set_index("relation")["events"].to_dict()
    assert jan == {"condemnation": 2, "cooperation": 1, "sanction": 1}
    assert df["events"].sum() == 8
    strong = queries.run(con, queries.timeline(Filters(min_weight=2)))
    assert strong[["relation", "events"]].values.tolist() == [["condemnation", 2]]


def test_evidence_joins_titles_and_names_and_limits(con):
    df = queries.run(con, queries.evidence(Filters(relations=("condemnation",)), 10))
    assert len(df) == 3
    assert df["date"].is_monotonic_decreasing
    row = df[df.article_id == "fx-001"].iloc[0]
    assert row.title == "Washington condemns Pyongyang missile launch"
    assert row.source == "United States" and row.target == "North Korea"
    assert row.evidence.startswith("The United States condemned")
    assert row.url == "https://example.org/fx-001"
    assert len(queries.run(con, queries.evidence(Filters(), 2))) == 2
    # evidence follows the edges drawn: min_weight drops the single-article reports
    assert set(queries.run(con, queries.evidence(Filters(min_weight=2)))["article_id"]) == {
        "fx-001", "fx-002"}


def test_store_wide_summaries(con):
    actors = queries.run(con, queries.actors_in_edges())
    assert actors["id"].tolist() == ["JPN", "PRK", "RUS", "KOR", "USA"]  # by display name
    bounds = queries.run(con, queries.date_bounds()).iloc[0]
    assert (bounds.first_date.date(), bounds.last_date.date()) == (D(2024, 1, 15),
                                                                  D(2024, 3, 11))
    counts = queries.run(con, queries.overview_counts()).iloc[0]
    assert (counts.articles, counts.edge_rows, counts.edges, counts.actors,
            counts.publishers) == (4, 8, 7, 5, 3)
    assert queries.run(con, queries.publishers())["articles"].tolist() == [2, 1, 1]
    assert queries.run(con, queries.annotators())["annotator"].tolist() == ["human"]
    assert queries.run(con, queries.relation_counts())["edge_rows"].sum() == 8
