"""Streamlit entry point: `streamlit run dashboard/app.py` (or `alliance-atlas serve`).

Each run, in Streamlit's usual order: presenter mode or not, the navigation, a pending bookmark
to follow, the store; then the sidebar (the global filters, drawn here so that they hold on
every page and stay bound to the URL, and the saved views); then the page, which reads what the
filters hold. Pages live in `dashboard/views/` and stay thin: they draw and read their own
widgets, call `dashboard.queries`, `analytics`, `layout`, `figures` and `charts`, and render.
Streamlit helpers live in `dashboard/ui/`. The folder is not called `pages/`: Streamlit would
treat that as a legacy multipage app and run a page on its own when a deep link names it.
"""

from __future__ import annotations

import sys
from pathlib import Path

try:
    import dashboard  # noqa: F401
except ModuleNotFoundError:
    # `streamlit run dashboard/app.py` puts dashboard/ (not the project) on sys.path; in a
    # checkout that has not been pip-installed, the package is its parent folder.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st

from dashboard.serving import check_session
from dashboard.ui import filters, story, urlstate
from dashboard.ui.page import guarded, open_store_quietly, require_edges_quietly
from dashboard.ui.urlstate import DEFAULT_PAGE

st.set_page_config(page_title="Alliance Atlas", layout="wide",
                   initial_sidebar_state="expanded")
check_session()  # a host we do not serve (DNS rebinding) sees nothing: dashboard/serving.py

# No page icons: Streamlit turns a page's icon into the tab's favicon and fetches Material
# icons for that from fonts.gstatic.com, and the app must not make a single external request.
PAGES = [
    st.Page("views/network.py", title="Network", default=True),
    st.Page("views/timeline.py", title="Timeline"),
    st.Page("views/actor.py", title="Actor"),
    st.Page("views/blocs.py", title="Blocs"),
    st.Page("views/compare.py", title="Compare"),
    st.Page("views/articles.py", title="Articles"),
    st.Page("views/treaties.py", title="Treaties"),
    st.Page("views/data.py", title="Data"),
    st.Page("views/annotate.py", title="Annotate"),
]

presenting = story.presenting()
page = st.navigation(PAGES, position="top" if presenting else "sidebar")
current = page.url_path or DEFAULT_PAGE
story.follow(current)

# Streamlit's default top padding pushes the network below the fold on a 1080p projector.
st.html("<style>.block-container, [data-testid='stMainBlockContainer'] "
        "{padding-top: 2.6rem !important; padding-bottom: 1rem !important;}</style>")

filters.remember(None)
identity = open_store_quietly()
if identity is not None:
    if require_edges_quietly(identity):
        with guarded():
            filters.remember(filters.sidebar(identity, current))
    story.sidebar(current)
    if presenting:
        story.presenter_bar()
# A page whose filters match nothing ends before drawing its own widgets; keep their values.
urlstate.hold_page_state(current)

page.run()
