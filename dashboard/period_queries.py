"""The Compare page's query: two date ranges' signed pairs in one result. A pure builder like
`dashboard.queries`, on the same working-set connection; and `PeriodIndex`, which gives the
same frames (and the edge summary under a date range) from numpy arrays read once per store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from dashboard.analytics import sum_pairs
from dashboard.queries import SUMMARY_COLUMNS, Filters, Query, _aggregate
from dashboard.taxonomy import RELATION_POSITION


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


# -- the same pairs from memory ------------------------------------------------------------------

_EPOCH = dt.date(1970, 1, 1)


def day_number(date: dt.date | None, default: int) -> int:
    """Days since 1970-01-01 of `date` (the index's day column), or `default` for none."""
    return default if date is None else (date - _EPOCH).days


def narrow_codes(codes: np.ndarray) -> np.ndarray:
    """Small codes (publishers, annotators) in the smallest integer type that holds them: a
    comparison then reads a quarter of the bytes."""
    return codes.astype(np.min_scalar_type(int(codes.max(initial=0))))


def _among(codes: np.ndarray, wanted: list[int]) -> np.ndarray:
    """Which of `codes` are in `wanted`. A few wanted codes are compared one by one (0.1 ms
    per code on a million one-byte codes, where indexing a lookup table by them takes 2 ms);
    many go through the table."""
    if len(wanted) > 8:
        table = np.zeros(int(codes.max(initial=0)) + 1, dtype=bool)
        table[[c for c in wanted if c < len(table)]] = True
        return table[codes]
    found = np.zeros(len(codes), dtype=bool)
    for code in wanted:
        found |= codes == code
    return found


@dataclass(frozen=True, eq=False)
class Selection:
    """The edges of the edge summary under `filters`, by code in its order (heaviest first,
    then by code), and every edge's weight: what the summary, its signed pairs, its actors
    and its most connected actor are made of. A page that needs several of them selects
    once (`PeriodIndex.select`) and hands the selection to each, so the weights under row
    filters (2-3 ms on a million rows) are read once per filter state, not once each."""

    filters: Filters
    edges: np.ndarray
    weight: np.ndarray


class PeriodIndex:
    """What `period_pairs` reads, as numpy arrays sorted by date, so a period's edge weights
    are two slices and a count instead of a query.

    `period_pairs` spent 31-40 ms of DuckDB on a million edges (eleven small hash aggregates,
    whatever the date range), most of the Compare page's time after a filter change. An edge's
    weight over a date range is its `single` rows in the range, counted, plus the distinct
    articles of its other rows in the range (`working_set`); both tables are sorted by date,
    so a range is one slice of each: `np.bincount` counts the first, and the second marks
    its (edge, article) pairs in a boolean array and counts those. Publisher, annotator and
    confidence filters are one mask over the slice's rows. 5-14 ms instead of 29-42 for both
    periods, about 20 MB and 0.2 s to read for a million edges. The same weights give the edge
    summary under any row filter (`summary`: 3-15 ms, where `queries.edge_summary` took 24-30
    ms for a year or a publisher filter of a million edges). Tests compare both with their
    queries on the demo corpus under every kind of filter; `period_pairs` stays the
    definition they are held to."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        # Each row also carries what the row filters test: publisher code, annotator (its
        # position in `annotators`, 0 for none) and confidence (NaN for none, which no
        # minimum passes, as NULL passes none in SQL).
        self.annotators = [a for (a,) in con.execute(
            "SELECT DISTINCT ann FROM facts WHERE ann IS NOT NULL ORDER BY ann").fetchall()]
        self._publisher_code = dict(con.execute("SELECT publisher, code FROM pub_codes")
                                    .fetchall())
        row = ("CAST(date - DATE '1970-01-01' AS INTEGER) AS day, edge, pub, "
               "CAST(coalesce(list_position(CAST(? AS VARCHAR[]), ann), 0) AS INTEGER) AS ann, "
               "coalesce(conf, CAST('NaN' AS FLOAT)) AS conf")
        single = con.execute(f"SELECT {row} FROM facts WHERE single ORDER BY date, edge",  # noqa: S608
                             [self.annotators]).fetchnumpy()
        multi = con.execute(f"SELECT {row}, art FROM multi_facts ORDER BY date, edge, art",  # noqa: S608
                            [self.annotators]).fetchnumpy()
        edges = con.execute("""
            SELECT e.edge, e.src, e.tgt, enum_code(e.rel) AS rel,
                   ri.stance = 'cooperative' AS cooperative
            FROM edge_codes e JOIN relation_info ri ON ri.rel = e.rel
            ORDER BY e.edge""").fetchnumpy()
        # The summary's other columns, one row per edge that has rows (`_row_of[edge]`).
        described = con.sql(
            f"SELECT edge, {', '.join(c for c in SUMMARY_COLUMNS if c != 'weight')} "  # noqa: S608
            "FROM whole_edges ORDER BY edge").to_arrow_table()
        self._edge_columns = described.drop_columns(["edge"])
        ends = (described.column(c).to_pylist() for c in ("source", "target", "relation"))
        self._edge_of = dict(zip(zip(*ends, strict=True), described.column("edge").to_pylist(),
                                 strict=True))
        self._actor_ids = np.array(
            ["", *(row[0] for row in con.execute("SELECT id FROM actor_codes ORDER BY code")
                   .fetchall())], dtype=object)  # codes are 1-based
        self._single_day, self._single_edge = single["day"], single["edge"]
        self._single_rows = narrow_codes(single["pub"]), narrow_codes(single["ann"]), single["conf"]
        # An article counts once per edge however many of its dated rows fall in the range:
        # each multi row carries the number of its (edge, article), so a range's distinct
        # pairs are the marks it sets in one boolean array.
        self._multi_day = multi["day"]
        self._multi_rows = narrow_codes(multi["pub"]), narrow_codes(multi["ann"]), multi["conf"]
        stride = int(multi["art"].max(initial=0)) + 1
        distinct, self._multi_pair = np.unique(
            multi["edge"].astype(np.int64) * stride + multi["art"], return_inverse=True)
        self._pair_edge = distinct // stride
        size = int(edges["edge"].max()) + 1 if len(edges["edge"]) else 1
        self._src = np.zeros(size, dtype=np.int64)
        self._tgt = np.zeros(size, dtype=np.int64)
        self._rel = np.zeros(size, dtype=np.int64)
        self._cooperative = np.zeros(size, dtype=bool)
        at = edges["edge"].astype(np.int64)
        self._src[at], self._tgt[at] = edges["src"], edges["tgt"]
        self._rel[at], self._cooperative[at] = edges["rel"], edges["cooperative"]
        self._row_of = np.full(size, -1, dtype=np.int64)
        self._row_of[described.column("edge").to_numpy()] = np.arange(described.num_rows)
        self._edges = size
        # Every row counts under filters of whole edges: one set of weights for all of them.
        self._whole_weight = self._weights((None, None), Filters())

    @staticmethod
    def answers_summary(f: Filters) -> bool:
        """Whether `summary` is the faster way to these filters' edge summary: when they filter
        rows (dates, publishers, annotators, confidence). Without, `queries.edge_summary` reads
        the precomputed `whole_edges` as fast."""
        return bool(f.date_from or f.date_to or f.publishers or f.annotators
                    or f.min_confidence > 0)

    def select(self, f: Filters) -> Selection:
        """The summary's edges under `f` and every edge's weight (see `Selection`)."""
        weight = self.weights(f)
        keep = np.flatnonzero(self.chosen(f) & (weight >= f.min_weight) & (weight > 0))
        keep = keep[np.lexsort((keep, -weight[keep]))]  # heaviest first, then by edge
        keep.flags.writeable = weight.flags.writeable = False  # shared between threads
        return Selection(f, keep, weight)

    def summary(self, f: Filters | Selection, involving: str | None = None) -> pd.DataFrame:
        """The frame `queries.edge_summary(f)` reads, row for row; with `involving`, only the
        rows with that actor at either end, as that frame filtered by the actor is (the Actor
        page's rows, without converting the other actors' tens of thousands)."""
        chosen = self._selected(f)
        keep, weight = chosen.edges, chosen.weight
        whole = len(keep)
        keep = self._around(keep, involving)
        table = self._edge_columns.take(self._row_of[keep])
        frame = table.to_pandas(date_as_object=False)
        frame.insert(SUMMARY_COLUMNS.index("weight"), "weight", weight[keep])
        if not whole:  # as `queries.run` reads a text column without a value
            frame = frame.astype({c: object for c in SUMMARY_COLUMNS
                                  if c not in ("directed", "weight")})
        return frame

    def actors(self, f: Filters | Selection) -> list[str]:
        """The actors at either end of the summary's rows, sorted by id
        (`layout.actor_ids` of `summary(f)`)."""
        keep = self._selected(f).edges
        codes = np.unique(np.concatenate([self._src[keep], self._tgt[keep]]))
        return self._actor_ids[codes].tolist()  # codes are numbered in id order

    def most_connected(self, f: Filters | Selection) -> str | None:
        """The actor of largest weighted degree in the summary, ties by id (the first of
        `layout.weighted_degree(summary(f))`), or None when the summary has no rows."""
        chosen = self._selected(f)
        keep, weight = chosen.edges, chosen.weight
        if not len(keep):
            return None
        size = len(self._actor_ids)
        degree = (np.bincount(self._src[keep], weights=weight[keep], minlength=size)
                  + np.bincount(self._tgt[keep], weights=weight[keep], minlength=size))
        return str(self._actor_ids[int(np.argmax(degree))])  # the first of the largest

    def _selected(self, f: Filters | Selection) -> Selection:
        return f if isinstance(f, Selection) else self.select(f)

    def top_edges(self, rows: pd.DataFrame) -> tuple[tuple[int, int], ...]:
        """(edge code, weight) of edge summary rows, as `queries.evidence(top=...)` takes
        them, so the strongest evidence of a summary's first rows need not weigh every edge
        again."""
        return tuple((self._edge_of[(source, target, relation)], weight)
                     for source, target, relation, weight in zip(
                         rows["source"].tolist(), rows["target"].tolist(),
                         rows["relation"].tolist(), rows["weight"].tolist(), strict=True))

    def pairs(self, f: Filters, first: tuple[dt.date, dt.date],
              second: tuple[dt.date, dt.date]) -> pd.DataFrame:
        """The frame `period_pairs(f, first, second)` reads, row for row."""
        chosen = self.chosen(f)
        both = pd.concat([self._period(number, dates, chosen, f)
                          for number, dates in ((1, first), (2, second))], ignore_index=True)
        if both.empty:  # as `queries.run` reads a text column without a value
            both = both.astype({"a": object, "b": object, "relations": object})
        return both

    def weights(self, f: Filters) -> np.ndarray:
        """Every edge's weight (distinct articles) under `f`'s dates and row filters, by edge
        code; its whole-edge filters are left to `chosen`."""
        return (self._weights((f.date_from, f.date_to), f) if self.answers_summary(f)
                else self._whole_weight)

    def signed_pairs(self, f: Filters | Selection) -> pd.DataFrame:
        """The frame `analytics.signed_weights` makes of `queries.edge_summary(f)`, row for
        row, from the edge codes: 1-4 ms where grouping the summary's actor names took 3-7 ms
        of every page that colours actors by bloc."""
        chosen = self._selected(f)
        pairs = self._signed(chosen.weight, chosen.edges)
        if pairs.empty:  # as `signed_weights` makes a frame without rows
            pairs = pairs.astype({"a": object, "b": object, "relations": object})
        return pairs

    def scoped(self, f: Filters, involving: str | None = None,
               pair: tuple[str, str] | None = None) -> np.ndarray:
        """The codes of the edges whose rows a timeline under `f` counts: chosen by its
        whole-edge filters, at its minimum weight, with `involving` at either end or between
        the `pair` (either way round), in code order. Its weights are read only for a
        minimum above 1: an edge without rows that pass adds nothing to a timeline."""
        keep = self.chosen(f)
        if f.min_weight > 1:
            keep &= self.weights(f) >= f.min_weight
        return self._around(np.flatnonzero(keep), involving, pair)

    def _around(self, keep: np.ndarray, involving: str | None = None,
                pair: tuple[str, str] | None = None) -> np.ndarray:
        """The edges of `keep` with `involving` at either end or between the `pair`."""
        if involving is not None:
            actor = self._code_of(involving)
            keep = keep[(self._src[keep] == actor) | (self._tgt[keep] == actor)]
        if pair is not None:
            a, b = (self._code_of(end) for end in pair)
            src, tgt = self._src[keep], self._tgt[keep]
            keep = keep[((src == a) & (tgt == b)) | ((src == b) & (tgt == a))]
        return keep

    def relation_codes(self, edges: np.ndarray) -> np.ndarray:
        """The relation type (its enum code) of each of these edge codes."""
        return self._rel[edges]

    def _code_of(self, actor: str) -> int:
        found = np.flatnonzero(self._actor_ids[1:] == actor)  # code 0 is no actor
        return int(found[0]) + 1 if len(found) else -1

    def edge_ends(self, edge: int) -> tuple[int, int, int]:
        """(source actor code, target actor code, relation's enum code) of an edge code."""
        return int(self._src[edge]), int(self._tgt[edge]), int(self._rel[edge])

    def chosen(self, f: Filters) -> np.ndarray:
        """Which edges the whole-edge filters keep (relation types and stances, actors)."""
        chosen = np.zeros(self._edges, dtype=bool)
        codes = [RELATION_POSITION[r] for r in f.effective_relations()]
        chosen[1:] = np.isin(self._rel[1:], codes)
        if f.actors:
            wanted = np.flatnonzero(np.isin(self._actor_ids, list(f.actors)))
            chosen &= np.isin(self._src, wanted) | np.isin(self._tgt, wanted)
        return chosen

    def passing(self, f: Filters, publisher: np.ndarray, annotator: np.ndarray,
                confidence: np.ndarray) -> np.ndarray | None:
        """Which of these rows pass the publisher, annotator and confidence filters (None when
        there are none), as `queries._where` tests them."""
        passing = None
        if f.publishers:
            passing = _among(publisher, [self._publisher_code[p] for p in f.publishers
                                         if p in self._publisher_code])
        if f.annotators:
            # Position 0 is no annotator, which no annotator filter lets through.
            chosen = _among(annotator, [i for i, a in enumerate(self.annotators, 1)
                                        if a in f.annotators])
            passing = chosen if passing is None else passing & chosen
        if f.min_confidence > 0:
            # Both sides FLOAT, as the query compares them: 0.7 as a FLOAT is below 0.7.
            confident = confidence >= np.float32(f.min_confidence)
            passing = confident if passing is None else passing & confident
        return passing

    def _weights(self, dates: tuple[dt.date | None, dt.date | None], f: Filters) -> np.ndarray:
        """Every edge's weight (distinct articles) over the dates, inclusive, counting the rows
        that pass `f`'s row filters; by edge code."""
        # Typed bounds: a Python int makes searchsorted convert the whole array first.
        lo = np.int32(day_number(dates[0], np.iinfo(np.int32).min))
        hi = np.int32(day_number(dates[1], np.iinfo(np.int32).max))
        days = self._single_day
        run = slice(np.searchsorted(days, lo, "left"), np.searchsorted(days, hi, "right"))
        edges = self._single_edge[run]
        passing = self.passing(f, *(column[run] for column in self._single_rows))
        # np.compress, not edges[passing]: a third of the time on a million rows.
        weight = np.bincount(edges if passing is None else np.compress(passing, edges),
                             minlength=self._edges).astype(np.int64)
        days = self._multi_day
        run = slice(np.searchsorted(days, lo, "left"), np.searchsorted(days, hi, "right"))
        pairs = self._multi_pair[run]
        passing = self.passing(f, *(column[run] for column in self._multi_rows))
        seen = np.zeros(len(self._pair_edge), dtype=bool)
        seen[pairs if passing is None else np.compress(passing, pairs)] = True
        return weight + np.bincount(self._pair_edge[seen], minlength=self._edges)

    def _period(self, number: int, dates: tuple[dt.date, dt.date], chosen: np.ndarray,
                f: Filters) -> pd.DataFrame:
        weight = self._weights(dates, f)
        pairs = self._signed(weight, np.flatnonzero(chosen & (weight >= f.min_weight)
                                                    & (weight > 0)))
        pairs.insert(0, "period", np.full(len(pairs), number, dtype=np.int32))
        return pairs

    def _signed(self, weight: np.ndarray, keep: np.ndarray) -> pd.DataFrame:
        """The signed pairs of the edges `keep` (codes, any order), self-ties left out."""
        keep = keep[self._src[keep] != self._tgt[keep]]
        src, tgt = self._src[keep], self._tgt[keep]
        keys, _, cooperative, hostile, relations = sum_pairs(
            np.minimum(src, tgt), np.maximum(src, tgt), weight[keep], self._cooperative[keep],
            np.left_shift(1, self._rel[keep]), len(self._actor_ids))
        net = cooperative - hostile
        return pd.DataFrame({
            "a": pd.array(self._actor_ids[keys // len(self._actor_ids)], dtype="str"),
            "b": pd.array(self._actor_ids[keys % len(self._actor_ids)], dtype="str"),
            "cooperative": cooperative, "hostile": hostile, "net": net,
            "sign": np.sign(net).astype(np.int64),
            "relations": pd.array(relations, dtype="str")})
