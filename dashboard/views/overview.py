"""Overview: who is allied with or hostile to whom, when, and on what evidence."""

from __future__ import annotations

import streamlit as st

from dashboard import figures, palette, queries
from dashboard.ui.connection import fetch
from dashboard.ui.filters import describe, sidebar_filters
from dashboard.ui.page import guarded, open_store, require_edges

NETWORK_HEIGHT = 620
EVIDENCE_ROWS = 500
TOP_EDGES = 15

st.title("Alliance Atlas")
identity = open_store()
with guarded():
    require_edges(identity)
    filters = sidebar_filters(identity)
    if filters is not None:
        actors = fetch(queries.actors_in_edges(), identity)
        names = dict(zip(actors["id"], actors["name"], strict=True))
        summary = fetch(queries.edge_summary(filters), identity)
        if summary.empty:
            st.info(f"No edges match these filters ({describe(filters, names)}). Widen the "
                    "dates, add relation types or actors, or lower the minimum number of "
                    "articles in the sidebar.", icon=":material/filter_alt_off:")
            st.stop()
        shown_actors = set(summary["source"]) | set(summary["target"])
        st.caption(f"{len(summary)} relations between {len(shown_actors)} actors, "
                   f"{int(summary['weight'].sum())} article reports · "
                   f"{describe(filters, names)}")

        st.html(figures.legend_html(sorted(set(summary["relation"]))))
        graph, strongest = st.columns([7, 3], gap="medium")
        with graph:
            st.iframe(figures.network_html(summary, names, NETWORK_HEIGHT),
                      height=NETWORK_HEIGHT,
                      alt="Network of actors: lines show alliance and hostility between them")
        with strongest:
            # The network shows shape; this names the few edges a briefing will be about.
            top = summary.head(TOP_EDGES)
            st.markdown("**Most reported relations**")
            st.dataframe(
                top.assign(pair=figures.pair_labels(top),
                           relation=top["relation"].map(palette.label)),
                hide_index=True, width="stretch", height=NETWORK_HEIGHT - 40,
                column_order=["pair", "weight", "relation"],
                column_config={"pair": st.column_config.TextColumn("Actors", width="medium"),
                               "relation": st.column_config.TextColumn("Relation",
                                                                       width="small"),
                               "weight": st.column_config.NumberColumn(
                                   "Articles", width="small",
                                   help="Distinct articles stating it")})

        st.subheader("Events over time")
        timeline = fetch(queries.timeline(filters, "month"), identity)
        st.plotly_chart(figures.timeline_figure(timeline), theme=None,
                        config={"displaylogo": False, "displayModeBar": False},
                        alt="Events per month: cooperative above the axis, hostile below")

        st.subheader("Evidence")
        rows = fetch(queries.evidence(filters, EVIDENCE_ROWS), identity)
        st.caption(f"The sentences behind the edges shown ({len(rows)} most recent"
                   f"{'' if len(rows) < EVIDENCE_ROWS else ', of more'}).")
        rows = rows.assign(edge=figures.pair_labels(rows, names=False),
                           relation=rows["relation"].map(palette.label))
        st.dataframe(
            rows, hide_index=True, width="stretch", height=420,
            column_order=["date", "edge", "relation", "publisher", "title", "evidence", "url"],
            column_config={
                "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                "edge": st.column_config.TextColumn("Actors"),
                "relation": st.column_config.TextColumn("Relation"),
                "publisher": st.column_config.TextColumn("Publisher"),
                "title": st.column_config.TextColumn("Article", width="medium"),
                "evidence": st.column_config.TextColumn("Sentence", width="large"),
                "url": st.column_config.LinkColumn("Source", display_text="open"),
            })
