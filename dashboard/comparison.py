"""What changed between two periods, pair by pair: the table behind the Compare page and its
export (`pair_diff`, `period_diff`) and the paragraph that says it in words
(`summarize_diff`). No streamlit here.

A pair is two actors, unordered (a < b), because a flip is about how two actors stand towards
each other whoever acted; its weight in a period is the articles of its cooperative and
hostile relations there (`analytics.signed_weights`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dashboard.analytics import actor_codes, signed_weights


def period_diff(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Compare two edge_summary frames pair by pair: `pair_diff` of their `signed_weights`."""
    return pair_diff(signed_weights(before), signed_weights(after))


# The diff's columns that are not integers: names and the status are text; a period's stance
# (None when the pair is absent) and relation list stay Python objects.
_COLUMN_TYPES = {"a": "str", "b": "str", "status": "str", "stance_before": object,
                 "stance_after": object, "relations_before": object, "relations_after": object}


def pair_diff(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Compare two periods' signed pairs (`analytics.signed_weights` frames) pair by pair,
    undirected (a < b), because a flip is about how two actors stand towards
    each other whoever acted. Per pair: stance_before/after ("cooperative", "hostile", "mixed"
    when net = 0, None when absent), weight_before/after (cooperative + hostile articles),
    net_before/after, relations_before/after, and status: new (absent before), lost (absent
    after), flipped (net sign went from cooperative to hostile or back) or kept. Sorted
    flipped, new, lost, kept; heaviest first within each, then by (a, b)."""
    columns = ["a", "b", "status", "stance_before", "stance_after", "weight_before",
               "weight_after", "net_before", "net_after", "relations_before", "relations_after"]
    # Both periods' pairs are coded against one actor list, so aligning them is a merge of two
    # sorted integer arrays rather than a pandas merge on two string columns.
    actors, codes = actor_codes(before, after, ends=("a", "b"))
    n = max(len(actors), 1)
    sides = {}
    for side, frame, (a, b) in zip(("before", "after"), (before, after), codes, strict=True):
        keys = a.astype(np.int64) * n + b
        order = np.argsort(keys, kind="stable")
        sides[side] = (keys[order], frame["cooperative"].to_numpy(dtype=np.int64)[order],
                       frame["hostile"].to_numpy(dtype=np.int64)[order],
                       frame["relations"].to_numpy(dtype=object)[order])
    keys = np.union1d(sides["before"][0], sides["after"][0])
    out: dict[str, np.ndarray] = {"a": actors[keys // n], "b": actors[keys % n]}
    present = {}
    for side, (side_keys, cooperative, hostile, relations) in sides.items():
        here = np.isin(keys, side_keys)
        at = np.searchsorted(side_keys, keys[here])
        net = np.zeros(len(keys), dtype=np.int64)
        net[here] = cooperative[at] - hostile[at]
        weight = np.zeros(len(keys), dtype=np.int64)
        weight[here] = cooperative[at] + hostile[at]
        listed = np.full(len(keys), "", dtype=object)
        listed[here] = relations[at]
        stance = np.select([net > 0, net < 0], ["cooperative", "hostile"], "mixed")
        out[f"stance_{side}"] = np.where(here, stance, None).astype(object)
        out[f"weight_{side}"], out[f"net_{side}"] = weight, net
        out[f"relations_{side}"] = listed
        present[side] = here
    flipped = np.sign(out["net_before"]) * np.sign(out["net_after"]) < 0
    out["status"] = np.select([~present["before"], ~present["after"], flipped],
                              ["new", "lost", "flipped"], "kept")
    order = np.select([out["status"] == "flipped", out["status"] == "new",
                       out["status"] == "lost"], [0, 1, 2], 3)
    heaviest = np.maximum(out["weight_before"], out["weight_after"])
    # Keys sort like (a, b), so they break the remaining ties exactly as the names would.
    ranked = np.lexsort((keys, -heaviest, order))
    # Built in column order with each column's type stated: inferring the type of an object
    # column and reordering the frame afterwards took half of this function's time.
    return pd.DataFrame({name: _column(out[name][ranked], _COLUMN_TYPES.get(name))
                         for name in columns})


def _column(values: np.ndarray, dtype):
    if dtype is None:
        return values
    return pd.Series(values, dtype=object) if dtype is object else pd.array(values, dtype=dtype)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def summarize_diff(diff: pd.DataFrame, names: Mapping[str, str], before_label: str,
                   after_label: str) -> str:
    """One plain-language paragraph on a `period_diff` frame: how many ties appeared and
    disappeared, the biggest new and lost tie, the pairs that changed sign, and the kept tie
    that grew most. Display names come from `names` (ids where missing). No markup."""
    def pair(i: int) -> str:
        return f"{names.get(a[i], a[i])} and {names.get(b[i], b[i])}"

    def articles(n: int) -> str:
        return _plural(int(n), "article")

    span = f"between {before_label} and {after_label}"
    if diff.empty:
        return f"Nothing changed {span}: there are no relations in either period."
    # Plain lists and index lists: a few pandas filters and sorts of the whole frame cost
    # more than everything else on the Compare page's analytics.
    a, b = diff["a"].tolist(), diff["b"].tolist()
    status = diff["status"].tolist()
    before, after = diff["weight_before"].tolist(), diff["weight_after"].tolist()
    stance_before, stance_after = diff["stance_before"].tolist(), diff["stance_after"].tolist()
    by: dict[str, list[int]] = {"new": [], "lost": [], "flipped": [], "kept": []}
    for i, s in enumerate(status):
        by.setdefault(s, []).append(i)
    kept = by["kept"]
    changed = any(before[i] != after[i] or stance_before[i] != stance_after[i] for i in kept)
    if not (by["new"] or by["lost"] or by["flipped"] or changed):
        return (f"Nothing changed {span}: the same {_plural(len(kept), 'relation')} "
                f"held with the same weight.")
    n_new, n_lost = len(by["new"]), len(by["lost"])
    parts = [f"{span[0].upper()}{span[1:]}, {_plural(n_new, 'relation')} appeared and "
             f"{n_lost} disappeared."]
    if n_new:
        top = min(by["new"], key=lambda i: (-after[i], a[i], b[i]))
        parts.append(f"The biggest new tie is between {pair(top)} "
                     f"({stance_after[top]}, {articles(after[top])}).")
    if n_lost:
        top = min(by["lost"], key=lambda i: (-before[i], a[i], b[i]))
        parts.append(f"The biggest tie that disappeared was between {pair(top)} "
                     f"({stance_before[top]}, {articles(before[top])}).")
    flips = by["flipped"]
    if flips:
        shown = [f"{pair(i)} turned from {stance_before[i]} to {stance_after[i]}"
                 for i in flips[:3]]
        more = len(flips) - len(shown)
        tail = f", and {_plural(more, 'other pair')} changed sign too" if more else ""
        parts.append(f"Relations between {_join(shown)}{tail}.")
    if kept:
        top = min(kept, key=lambda i: (-(after[i] - before[i]), a[i], b[i]))
        sentence = f"{_plural(len(kept), 'relation')} continued"
        if after[top] > before[top]:
            sentence += (f"; the one that grew most is between {pair(top)} "
                         f"(from {articles(before[top])} to {after[top]})")
        parts.append(sentence[0].upper() + sentence[1:] + ".")
    return " ".join(parts)
