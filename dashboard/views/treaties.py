"""Treaties: where rhetoric and treaties disagree. Treaty allies (ATOP or COW member pairs in
force on the day) that the news shows condemning, sanctioning, threatening or attacking each
other, with the evidence; and the treaties in force in the filtered period."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import treaty_queries
from dashboard.marking import md
from dashboard.queries import Filters
from dashboard.ui import filters as filter_ui
from dashboard.ui.connection import fetch
from dashboard.ui.page import guarded, open_store

OBLIGATION_LABELS = {"defense": "Defence", "offense": "Offence", "neutral": "Neutrality",
                     "nonagg": "Non-aggression", "consul": "Consultation"}
LOAD_HINT = ("Load a treaty layer with `alliance-atlas ingest atop4.01-member-level.csv` (ATOP "
             "member-level data, atopdata.org) or the COW alliance data; see docs/formats.md.")


def _obligations(frame: pd.DataFrame) -> pd.Series:
    return frame.apply(lambda row: ", ".join(label for col, label in OBLIGATION_LABELS.items()
                                             if bool(row[col])) or "—", axis=1)


def _named(frame: pd.DataFrame, names: dict[str, str], *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = frame[column].map(lambda i: names.get(i, i))
    return frame


st.title("Treaties")
st.caption("Formal alliances beside the news: pairs of states bound by a treaty in force on "
           "the day that the news shows condemning, sanctioning, threatening or attacking "
           "each other. Machine-coded GDELT edges are marked; filter annotators in the "
           "sidebar to leave them out.")
run = filter_ui.current()
identity = run.identity if run is not None else open_store()
chosen = run.filters if run is not None and run.filters is not None else Filters()
names = run.names if run is not None else {}

with guarded():
    counts = fetch(treaty_queries.treaty_counts(), identity)
    if counts.empty:
        st.info(f"The store holds no treaties yet. {LOAD_HINT}", icon=":material/handshake:")
        st.stop()
    st.markdown(" · ".join(f"**{md(row.source)}**: {int(row.treaties):,} alliances, "
                           f"{int(row.pairs):,} member pairs" for row in counts.itertuples()))

    pairs = fetch(treaty_queries.conflict_pairs(chosen), identity)
    conflicts = fetch(treaty_queries.treaty_conflicts(chosen), identity)
    cols = st.columns(3)
    cols[0].metric("Allied pairs at odds", f"{len(pairs):,}")
    cols[1].metric("Hostile edges between allies", f"{int(pairs['hostile_edges'].sum()):,}"
                   if not pairs.empty else "0")
    cols[2].metric("Of them machine-coded", f"{int(pairs['machine_coded'].sum()):,}"
                   if not pairs.empty else "0")

    st.subheader("Treaty allies at odds")
    if pairs.empty:
        st.info("No hostile edge between treaty allies under the current filters.",
                icon=":material/filter_alt_off:")
    else:
        st.dataframe(_named(pairs, names, "actor_a", "actor_b"), hide_index=True,
                     width="stretch", column_config={
                         "actor_a": "Actor", "actor_b": "Ally", "hostile_edges": "Hostile facts",
                         "articles": "Articles", "machine_coded": "Machine-coded",
                         "relations": "Relations", "first": st.column_config.DateColumn("First"),
                         "last": st.column_config.DateColumn("Last"),
                         "treaties": "Treaties in force"})
        st.subheader("The evidence")
        conflicts = conflicts.assign(obligations=_obligations(conflicts))
        shown = _named(conflicts, names, "source", "target")[[
            "date", "source", "relation", "target", "evidence", "title", "url", "publisher",
            "annotator", "confidence", "treaties", "obligations"]]
        st.dataframe(shown, hide_index=True, width="stretch", column_config={
            "date": st.column_config.DateColumn("Date"), "source": "Source",
            "relation": "Relation", "target": "Target (ally)", "evidence": "Evidence",
            "title": "Article", "url": st.column_config.LinkColumn("Link"),
            "publisher": "Publisher", "annotator": "Annotator",
            "confidence": st.column_config.NumberColumn("Confidence", format="%.2f"),
            "treaties": "Treaties", "obligations": "Obligations"})

    st.subheader("Treaties in force in the period")
    in_force = fetch(treaty_queries.treaties_in_force(chosen), identity)
    if in_force.empty:
        st.info("No treaty in force in the filtered period for the chosen actors.",
                icon=":material/filter_alt_off:")
    else:
        in_force = in_force.assign(obligations=_obligations(in_force))
        st.dataframe(_named(in_force, names, "member_a", "member_b")[[
            "source", "treaty_id", "phase", "member_a", "member_b", "start_date", "end_date",
            "obligations"]], hide_index=True, width="stretch", column_config={
                "source": "Dataset", "treaty_id": "Alliance", "phase": "Phase",
                "member_a": "Member", "member_b": "Member",
                "start_date": st.column_config.DateColumn("From"),
                "end_date": st.column_config.DateColumn("To (empty: in force)"),
                "obligations": "Obligations"})
