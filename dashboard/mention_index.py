"""The actor mentions that evidence cards mark, held in memory by article. No streamlit here.

A card marks its two actors where its article mentions them (`ui.evidence`). Asking DuckDB for
the mentions of a page's articles took 8-15 ms on a million edges, most of it planning the
query, and it sat on the Network page's critical path after every filter change, right after
the evidence query that names the articles. Here the mentions are three numpy arrays sorted by
article (article `i`'s mentions are rows `bounds[i]:bounds[i + 1]`), so the mentions of a page's
30 cards are a few slices: under 0.2 ms.

On the synthetic store of 1M edges that is 2.5M mentions in 24 MiB of arrays (37 MiB with the
id lookups), read in about half a second once per store file, like the working set. Only what
a card uses is kept: the offsets and the actor of each mention of an actor that takes part in
some edge (a card marks only its edge's two actors), without the surface text. The Articles
page, which shows every mention of one article with its surface, reads them with
`queries.mentions_in`.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import numpy as np

# `art_codes` numbers the articles 1..N and `actor_codes` the actors 1..K (see working_set).
_MENTIONS = """
    SELECT a.code AS art, m.start_offset, m.end_offset, ac.code AS actor
    FROM store.mentions m
    JOIN art_codes a ON a.id = m.article_id
    JOIN actor_codes ac ON ac.id = m.actor_id
    WHERE m.start_offset IS NOT NULL AND m.end_offset IS NOT NULL
    ORDER BY a.code, m.start_offset, m.end_offset, ac.id"""


class MentionIndex:
    """Every mention of an edge actor in the store's articles, by article id."""

    def __init__(self, article_ids: list[str], arts: np.ndarray, starts: np.ndarray,
                 ends: np.ndarray, actors: np.ndarray, actor_ids: list[str]) -> None:
        # Article code c (1-based, in the order of `article_ids`) owns rows bounds[c]:bounds[c+1].
        self._code = {article: code for code, article in enumerate(article_ids, start=1)}
        self._bounds = np.searchsorted(arts, np.arange(len(article_ids) + 2))
        self._starts = starts.astype(np.int32, copy=False)
        self._ends = ends.astype(np.int32, copy=False)
        self._actors = actors.astype(np.int16 if len(actor_ids) < 2**15 else np.int32,
                                     copy=False)
        self._actor_ids = ["", *actor_ids]  # codes are 1-based

    @classmethod
    def build(cls, con: duckdb.DuckDBPyConnection) -> MentionIndex:
        """The index of the store behind the working-set connection `con`
        (`queries.connect`)."""
        article_ids = [row[0] for row in con.execute(
            "SELECT id FROM art_codes ORDER BY code").fetchall()]
        actor_ids = [row[0] for row in con.execute(
            "SELECT id FROM actor_codes ORDER BY code").fetchall()]
        rows = con.execute(_MENTIONS).fetchnumpy()
        return cls(article_ids, rows["art"], rows["start_offset"], rows["end_offset"],
                   rows["actor"], actor_ids)

    def __len__(self) -> int:
        return len(self._starts)

    @property
    def nbytes(self) -> int:
        """The arrays' memory (the id lookups come on top: about 100 bytes an article)."""
        return sum(a.nbytes for a in (self._bounds, self._starts, self._ends, self._actors))

    def of(self, article_ids: Iterable[str]) -> dict[str, list[tuple[int, int, str]]]:
        """{article id: [(start, end, actor id), ...]} for each of `article_ids` that the store
        holds, ordered by (start, end) as `queries.mentions_in` orders them; an article without
        mentions maps to an empty list, an unknown id is left out."""
        found: dict[str, list[tuple[int, int, str]]] = {}
        names = self._actor_ids
        for article in article_ids:
            code = self._code.get(article)
            if code is None:
                continue
            lo, hi = int(self._bounds[code]), int(self._bounds[code + 1])
            found[article] = [(start, end, names[actor]) for start, end, actor in zip(
                self._starts[lo:hi].tolist(), self._ends[lo:hi].tolist(),
                self._actors[lo:hi].tolist(), strict=True)]
        return found
