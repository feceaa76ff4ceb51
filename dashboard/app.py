"""Streamlit entry point: `streamlit run dashboard/app.py` (or `alliance-atlas serve`).

Pages live in `dashboard/views/` and stay thin: they read widgets, call the pure functions of
`dashboard.queries` and `dashboard.figures`, and render. Streamlit helpers live in
`dashboard/ui/`. The folder is not called `pages/`: Streamlit would treat that as a legacy
multipage app and run a page on its own when a deep link names it before app.py has run.
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

st.set_page_config(page_title="Alliance Atlas", layout="wide",
                   initial_sidebar_state="expanded")

# No page icons: Streamlit turns a page's icon into the tab's favicon and fetches Material
# icons for that from fonts.gstatic.com, and the app must not make a single external request.
PAGES = [
    st.Page("views/overview.py", title="Overview", default=True),
    st.Page("views/annotate.py", title="Annotate"),
    st.Page("views/data.py", title="Data"),
]

# Streamlit's default top padding pushes the network below the fold on a 1080p projector.
st.html("<style>.block-container, [data-testid='stMainBlockContainer'] "
        "{padding-top: 2.2rem !important;}</style>")

st.navigation(PAGES).run()
