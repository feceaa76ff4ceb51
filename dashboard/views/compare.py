"""Compare: two periods side by side on the same layout; pairs that are new, gone or changed
sign highlighted and listed; and a paragraph, generated from the data, on what changed.

URL: the global filters (except the date range, which the two periods replace) plus `pa` and
`pb`, the periods (the first and second half of the data when absent).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import comparison, figures, layout
from dashboard import view_settings as settings
from dashboard.export.view import ExportView, Period
from dashboard.ui import network as net
from dashboard.ui.connection import prefetch
from dashboard.ui.downloads import download_buttons
from dashboard.ui.page import guarded, require_run
from dashboard.ui.urlstate import BIND

HEIGHT = 500
BUDGET = settings.COMPARE_BUDGET


def _period(value, default) -> tuple:
    if isinstance(value, tuple | list) and len(value) == 2:
        return value[0], value[1]
    if isinstance(value, tuple | list) and len(value) == 1:
        return value[0], value[0]
    return default


def _links(pairs: pd.DataFrame) -> int:
    return int((pairs["cooperative"] + pairs["hostile"]).sum())


def _label(span) -> str:
    lo, hi = span
    return f"{lo:%d %b %Y}\u2013{hi:%d %b %Y}"


st.title("Compare")
run = require_run()
with guarded():
    ctx = run.context
    first_half, second_half = ctx.halves()
    cols = st.columns(2, gap="large")
    pa = _period(cols[0].date_input(
        "Period A", value=first_half, min_value=ctx.first, max_value=ctx.last,
        format="YYYY-MM-DD", key="pa", bind=BIND), first_half)
    pb = _period(cols[1].date_input(
        "Period B", value=second_half, min_value=ctx.first, max_value=ctx.last,
        format="YYYY-MM-DD", key="pb", bind=BIND), second_half)
    base = run.filters
    # The blocs that colour the actors (Python work on the edge summary) are computed on a
    # worker while this thread reads the two periods.
    prefetch(net.blocs, base, run.identity)
    before, after = net.periods(base, pa, pb, run.identity)
    if before.empty and after.empty:
        st.info("Neither period has edges under these filters. Choose other periods, or widen "
                "the relation types, stances, actors, minimum articles or sources in the "
                "sidebar.", icon=":material/filter_alt_off:")
        st.stop()
    diff = comparison.pair_diff(before, after)
    text = comparison.summarize_diff(diff, run.names, _label(pa), _label(pb))
    st.html(f'<div style="font-size:1.12rem;line-height:1.6;background:#f2f5f7;'
            f'border-left:5px solid #1f6f8b;padding:0.7rem 1rem;border-radius:4px">'
            f"{html.escape(text)}</div>")
    st.caption("The sidebar's date range does not apply here: the two periods replace it.")

    # Both periods' pairs, as rows of a network to lay out: the layout weighs each pair by
    # its articles in either period.
    both = pd.concat([before, after], ignore_index=True)
    both = pd.DataFrame({"source": both["a"], "target": both["b"],
                         "weight": both["cooperative"] + both["hostile"]})
    drawn, notice = net.trim(both, BUDGET)
    placed = net.positions(drawn, {a: run.names.get(a, a) for a in layout.actor_ids(drawn)})
    shown = set(placed)
    drawn_diff = diff[diff["a"].isin(shown) & diff["b"].isin(shown)]
    drawn_diff = drawn_diff.assign(
        _w=drawn_diff[["weight_before", "weight_after"]].max(axis=1)).sort_values(
        "_w", ascending=False, kind="stable").head(net.MAX_EDGES)
    bloc_of = {a: b for a, b in net.blocs(base, run.identity).items() if a in shown}
    names = {a: run.names.get(a, a) for a in shown}
    st.html(figures.status_legend_html())
    st.caption(notice.replace("relations", "pairs (both periods)"))
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown(f"**A** · {_label(pa)} · {_links(before):,} article links")
        st.iframe(figures.compare_html(drawn_diff, "before", names, placed, HEIGHT, bloc_of,
                                        assets=net.assets()),
                  height=HEIGHT, alt="Network of period A")
    with right:
        st.markdown(f"**B** · {_label(pb)} · {_links(after):,} article links")
        st.iframe(figures.compare_html(drawn_diff, "after", names, placed, HEIGHT, bloc_of,
                                        assets=net.assets()),
                  height=HEIGHT, alt="Network of period B")

    changed = diff[diff["status"] != "kept"]
    st.subheader(f"What changed ({len(changed):,} pairs)")
    counts = changed["status"].value_counts()
    st.caption(" · ".join(f"{counts.get(s, 0):,} {label}" for s, label in (
        ("flipped", "changed sign"), ("new", "new in B"), ("lost", "gone in B"))))
    st.dataframe(
        changed.assign(a=changed["a"].map(lambda a: run.names.get(a, a)),
                       b=changed["b"].map(lambda b: run.names.get(b, b))),
        hide_index=True, width="stretch", height=380,
        column_order=["status", "a", "b", "stance_before", "stance_after", "weight_before",
                      "weight_after", "relations_before", "relations_after"],
        column_config={"status": "Change", "a": "Actor", "b": "Actor",
                       "stance_before": "Stance in A", "stance_after": "Stance in B",
                       "weight_before": "Articles in A", "weight_after": "Articles in B",
                       "relations_before": "Relations in A",
                       "relations_after": "Relations in B"})

    download_buttons(ExportView(view="compare", filters=base, period_a=Period(*pa),
                                period_b=Period(*pb)),
                     run.identity, first=ctx.first, last=ctx.last)
