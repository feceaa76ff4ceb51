"""Edge summaries written by hand for the analytics tests."""

from __future__ import annotations

import pandas as pd

from dashboard.taxonomy import is_symmetric, stance_of


def frame(rows: list[tuple[str, str, str, int]]) -> pd.DataFrame:
    """edge_summary-shaped rows from (source, target, relation, weight); symmetric relations
    are stored a < b as the store does."""
    out = []
    for s, t, rel, w in rows:
        if is_symmetric(rel):
            s, t = min(s, t), max(s, t)
        out.append((s, t, rel, stance_of(rel).value, not is_symmetric(rel), w))
    return pd.DataFrame(out, columns=["source", "target", "relation", "stance", "directed",
                                      "weight"])
