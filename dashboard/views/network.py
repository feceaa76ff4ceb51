"""Network: who is allied with or hostile to whom, on what evidence.

URL: the global filters plus `focus` (an actor), `steps` (1 or 2), `budget` (most actors drawn)
and `edge` (the pair whose evidence is listed; the strongest pair when absent).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import figures, layout, palette
from dashboard import view_settings as settings
from dashboard.export.view import ExportView
from dashboard.ui import evidence, story, urlstate
from dashboard.ui import network as net
from dashboard.ui.connection import pair_evidence, prefetch, prefetch_cards
from dashboard.ui.downloads import download_buttons
from dashboard.ui.filters import describe
from dashboard.ui.page import guarded, require_run
from dashboard.ui.urlstate import BIND

HEIGHT = 640
EVIDENCE_ROWS = 30


st.title("Network")
run = require_run()
with guarded():
    f = run.filters
    edges = net.summary_or_stop(run)
    # The blocs are Python work: a worker computes them while another reads the evidence.
    prefetch(net.blocs, f, run.identity)
    ids = sorted(layout.actor_ids(edges), key=lambda a: (run.labels.get(a, a).lower(), a))

    controls = st.columns([3, 2, 3], gap="medium", vertical_alignment="bottom")
    urlstate.start_from_link(urlstate.PAGE_PARAMS["network"], run.context)
    urlstate.keep_valid("focus", ids, None)
    focus = controls[0].selectbox(
        "Focus actor", ids, index=None, format_func=lambda a: run.labels.get(a, a),
        key="focus", bind=BIND, placeholder="Everyone",
        help="Draw only this actor's neighbourhood. Click an actor in the graph to focus it.")
    steps = controls[1].segmented_control(
        "Neighbourhood", list(urlstate.STEPS), default=1, format_func=urlstate.steps_label,
        key="steps", bind=BIND, disabled=focus is None,
        help="Partners (1 step) or partners of partners too (2 steps).") or 1
    budget = controls[2].select_slider(
        "Actors at most", list(urlstate.BUDGETS), value=urlstate.DEFAULT_BUDGET,
        key="budget", bind=BIND,
        help="The actors with the most article links are drawn; raise this to see more, "
             "lower it to keep a big store readable.")

    drawn, notice = net.trim(edges, int(budget), focus, int(steps))
    st.caption(f"{notice} Filters: {describe(f, run.names)}.")
    weights = (drawn.assign(pair=[urlstate.pair_key(a, b) for a, b in
                                  zip(drawn["source"], drawn["target"], strict=True)])
               .groupby("pair", sort=False)["weight"].sum()
               .sort_values(ascending=False, kind="stable"))
    pairs = list(weights.index)
    # The box starts on the focus actor's strongest pair (the strongest pair of all without
    # a focus): the evidence beside a focused graph is about that actor.
    own = [p for p in pairs if focus in urlstate.split_pair(p)] if focus else []
    strongest = own[0] if own else pairs[0]
    present = story.presenting_now()
    # In presenter mode the legends go under the graph, so that the graph and its evidence
    # start high enough to fit a 1080p screen.
    legends = None if present else st.container()
    graph, side = st.columns([7, 3], gap="medium")
    urlstate.keep_valid("edge", pairs, None)
    # None: the strongest pair, which the box offers as its placeholder.
    edge = side.selectbox(
        "Evidence for the pair", pairs, index=None, key="edge", bind=BIND,
        format_func=run.context.pair_label,
        placeholder=f"Strongest: {run.context.pair_label(strongest)}",
        help="Pairs drawn, most reported first. Click a line in the graph to pick its pair.")
    a, b = urlstate.split_pair(edge or strongest)
    stats = edges[((edges["source"] == a) & (edges["target"] == b))
                  | ((edges["source"] == b) & (edges["target"] == a))]
    # The pair's evidence and its mentions are read on a worker while the blocs are made on
    # the other.
    prefetch_cards(pair_evidence, f, (a, b), EVIDENCE_ROWS, run.identity,
                   identity=run.identity)

    bloc_of = net.blocs(f, run.identity)
    sizes = pd.Series([bloc_of.get(a) for a in layout.actor_ids(drawn)
                       if a in bloc_of]).value_counts().to_dict()
    # Presenter mode: the graph and the evidence beside it fit a 1080p screen under the
    # presenter's bar, with type enlarged.
    height = settings.PRESENT_NETWORK_HEIGHT if present else HEIGHT
    with graph:
        net.draw(drawn, run.names, height, bloc_of=bloc_of, focus=focus,
                 type_scale=story.type_scale(), links=run.labels,
                 reference=net.store_map(run.identity))
        legends = legends or st.container()
    legends.html(figures.legend_html(sorted(set(drawn["relation"])), note=""))
    legends.html(figures.bloc_legend_html(sizes))
    with side:
        per_relation = stats.groupby("relation", sort=False)["weight"].sum() \
            .sort_values(ascending=False, kind="stable")
        st.markdown(f"**{int(stats['weight'].sum()):,} article reports** · " + ", ".join(
            f"{palette.label(r).lower()} {int(w):,}" for r, w in per_relation.items()))
        links = st.columns(2)
        links[0].page_link(urlstate.PAGE_FILES["timeline"], label="Pair timeline",
                           icon=":material/timeline:", query_params=urlstate.link_params(
                               pair=[run.labels.get(a, a), run.labels.get(b, b)]))
        links[1].page_link(urlstate.PAGE_FILES["actor"], label="Actor profile",
                           icon=":material/person:", query_params=urlstate.link_params(
                               who=run.labels.get(focus or a, focus or a)))
        rows = pair_evidence(f, (a, b), EVIDENCE_ROWS, run.identity)
        evidence.show(rows, run, height=height - 190)

    download_buttons(ExportView(view="network", filters=f, focus=focus, steps=int(steps),
                                budget=int(budget)),
                     run.identity, first=run.context.first, last=run.context.last)

    table = st.expander(f"The {len(drawn):,} relations drawn, as a table", key="_atlas_table",
                        on_change="rerun")
    if table.open:  # drawn only when asked for: a big table slows the first paint
        table.dataframe(
            drawn.assign(pair=figures.pair_labels(drawn),
                         relation=drawn["relation"].map(palette.label)),
            hide_index=True, width="stretch", height=360,
            column_order=["pair", "relation", "weight", "stance"],
            column_config={"pair": "Actors", "relation": "Relation",
                           "weight": st.column_config.NumberColumn("Articles"),
                           "stance": "Stance"})
