"""Streamlit entry point: `streamlit run dashboard/app.py` (or `alliance-atlas serve`).

Each run: presenter mode or not, the navigation, a pending bookmark to follow, the store and
what the global filters hold; then the page; then the filters' widgets (drawn here so that
they hold on every page and stay bound to the URL) and the saved views, in the sidebar.
Pages live in `dashboard/views/` and stay thin: they read their own widgets, call
`dashboard.queries`, `analytics`, `layout`, `figures` and `charts`, and render.
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

from dashboard.ui import filters, story, urlstate
from dashboard.ui.connection import start_indexes
from dashboard.ui.page import guarded, open_store_quietly, require_edges_quietly, run_page
from dashboard.ui.urlstate import DEFAULT_PAGE

st.set_page_config(page_title="Alliance Atlas", layout="wide",
                   initial_sidebar_state="expanded")

# No page icons: Streamlit turns a page's icon into the tab's favicon and fetches Material
# icons for that from fonts.gstatic.com, and the app must not make a single external request.
PAGES = [
    st.Page("views/network.py", title="Network", default=True),
    st.Page("views/timeline.py", title="Timeline"),
    st.Page("views/actor.py", title="Actor"),
    st.Page("views/blocs.py", title="Blocs"),
    st.Page("views/compare.py", title="Compare"),
    st.Page("views/articles.py", title="Articles"),
    *([st.Page("views/treaties.py", title="Treaties")]
      if (Path(__file__).parent / "views" / "treaties.py").is_file() else []),
    st.Page("views/data.py", title="Data"),
    st.Page("views/annotate.py", title="Annotate"),
]

presenting = story.presenting()
page = st.navigation(PAGES, position="top" if presenting else "sidebar")
current = page.url_path or DEFAULT_PAGE
story.follow(current)

# Streamlit's default top padding pushes the network below the fold on a 1080p projector. The
# Network page's controls are drawn after its graph, into a row above it: the row keeps their
# height (4.25rem, in either type size) so the graph does not move down when they arrive.
st.html("<style>.block-container, [data-testid='stMainBlockContainer'] "
        "{padding-top: 2.6rem !important; padding-bottom: 1rem !important;}"
        ".st-key-atlas_network_controls {min-height: 4.25rem;}</style>")

filters.remember(None)
identity = open_store_quietly()
run = None
if identity is not None and require_edges_quietly(identity):
    # Read once per store, on a worker, before a page's evidence cards or the Compare
    # page's periods need them.
    start_indexes(identity)
    with guarded():
        run = filters.read(identity)
    filters.remember(run)
if identity is not None and presenting:
    story.presenter_bar()
urlstate.hold_page_state(current)

# The page before the sidebar: the browser builds the page in the order it arrives, so the
# network starts drawing before the filters are built (docs/benchmarks.md). `filters.read`
# has already said what they hold.
run_page(page)

if identity is not None:
    if run is not None:
        with guarded():
            drawn = filters.sidebar(run)
            urlstate.check_drawn((run.filters, run.problem), (drawn.filters, drawn.problem))
    story.sidebar(current)
