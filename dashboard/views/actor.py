"""Actor: one actor's profile. Allies and adversaries ranked by net stance (cooperative minus
hostile articles), the relations it gives and receives, its timeline and its strongest
evidence.

URL: the global filters plus `who` (the actor; the most connected one when absent).
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard import actor_profile, charts, palette
from dashboard import view_settings as settings
from dashboard.marking import md
from dashboard.ui import evidence, story, urlstate
from dashboard.ui import network as net
from dashboard.ui.connection import prefetch, prefetch_cards, strongest_evidence, timeline
from dashboard.ui.page import guarded, nothing_matches, require_run
from dashboard.ui.urlstate import BIND

EVIDENCE_CARDS = 10

st.title("Actor")
run = require_run()
with guarded():
    f = run.filters
    ctx = run.context
    top_actor = net.most_connected(f, run.identity)
    if top_actor is None:
        nothing_matches("No edges match these filters", run)
        st.stop()
    ids = sorted(ctx.actor_labels, key=lambda a: (ctx.actor_labels[a].lower(), a))
    urlstate.keep_valid("who", ids, None)
    who = st.selectbox("Actor", ids, index=None, key="who", bind=BIND,
                       format_func=ctx.actor_labels.get,
                       placeholder=f"Most connected: {ctx.actor_labels.get(top_actor)}")
    actor = who or top_actor
    name = run.names.get(actor, actor)
    # The summary's rows with the actor at either end, in the summary's order.
    mine = net.actor_summary(f, actor, run.identity)
    if mine.empty:
        nothing_matches(f"{md(name)} takes part in no edge under these filters", run)
        st.stop()

    # The timeline and the strongest evidence with its mentions are read by workers while this
    # thread does the Python work: stances, relation mix, blocs and charts.
    prefetch(timeline, f, "month", run.identity, actor)
    prefetch_cards(strongest_evidence, f, EVIDENCE_CARDS, run.identity, actor,
                   identity=run.identity)
    stance = actor_profile.net_stance(mine, actor)
    mix = actor_profile.relation_mix(mine, actor)
    bloc_of = net.blocs(f, run.identity)
    allies = stance[stance["role"] == "ally"]
    foes = stance[stance["role"] == "adversary"]
    cols = st.columns(5)
    cols[0].metric("Partners", f"{len(stance):,}")
    cols[1].metric("Allies", f"{len(allies):,}", help="Net stance above zero")
    cols[2].metric("Adversaries", f"{len(foes):,}", help="Net stance below zero")
    cols[3].metric("Article links", f"{int(mine['weight'].sum()):,}")
    bloc = bloc_of.get(actor)
    cols[4].metric("Bloc", palette.bloc_label(bloc) if bloc is not None else "—",
                   help="Community of the signed network (see the Blocs page)")
    if bloc is not None:
        fellows = [run.names.get(a, a) for a, b in bloc_of.items() if b == bloc and a != actor]
        st.html(f'<div style="font-size:1.05rem"><span style="display:inline-block;width:14px;'
                f'height:14px;border-radius:50%;background:{palette.bloc_colour(bloc)};'
                f'margin-right:6px"></span>{html.escape(name)} is in '
                f"{palette.bloc_label(bloc)} with "
                f"{html.escape(', '.join(sorted(fellows)[:12]) or 'no one else')}"
                f"{' and others' if len(fellows) > 12 else ''}.</div>")

    chart_height = settings.PRESENT_CHART_HEIGHT if story.presenting_now() else 440
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Allies and adversaries")
        st.plotly_chart(charts.enlarged(charts.stance_figure(
            stance, run.names, top=8, height_px=chart_height), story.type_scale()),
            theme=None, config=charts.PLOTLY_CONFIG, width="stretch")
    with right:
        st.subheader("Relations given and received")
        st.plotly_chart(charts.enlarged(charts.relation_mix_figure(
            mix, height_px=chart_height), story.type_scale()), theme=None,
                        config=charts.PLOTLY_CONFIG, width="stretch")

    st.dataframe(
        stance.assign(partner_name=[run.names.get(p, p) for p in stance["partner"]]),
        hide_index=True, width="stretch", height=300,
        column_order=["partner_name", "role", "net", "cooperative", "hostile", "given",
                      "received"],
        column_config={
            "partner_name": "Partner", "role": "Role",
            "net": st.column_config.NumberColumn("Net stance",
                                                 help="Cooperative minus hostile articles"),
            "cooperative": "Cooperative", "hostile": "Hostile",
            "given": st.column_config.TextColumn(f"{name} \u2192 partner", width="medium"),
            "received": st.column_config.TextColumn(f"Partner \u2192 {name}",
                                                    width="medium")})

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Over time")
        events = timeline(f, "month", run.identity, actor)
        st.plotly_chart(charts.timeline_figure(events, 360), theme=None,
                        config=charts.PLOTLY_CONFIG, width="stretch")
    with right:
        st.subheader("Strongest evidence")
        st.caption("Sentences behind its most reported relations, most confident first.")
        rows = strongest_evidence(f, EVIDENCE_CARDS, run.identity, actor)
        evidence.show(rows, run, height=380)
