"""Data: what the store holds, where it lives (with the bookmarks), and how to add to it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import bookmarks, palette, queries
from dashboard.ui import fetch_log
from dashboard.ui.connection import fetch
from dashboard.ui.page import INGEST_HINT, counts, guarded, open_store


def _day(value) -> str:
    return "—" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


st.title("Data")
identity = open_store()
with guarded():
    row = counts(identity)
    cols = st.columns(5)
    cols[0].metric("Articles", f"{int(row['articles']):,}")
    cols[1].metric("Actors in edges", f"{int(row['actors']):,}",
                   help=f"{int(row['registry_actors']):,} actors are known to the registry")
    cols[2].metric("Edges", f"{int(row['edges']):,}",
                   help=f"Distinct (source, target, relation); {int(row['edge_rows']):,} "
                        "article-level facts")
    cols[3].metric("Publishers", f"{int(row['publishers']):,}")
    cols[4].metric("Annotators", f"{int(row['annotators']):,}")
    st.markdown(f"**Events** from {_day(row['first_edge'])} to {_day(row['last_edge'])} · "
                f"**articles published** {_day(row['first_published'])} to "
                f"{_day(row['last_published'])} · **last ingest** "
                f"{_day(row['last_ingest'])}")

    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Relation types")
        rel = fetch(queries.relation_counts(), identity)
        rel = rel.assign(relation=rel["relation"].map(palette.label))
        st.dataframe(rel, hide_index=True, width="stretch", column_config={
            "relation": "Relation", "stance": "Stance", "edge_rows": "Facts",
            "articles": "Articles"})
        st.subheader("Annotators")
        st.dataframe(fetch(queries.annotators(), identity), hide_index=True, width="stretch",
                     column_config={
                         "annotator": "Annotator", "edge_rows": "Facts",
                         "articles": "Articles",
                         "mean_confidence": st.column_config.NumberColumn(
                             "Mean confidence", format="%.2f")})
    with right:
        st.subheader("Publishers")
        st.dataframe(fetch(queries.publishers(), identity), hide_index=True, width="stretch",
                     height=390, column_config={
                         "publisher": "Publisher", "articles": "Articles",
                         "edge_rows": "Facts",
                         "first_published": st.column_config.DateColumn("First"),
                         "last_published": st.column_config.DateColumn("Last")})

    fetch_log.recent_fetches(identity)

    st.subheader("Where the data lives")
    st.markdown(f"The app reads the store at `{identity.path}` (set `ALLIANCE_ATLAS_DB` or "
                "`alliance-atlas serve --db PATH` to use another file). It opens it read-only "
                "and picks up a new ingest on the next interaction; no restart is needed.")
    st.markdown(f"Saved views (bookmarks) live next to it in "
                f"`{bookmarks.sidecar(identity.path)}`: copy both files to take the data and "
                "its story to another machine.")
    st.markdown(f"{INGEST_HINT} Articles use the annotated-article format "
                "(`alliance-atlas schema` prints its JSON Schema); records that fail "
                "validation are reported with their file, record and field and the rest "
                "are still added. Raw articles can be annotated on the Annotate page.")
    st.code("alliance-atlas ingest data/demo\nalliance-atlas ingest my-articles/",
            language="bash")
