"""Evidence cards and timelines from memory: the Actor page's strongest evidence of its
heaviest edges, the Network page's newest evidence of a pair and the timelines of everyone,
an actor or a pair, without the evidence and timeline queries.

`queries.evidence` picks rows from `facts` (for the strongest, numbering the given edges' rows
with a window) and joins the picked rows' names, titles and sentences: 17-25 ms on a million
edges, much of it DuckDB planning and running six joins for 10-30 rows. `EvidenceIndex` holds
every row of `facts` by edge, in the order that window ranks them (most confident, newest, by
article, by row), so an edge's two strongest rows under the filters are the first two of its
slice that pass them, and a pair's newest rows are a partial sort of its edges' slices. The
cards' sentences are then read by row id in one list, and their names, titles and links come
from code tables read with the index: 6-14 ms for the same frame. The query stays the
definition: tests compare the two frames, dtypes and order included, under every kind of
filter.

Each row also carries its day and relation type in one number, so a timeline counts its
edges' slices per day in one pass and sums the days into periods: 1-9 ms where
`queries.timeline` took 8-20 (tested the same way).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.errors import FilterError
from dashboard.period_queries import PeriodIndex, day_number, narrow_codes
from dashboard.queries import Filters, check_frequency, row_texts
from dashboard.taxonomy import RELATION_POSITION, RELATIONS, RelationType
from dashboard.working_set import TEXT_COLUMNS, frame, run_arrow

_RELATIONS = list(RelationType)  # by enum code, as the working set's `rel_t` numbers them
# The names of `queries.evidence`'s columns, in its order.
_CARD_NAMES = ("date", "source", "target", "relation", "publisher", "title", "url",
                "evidence", "article_id", "source_id", "target_id", "confidence", "annotator",
                "evidence_start", "evidence_end", "cue_start", "cue_end", "source_start",
                "source_end", "target_start", "target_end", "stance", "directed")
_FIRST_DAY, _LAST_DAY = np.iinfo(np.int32).min, np.iinfo(np.int32).max


def _period_start(day: np.ndarray, freq: str) -> np.ndarray:
    """The first day of each day's week (Monday, as DuckDB's `date_trunc`), month, quarter or
    year, as days since 1970-01-01."""
    day = day.astype(np.int64)
    if freq == "week":
        return day - (day + 3) % 7  # 1970-01-01 was a Thursday
    if freq == "year":
        return day.astype("datetime64[D]").astype("datetime64[Y]").astype("datetime64[D]") \
            .astype(np.int64)
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if freq == "quarter":
        month -= month % 3  # months since January 1970: a quarter starts at a multiple of 3
    return month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


class EvidenceIndex:
    """Every row of `facts` ranked per edge as the strongest evidence ranks them, with what
    the row filters test (through `PeriodIndex.passing`, which reads the same codes), and
    the code tables of evidence cards: about 29 MB and 0.2 s to read for a million edges."""

    def __init__(self, con: duckdb.DuckDBPyConnection, periods: PeriodIndex) -> None:
        self._periods = periods
        # The window's own ORDER BY (`queries.evidence`) on the table's columns, so NULL
        # confidences sort as it sorts them (last), not as the NaN they become here (first);
        # annotators are positions in `periods.annotators`, as there.
        rows = con.execute("""
            SELECT f.edge, f.erow, f.art, CAST(f.date - DATE '1970-01-01' AS INTEGER) AS day,
                   f.pub,
                   CAST(coalesce(list_position(CAST(? AS VARCHAR[]), f.ann), 0) AS INTEGER)
                       AS annotator,
                   coalesce(f.conf, CAST('NaN' AS FLOAT)) AS confidence
            FROM facts f ORDER BY f.edge, f.conf DESC, f.date DESC, f.art, f.erow""",
                           [periods.annotators]).fetchnumpy()
        edges = rows["edge"]
        top = int(edges.max(initial=0)) + 1
        self._start = np.searchsorted(edges, np.arange(top + 1))  # edge e: rows start[e]:start[e+1]
        self._erow, self._art = narrow_codes(rows["erow"]), rows["art"]
        self._day, self._conf = rows["day"], rows["confidence"]
        self._pub, self._ann = narrow_codes(rows["pub"]), narrow_codes(rows["annotator"])
        # Each row's day (its position among the days that have rows) and relation type in
        # one number, so that a timeline counts its rows in one pass.
        self._days, day_of_row = np.unique(self._day, return_inverse=True)
        self._day_relation = (day_of_row.astype(np.int64) * len(_RELATIONS)
                              + periods.relation_codes(edges))
        # Card texts by code: actors and articles count from 1, publishers from 0.
        self._actors = con.execute("SELECT id, name FROM actor_codes ORDER BY code").fetchall()
        self._articles = con.sql(
            "SELECT id, title, url FROM art_codes ORDER BY code").to_arrow_table()
        self._publishers = [p for (p,) in con.execute(
            "SELECT publisher FROM pub_codes ORDER BY code").fetchall()]
        self._annotators = [None, *periods.annotators]

    def strongest(self, con: duckdb.DuckDBPyConnection, f: Filters,
                  top: tuple[tuple[int, int], ...], limit: int,
                  relation: str | None = None) -> pd.DataFrame:
        """The frame `queries.evidence(f, limit, strongest=True, top=top, relation=relation)`
        gives, row for row: two rows of each given edge (of `relation`, if named) that pass
        `f`, at most `limit`, the heaviest edges first. `con` reads the sentences."""
        picked = self._pick(f, top, limit, relation)
        return self._cards(con, [row for _, _, row in picked], [edge for _, edge, _ in picked],
                           [weight for weight, _, _ in picked])

    def newest(self, con: duckdb.DuckDBPyConnection, f: Filters, edges: Sequence[int],
               limit: int) -> pd.DataFrame:
        """The frame `queries.evidence(f, limit, pair=...)` gives, row for row, when `edges`
        are the codes of the pair's rows of the edge summary under `f` (the edges that pass
        its whole-edge filters and minimum weight): their newest rows that pass `f`."""
        chosen = self._periods.chosen(f)
        slices = [slice(self._start[e], self._start[e + 1]) for e in map(int, edges)
                  if 0 <= e < len(chosen) and chosen[e]]
        if not slices:
            return self._cards(con, [], [], None)
        rows = np.concatenate([np.arange(s.start, s.stop) for s in slices])
        rows = rows[self._passing(f, rows)]
        day = self._day[rows]
        if len(rows) > limit:  # only rows as new as the limit-th newest can make it
            rows = rows[day >= np.partition(day, len(day) - limit)[len(day) - limit]]
        edge = np.searchsorted(self._start, rows, "right") - 1
        # The query's `picked` order: newest, then article, the ends' codes and relation.
        ends = np.array([self._periods.edge_ends(int(e)) for e in edge]).reshape(-1, 3)
        order = np.lexsort((self._erow[rows], ends[:, 2], ends[:, 1], ends[:, 0],
                            self._art[rows], -self._day[rows].astype(np.int64)))
        first = order[:limit]
        return self._cards(con, rows[first].tolist(), edge[first].tolist(), None)

    def timeline(self, f: Filters, freq: str = "month", *, involving: str | None = None,
                 pair: tuple[str, str] | None = None) -> pd.DataFrame:
        """The frame `queries.timeline(f, freq, involving=..., pair=...)` gives, row for row:
        the events (rows) of the actor's or the pair's edges per period and relation type.
        Their rows are a few slices here, counted per day and relation type in one pass, and
        the days summed into periods: 1-5 ms for the busiest actor, where the query took
        9-20 ms on a million edges (planning, and under row filters a scan of `facts`)."""
        check_frequency(freq)
        edges = self._periods.scoped(f, involving, pair)
        lengths = self._start[edges + 1] - self._start[edges]
        rows = np.arange(int(lengths.sum())) + np.repeat(
            self._start[edges] - np.cumsum(lengths) + lengths, lengths)
        keys = self._day_relation[rows]
        if f.publishers or f.annotators or f.min_confidence > 0:
            keys = np.compress(self._periods.passing(
                f, self._pub[rows], self._ann[rows], self._conf[rows]), keys)
        counts = np.bincount(keys, minlength=len(self._days) * len(_RELATIONS)) \
            .reshape(len(self._days), len(_RELATIONS))
        # The date range is a range of days here, not a test of every row.
        days = slice(np.searchsorted(self._days, day_number(f.date_from, _FIRST_DAY)),
                     np.searchsorted(self._days, day_number(f.date_to, _LAST_DAY), "right"))
        start = _period_start(self._days[days], freq)
        # The days are in order, so each period's days are one run.
        runs = np.flatnonzero(np.diff(start, prepend=start[:1] - 1))
        per_period = (np.add.reduceat(counts[days], runs, axis=0) if len(runs)
                      else np.zeros((0, len(_RELATIONS)), dtype=np.int64))
        period, relation = np.nonzero(per_period)  # by period, then relation: the query's order
        events = per_period[period, relation]
        names = [_RELATIONS[r] for r in relation.tolist()]
        text = "str" if len(names) else object  # as `queries.run` reads an empty column
        return pd.DataFrame({
            "period": start[runs][period].astype("datetime64[D]").astype("datetime64[us]"),
            "relation": pd.array([r.value for r in names], dtype=text),
            "stance": pd.array([RELATIONS[r].stance.value for r in names], dtype=text),
            "events": events.astype(np.int64)})

    def _passing(self, f: Filters, rows: np.ndarray) -> np.ndarray:
        """Which of these rows pass `f`'s row filters: the dates, and what
        `PeriodIndex.passing` tests."""
        day = self._day[rows]
        passing = ((day >= day_number(f.date_from, _FIRST_DAY))
                   & (day <= day_number(f.date_to, _LAST_DAY)))
        more = self._periods.passing(f, self._pub[rows], self._ann[rows], self._conf[rows])
        return passing if more is None else passing & more

    def _cards(self, con: duckdb.DuckDBPyConnection, rows: list[int], edges: list[int],
               weights: list[int] | None) -> pd.DataFrame:
        """The evidence cards of these rows (of these edges), in the query's final order: the
        heaviest edge (when there are `weights`), newest, then by article, ends and
        relation."""
        texts, text_types = run_arrow(con, row_texts([self._erow[i] for i in rows]))
        at = {erow: n for n, erow in enumerate(texts["erow"].to_pylist())}
        text = texts.take(pa.array([at[int(self._erow[i])] for i in rows], pa.int64()))
        articles = self._articles.take(pa.array([int(self._art[i]) - 1 for i in rows],
                                                pa.int64()))
        ends = [self._periods.edge_ends(edge) for edge in edges]
        sources = [self._actors[src - 1] for src, _, _ in ends]
        targets = [self._actors[tgt - 1] for _, tgt, _ in ends]
        relations = [_RELATIONS[rel] for _, _, rel in ends]
        kinds = dict(zip(texts.column_names, text_types, strict=True))
        columns = {  # name: (values, the DuckDB type the query gives it)
            "date": (pa.array([int(self._day[i]) for i in rows], pa.int32())
                     .cast(pa.date32()), "DATE"),
            "source": (pa.array([name for _, name in sources], pa.string()), "VARCHAR"),
            "target": (pa.array([name for _, name in targets], pa.string()), "VARCHAR"),
            "relation": (pa.array([r.value for r in relations], pa.string()), "VARCHAR"),
            "publisher": (pa.array([self._publishers[self._pub[i]] for i in rows],
                                   pa.string()), "VARCHAR"),
            "title": (articles["title"], "VARCHAR"),
            "url": (articles["url"], "VARCHAR"),
            "evidence": (text["evidence"], kinds["evidence"]),
            "article_id": (articles["id"], "VARCHAR"),
            "source_id": (pa.array([id_ for id_, _ in sources], pa.string()), "VARCHAR"),
            "target_id": (pa.array([id_ for id_, _ in targets], pa.string()), "VARCHAR"),
            "confidence": (text["confidence"], kinds["confidence"]),
            "annotator": (pa.array([self._annotators[self._ann[i]] for i in rows],
                                   pa.string()), "VARCHAR"),
            **{name: (text[name], kinds[name]) for name in TEXT_COLUMNS
               if name not in ("evidence", "confidence")},
            "stance": (pa.array([RELATIONS[r].stance.value for r in relations], pa.string()),
                       "VARCHAR"),
            "directed": (pa.array([not RELATIONS[r].symmetric for r in relations],
                                  pa.bool_()), "BOOLEAN"),
        }
        cards = frame(pa.table({name: columns[name][0] for name in _CARD_NAMES}),
                      [columns[name][1] for name in _CARD_NAMES])
        article_ids = articles["id"].to_pylist()
        order = sorted(range(len(rows)), key=lambda n: (
            -weights[n] if weights else 0, -int(self._day[rows[n]]),
            article_ids[n], sources[n][0], targets[n][0], relations[n].value))
        return cards.take(order).reset_index(drop=True)

    def _pick(self, f: Filters, top, limit: int,
              relation: str | None) -> list[tuple[int, int, int]]:
        """(edge weight, edge, row) of the picked rows, as the query's `picked`: each given edge's
        first two rows that pass, ordered by weight, then newest first, then by row id."""
        if relation is not None and relation not in RELATION_POSITION:
            raise FilterError(f"unknown relation type {relation!r}")
        wanted = None if relation is None else RELATION_POSITION[relation]
        chosen = self._periods.chosen(f)
        picked = []
        for edge, weight in list(top)[:limit]:
            edge = int(edge)
            if not 0 <= edge < len(chosen) or not chosen[edge] or (wanted is not None
                                    and self._periods.edge_ends(edge)[2] != wanted):
                continue
            rows = np.arange(self._start[edge], self._start[edge + 1])
            picked.extend((int(weight), edge, int(row))
                          for row in rows[self._passing(f, rows)][:2])
        picked.sort(key=lambda p: (-p[0], -int(self._day[p[2]]), int(self._erow[p[2]])))
        return picked[:limit]
