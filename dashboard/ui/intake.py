"""The Annotate page's "Add articles" box: paste links or a feed URL, fetch the pages, and
review the one picked like a pasted article (`dashboard.intake.run.fetch_pages`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.annotator import review
from dashboard.intake import run
from dashboard.ui.connection import store_path

_FETCHED = "_ann_fetched"
MAX_LINKS = 50


def fetch_input() -> tuple[review.Draft | None, str | None]:
    """A fetched page to review and its key, as `dashboard.ui.review.document_input` gives."""
    links = st.text_area(
        "Links or a feed", key="ann_links", height=110,
        placeholder="https://… one article link or RSS/Atom feed per line",
        help="Each page's text, title, date and publisher are read from the page. Sites are "
             "fetched politely (robots.txt, one request per second per site).")
    urls = [line.strip() for line in links.splitlines() if line.strip()]
    if st.button("Fetch", key="ann_fetch", icon=":material/download:",
                 disabled=not urls):
        if len(urls) > MAX_LINKS:
            st.error(f"Paste at most {MAX_LINKS} links at a time (use `alliance-atlas fetch "
                     "--urls FILE` for more).", icon=":material/error:")
            return None, None
        with st.spinner(f"Fetching {len(urls)} link{'s' if len(urls) != 1 else ''}…"):
            found, summary = run.fetch_pages(urls, db=store_path())
        st.session_state[_FETCHED] = (found, summary)
    state = st.session_state.get(_FETCHED)
    if state is None:
        return None, None
    found, summary = state
    st.caption(f"{summary.fetched} fetched · {len(found)} new article"
               f"{'s' if len(found) != 1 else ''} to review · {summary.unchanged} already in "
               f"the store · {len(summary.failed)} failed")
    if summary.failed:
        # A dataframe shows its cells as text: a page's or a link's markup stays inert.
        st.dataframe(pd.DataFrame([(f.url, f.reason) for f in summary.failed],
                                  columns=["Link", "Why it failed"]),
                     hide_index=True, width="stretch", key="ann_fetch_failed")
    if not found:
        return None, "fetched-none"
    index = 0
    if len(found) > 1:
        index = st.selectbox(f"{len(found)} articles fetched: review", range(len(found)),
                             format_func=lambda i: found[i].page.title or found[i].url,
                             key="ann_fetched_pick")
    item = found[index]
    page = item.page
    draft = review.Draft(text=page.text, title=page.title or item.feed_title,
                         published=page.published, publisher=page.publisher,
                         url=page.url or item.url, id=item.id)
    return draft, f"fetch:{item.id}:{run.text_hash(page.text)[:16]}"
