"""What every page does first: open the store, and turn expected failures into messages.

An analyst must never see a traceback: a missing store, an empty one or a filter that matches
nothing each get a sentence that says what happened and what to do next.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb
import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.errors import AtlasError
from dashboard.marking import md
from dashboard.ui import filters as filter_ui
from dashboard.ui.connection import StoreIdentity, current_identity, fetch, store_path

INGEST_HINT = "Add articles with `alliance-atlas ingest PATH` (a file or a folder of them)."


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Show `AtlasError`s (and a broken store) as an error box instead of a traceback."""
    try:
        yield
    except AtlasError as exc:
        st.error(md(exc), icon=":material/error:")
    except duckdb.Error as exc:
        st.error(f"The store at `{store_path()}` could not be read ({type(exc).__name__}). "
                 f"Rebuild it: {INGEST_HINT}", icon=":material/error:")


def open_store() -> StoreIdentity:
    """The identity of the store to read, or an error box and the end of this run."""
    try:
        return current_identity()
    except AtlasError as exc:
        st.error(md(exc), icon=":material/error:")
        st.stop()


def open_store_quietly() -> StoreIdentity | None:
    """The store's identity, or None without a message (the page says what is wrong)."""
    try:
        return current_identity()
    except AtlasError:
        return None


def require_edges_quietly(identity: StoreIdentity) -> bool:
    """Whether the store can be read and has edges; the page explains when it cannot."""
    try:
        row = counts(identity)
    except (AtlasError, duckdb.Error):
        return False
    return int(row["articles"]) > 0 and int(row["edge_rows"]) > 0


def counts(identity: StoreIdentity) -> pd.Series:
    return fetch(queries.overview_counts(), identity).iloc[0]


def require_edges(identity: StoreIdentity) -> pd.Series:
    """The store's counts, or an info box and the end of this run if there is nothing to
    draw yet."""
    row = counts(identity)
    if int(row["articles"]) == 0:
        st.info(f"The store at `{identity.path}` holds no articles yet. {INGEST_HINT}",
                icon=":material/inbox:")
        st.stop()
    if int(row["edge_rows"]) == 0:
        st.info(f"The store holds {int(row['articles'])} articles but none of them states a "
                "relation between two actors, so there is nothing to draw. Annotate "
                f"relations in the articles and ingest them again. {INGEST_HINT}",
                icon=":material/inbox:")
        st.stop()
    return row


def require_run():
    """This run's store and filters (drawn by app.py), or a message and the end of the run:
    no store, no edges yet, or filters that cannot match anything."""
    run = filter_ui.current()
    if run is None:
        # Say why: no store, an empty store or a broken one.
        with guarded():
            require_edges(open_store())
        st.stop()
    if run.filters is None:
        st.info(run.problem, icon=":material/filter_alt_off:")
        st.stop()
    return run


def nothing_matches(what: str, run) -> None:
    """The standard empty-result message: what is empty, under which filters, how to widen."""
    st.info(f"{what} ({filter_ui.describe(run.filters, run.names)}). {filter_ui.WIDEN}",
            icon=":material/filter_alt_off:")
