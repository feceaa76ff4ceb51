"""Timeline: events per week or month (cooperative above the axis, hostile below), the events
between two actors, and one actor's events. A range dragged on the main chart can become the
date filter of every page.

URL: the global filters plus `freq` (week or month), `pair` (two actors), `who` (one actor).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import charts, queries
from dashboard import view_settings as settings
from dashboard.export.view import ExportView
from dashboard.marking import md
from dashboard.ui import story, urlstate
from dashboard.ui.connection import fetch, timeline
from dashboard.ui.downloads import download_buttons
from dashboard.ui.filters import DATES, describe
from dashboard.ui.page import guarded, nothing_matches, require_run
from dashboard.ui.urlstate import BIND

PAIR_EVENTS = 2000


def _use_as_filter(lo: dt.date, hi: dt.date) -> None:
    st.session_state[DATES] = (lo, hi)


st.title("Timeline")
run = require_run()
with guarded():
    f = run.filters
    ctx = run.context
    top = st.columns([2, 5], vertical_alignment="bottom")
    freq = top[0].segmented_control(
        "Events", list(urlstate.FREQS), default="month", format_func=urlstate.freq_label,
        key="freq", bind=BIND) or "month"
    data = timeline(f, freq, run.identity)
    if data.empty:
        nothing_matches("No events match these filters", run)
        st.stop()
    top[1].caption(f"{int(data['events'].sum()):,} events · {describe(f, run.names)}")
    # A new key per filter state clears a selection once it has become the filter.
    chart_key = f"timeline-{abs(hash((freq, str(f))))}"
    present = story.presenting_now()
    event = st.plotly_chart(
        charts.enlarged(charts.timeline_figure(
            data, settings.PRESENT_CHART_HEIGHT if present else 400, freq, selectable=True),
            story.type_scale()), theme=None,
        config=charts.PLOTLY_CONFIG, on_select="rerun", selection_mode=("box",),
        key=chart_key, width="stretch")
    span = charts.selected_range(event)
    if span:
        lo = min(max(span[0].date(), ctx.first), ctx.last)
        hi = min(max(span[1].date(), ctx.first), ctx.last)
        st.button(f"Use {lo:%d %b %Y} to {hi:%d %b %Y} as the date filter",
                  on_click=_use_as_filter, args=(lo, hi), icon=":material/date_range:",
                  type="primary")
    else:
        st.caption("Drag across the chart to select a period: it can become the date filter "
                   "of every page.")

    ids = sorted(ctx.actor_labels, key=lambda a: (ctx.actor_labels[a].lower(), a))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Two actors")
        urlstate.keep_valid("pair", ids, [])
        pair = st.multiselect("Pair", ids, max_selections=2, key="pair", bind=BIND,
                              format_func=ctx.actor_labels.get,
                              placeholder="Choose two actors")
        if len(pair) == 2:
            a, b = pair
            events = fetch(queries.evidence(f, PAIR_EVENTS, pair=(a, b)), run.identity)
            st.plotly_chart(charts.enlarged(charts.pair_timeline_figure(
                events, a, b, run.names), story.type_scale()), theme=None,
                            config=charts.PLOTLY_CONFIG, width="stretch")
            more = " (the most recent)" if len(events) >= PAIR_EVENTS else ""
            st.caption(f"{len(events):,} events{more}: ▲ {md(run.names.get(a, a))} acts on "
                       f"{md(run.names.get(b, b))}, ▼ the other way, ● both (symmetric). "
                       "Hover a marker for the headline and the sentence.")
        else:
            st.caption("One marker per event between two actors, with the headline and the "
                       "sentence on hover.")
    with right:
        st.subheader("One actor")
        urlstate.keep_valid("who", ids, None)
        who = st.selectbox("Actor", ids, index=None, key="who", bind=BIND,
                           format_func=ctx.actor_labels.get, placeholder="Choose an actor")
        if who:
            mine = timeline(f, freq, run.identity, who)
            if mine.empty:
                st.info(f"{md(run.names.get(who, who))} has no events under these filters.")
            else:
                st.plotly_chart(charts.enlarged(charts.timeline_figure(mine, 380, freq),
                                                story.type_scale()), theme=None,
                                config=charts.PLOTLY_CONFIG, width="stretch")
                st.caption(f"{int(mine['events'].sum()):,} events involving "
                           f"{md(run.names.get(who, who))}, given or received.")
        else:
            st.caption("Everything one actor did or had done to it, by relation type.")

    # The export draws what the page shows: its granularity and, with two actors, their pair.
    download_buttons(ExportView(view="timeline", filters=f, freq=freq,
                                pair=tuple(pair) if len(pair) == 2 else None, who=who),
                     run.identity, first=ctx.first, last=ctx.last)
