"""The network shared by the Network, Blocs and Compare pages: cached edge summaries and blocs,
and the vis-network iframe.

Pictures: the view determines its picture (`dashboard.picture.network_picture`), so the page
shows what a fresh link to the same view shows and what every export draws. An actor keeps its
place across filter changes because every view is laid out from the store's map
(`store_map`: `dashboard.layout.reference` of all the store's edges, once per store version),
which depends on the store, never on what the session showed before.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import analytics, figures, layout, picture, queries
from dashboard import view_settings as settings
from dashboard.export.data import trimmed
from dashboard.queries import Filters
from dashboard.ui.connection import StoreIdentity, fetch, prefetch
from dashboard.ui.page import nothing_matches

MAX_EDGES = settings.MAX_EDGES


def summary(filters: Filters, identity: StoreIdentity) -> pd.DataFrame:
    """The edge summary under these filters (`queries.edge_summary`), as the exports read it."""
    return fetch(queries.edge_summary(filters), identity)


@st.cache_data(show_spinner=False, max_entries=64)
def most_connected(filters: Filters, identity: StoreIdentity) -> str | None:
    """The actor with the most article links under these filters (None when no edge
    matches): the first of `layout.weighted_degree` of the summary."""
    edges = summary(filters, identity)
    return None if edges.empty else str(layout.weighted_degree(edges).index[0])


def actor_summary(filters: Filters, actor: str, identity: StoreIdentity) -> pd.DataFrame:
    """The edge summary's rows of one actor, in the summary's order."""
    return fetch(queries.edge_summary(filters, involving=actor), identity)


def periods(filters: Filters, first: tuple, second: tuple,
            identity: StoreIdentity) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The signed pairs of two date ranges (the Compare page's periods): the signed pairs of
    the edge summary under each, as the Compare export reads them. The second period is read
    on a worker while this thread reads the first."""
    one, two = (filters.replace(date_from=lo, date_to=hi) for lo, hi in (first, second))
    prefetch(pairs, two, identity)
    return pairs(one, identity), pairs(two, identity)


def summary_or_stop(run) -> pd.DataFrame:
    """The edge summary under the page's filters; when it is empty, the standard message on
    how to widen the filters, and the page ends there."""
    edges = summary(run.filters, run.identity)
    if edges.empty:
        nothing_matches("No edges match these filters", run)
        st.stop()
    return edges


@st.cache_data(show_spinner=False, max_entries=8)
def store_map(identity: StoreIdentity) -> dict[str, tuple[float, float]]:
    """The store's map (`layout.reference` of every edge, no filter), once per store
    version: every network view starts from it, as the exports' `store_map` does."""
    return layout.reference(summary(Filters(), identity), seed=settings.LAYOUT_SEED)


@st.cache_data(show_spinner=False, max_entries=64)
def pairs(filters: Filters, identity: StoreIdentity) -> pd.DataFrame:
    """`analytics.signed_weights` of the edges under these filters, once per filter state for
    the bloc, balance, surprise and frustration figures that all start from it."""
    return analytics.signed_weights(summary(filters, identity))


@st.cache_data(show_spinner=False, max_entries=64)
def blocs(filters: Filters, identity: StoreIdentity) -> dict[str, int]:
    """Bloc of every actor under these filters (all actors, not just those drawn), so the
    colours agree on every page. Actors that form a bloc on their own are left out."""
    found = analytics.blocs(summary(filters, identity), seed=settings.LAYOUT_SEED,
                            pairs=pairs(filters, identity))
    return picture.real_blocs(found)


@st.cache_data(show_spinner=False, max_entries=32)
def balance(filters: Filters, identity: StoreIdentity):
    return analytics.balance(summary(filters, identity), pairs=pairs(filters, identity))


def trim(edges: pd.DataFrame, budget: int, focus: str | None = None, steps: int = 1
         ) -> tuple[pd.DataFrame, str]:
    """The edges to draw, trimmed as the exports trim them (`export.data.trimmed`), and a
    sentence saying what was left out."""
    drawn, kept, total, relations = trimmed(edges, focus, steps, budget)
    shown_actors = len(layout.actor_ids(drawn))
    parts = [f"Showing {shown_actors} of {total} actors"]
    if kept < total:
        parts[0] += f" (the {kept} with the most article links)"
    if len(drawn) < relations:
        parts.append(f"the {len(drawn):,} strongest of {relations:,} relations between them "
                     "(raise the minimum articles per edge to see the rest)")
    else:
        parts.append(f"{len(drawn):,} relations")
    return drawn, " \u00b7 ".join(parts) + "."


@st.cache_data(show_spinner=False, max_entries=32)
def positions(edges: pd.DataFrame, names: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Positions of the actors of `edges` (the Compare page's shared frame)."""
    return layout.positions(edges, names)


def assets() -> str | None:
    """The URL folder the app serves vis-network from (`figures.ASSETS` in dashboard/static/,
    Streamlit's static serving, on in .streamlit/config.toml), or None to inline it."""
    if not st.get_option("server.enableStaticServing"):
        return None
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/" if base else "/app/static/"


@st.cache_data(show_spinner=False, max_entries=32)
def _page(edges: pd.DataFrame, names: dict, height: int, colours: dict, focus: str | None,
          assets_url: str | None, type_scale: float, links: dict | None,
          reference: dict | None) -> str:
    return figures.network_html(edges, names, height, blocs=colours, focus=focus,
                                assets=assets_url, type_scale=type_scale,
                                clickable=links is not None, links=links, reference=reference)


def draw(edges: pd.DataFrame, names: dict[str, str], height: int, *,
         bloc_of: dict[str, int] | None = None, focus: str | None = None,
         alt: str = "Network of actors: lines show alliance and hostility between them",
         type_scale: float = 1.0, links: dict[str, str] | None = None,
         reference: dict[str, tuple[float, float]] | None = None) -> None:
    """Draw the network, laid out from the store's map `reference` (`store_map`); with
    `links` (actor -> the label the app's widgets write in the address bar), a click on an
    actor focuses it and a click on a line opens its pair."""
    shown = set(layout.actor_ids(edges))
    colours = {a: b for a, b in (bloc_of or {}).items() if a in shown}
    names_shown = {a: names.get(a, a) for a in shown}
    page = _page(edges.reset_index(drop=True), names_shown, height, colours, focus, assets(),
                 type_scale, {a: links.get(a, a) for a in shown} if links else None,
                 {a: p for a, p in (reference or {}).items() if a in shown} or None)
    st.iframe(page, height=height, alt=alt)
