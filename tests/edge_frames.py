"""Edge summaries written by hand for the analytics, figure and browser tests."""

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


# Four relations between three actors: the figure tests' network, also drawn in Chromium.
SAMPLE = pd.DataFrame([
    ("USA", "PRK", "condemnation", "hostile", True, 3),
    ("KOR", "USA", "alliance", "cooperative", False, 2),
    ("KOR", "USA", "cooperation", "cooperative", False, 1),
    ("PRK", "KOR", "threat", "hostile", True, 1),
], columns=["source", "target", "relation", "stance", "directed", "weight"])
NAMES = {"USA": "United States", "PRK": "North Korea", "KOR": "South Korea"}
