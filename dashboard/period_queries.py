"""The Compare page's query: two date ranges' signed pairs in one result. A pure builder like
`dashboard.queries`, on the same working-set connection."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from dashboard.queries import Filters, Query, _aggregate


def period_pairs(f: Filters, first: tuple[dt.date, dt.date],
                 second: tuple[dt.date, dt.date]) -> Query:
    """What the Compare page compares: per period, the signed pairs of its edge summary, as
    `analytics.signed_weights` would make them (a < b, cooperative and hostile articles, net,
    sign, relation types in taxonomy order; self-ties dropped), `period` 1 then 2, each sorted
    by (a, b). Summing a few thousand pairs here spares converting and re-grouping the
    periods' tens of thousands of edge rows in pandas. `split_periods` cuts it in two."""
    one, one_params = _aggregate(f.replace(date_from=first[0], date_to=first[1]), name="one")
    two, two_params = _aggregate(f.replace(date_from=second[0], date_to=second[1]), name="two")
    sql = f"""
        WITH {one}, {two},
        periods AS (SELECT 1 AS period, edge, weight FROM one
                    UNION ALL SELECT 2, edge, weight FROM two),
        sums AS (
            SELECT p.period, least(x.src, x.tgt) AS lo, greatest(x.src, x.tgt) AS hi,
                   coalesce(sum(p.weight) FILTER (WHERE ri.stance = 'cooperative'), 0)
                       AS cooperative,
                   coalesce(sum(p.weight) FILTER (WHERE ri.stance <> 'cooperative'), 0)
                       AS hostile,
                   bit_or(1 << enum_code(x.rel)) AS mask
            FROM periods p JOIN edge_codes x ON x.edge = p.edge
            JOIN relation_info ri ON ri.rel = x.rel
            WHERE x.src <> x.tgt
            GROUP BY p.period, lo, hi)
        SELECT m.period, a.id AS a, b.id AS b, CAST(m.cooperative AS BIGINT) AS cooperative,
               CAST(m.hostile AS BIGINT) AS hostile,
               CAST(m.cooperative - m.hostile AS BIGINT) AS net,
               CAST(sign(m.cooperative - m.hostile) AS BIGINT) AS sign, l.relations
        FROM sums m JOIN actor_codes a ON a.code = m.lo JOIN actor_codes b ON b.code = m.hi
        JOIN relation_lists l ON l.mask = m.mask
        ORDER BY m.period, m.lo, m.hi"""  # noqa: S608
    return sql, [*one_params, *two_params]


def split_periods(both: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two periods' frames in a `period_pairs` result (slices, no copy)."""
    cut = int(np.searchsorted(both["period"].to_numpy(), 2))
    rows = both.drop(columns="period")
    return rows.iloc[:cut].reset_index(drop=True), rows.iloc[cut:].reset_index(drop=True)
