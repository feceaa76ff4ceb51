"""The Data page's list of recent fetches and failures (`dashboard.intake.log`)."""

from __future__ import annotations

import streamlit as st

from dashboard.intake import log
from dashboard.ui.connection import fetch


def recent_fetches(identity, limit: int = 200) -> None:
    """What `alliance-atlas fetch` and the Annotate page's links box fetched, newest first.
    Titles, links and reasons come from other sites: a dataframe shows them as plain text."""
    if not bool(fetch(log.has_table(), identity)["present"].iloc[0]):
        return
    st.subheader("Recent fetches")
    failed_only = st.toggle("Failures only", key="data_fetch_failed")
    rows = fetch(log.recent(limit, failed_only=failed_only), identity)
    if rows.empty:
        st.caption("No failed fetches." if failed_only else "Nothing fetched yet.")
        return
    st.caption(f"The latest {len(rows)} links fetched by `alliance-atlas fetch` or the "
               "Annotate page, newest first.")
    st.dataframe(rows, hide_index=True, width="stretch", height=320, column_config={
        "fetched_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
        "outcome": "Outcome", "url": st.column_config.TextColumn("Link"),
        "title": "Title", "reason": "Reason", "article_id": "Article"})
