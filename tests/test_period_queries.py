"""The Compare page's query (`dashboard.period_queries`) against the edge summaries of its two
periods, on the demo corpus."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import analytics, comparison, period_queries, queries
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
