"""The filter sidebar. Every widget is bound to a URL query parameter (`bind="query-params"`),
so the address bar always reproduces the view and a shared link opens the same picture.

Widget keys are the parameter names: `dates`, `rel`, `actor`, `minw`. Streamlit writes the
*displayed* option into the URL (`?rel=Condemnation&actor=United+States`), which keeps links
readable; actor labels are made unique so a link cannot be ambiguous. Defaults (all dates, all
relation types, all actors, weight 1) are left out of the URL, so a plain link follows the
store as new articles arrive.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import palette, queries
from dashboard.queries import Filters
from dashboard.ui.connection import StoreIdentity, fetch

DATES, RELATIONS, ACTORS, MIN_WEIGHT = "dates", "rel", "actor", "minw"
_BIND = "query-params"
_BOUNDS_SEEN = "_atlas_date_bounds"


def _as_date(value) -> dt.date:
    return pd.Timestamp(value).date()


def _follow_store(first: dt.date, last: dt.date, actor_ids: list[str]) -> None:
    """Adapt remembered widget values to a store that an ingest has changed."""
    state = st.session_state
    dates = state.get(DATES)
    if isinstance(dates, tuple | list) and dates:
        lo, hi = dates[0], dates[-1]
        # A range that reached the old first or last event keeps reaching the new one: an
        # analyst who never narrowed the dates expects new articles to show up.
        seen = state.get(_BOUNDS_SEEN)
        if seen and seen != (first, last):
            lo = first if lo == seen[0] else lo
            hi = last if hi == seen[1] else hi
        # Streamlit rejects a remembered value outside the widget's new min/max.
        clamped = (min(max(lo, first), last), min(max(hi, first), last))
        if clamped != tuple(dates):
            state[DATES] = clamped
    state[_BOUNDS_SEEN] = (first, last)
    chosen = state.get(ACTORS)
    if isinstance(chosen, list) and any(a not in actor_ids for a in chosen):
        state[ACTORS] = [a for a in chosen if a in actor_ids]


def actor_labels(actors: pd.DataFrame) -> dict[str, str]:
    """id -> display name, with the id appended where two actors share a name."""
    counts = actors["name"].value_counts()
    return {a: n if counts[n] == 1 else f"{n} ({a})"
            for a, n in zip(actors["id"], actors["name"], strict=True)}


def _reset(first: dt.date, last: dt.date) -> None:
    st.session_state[DATES] = (first, last)
    st.session_state[RELATIONS] = list(palette.LEGEND_ORDER)
    st.session_state[ACTORS] = []
    st.session_state[MIN_WEIGHT] = 1


def sidebar_filters(identity: StoreIdentity) -> Filters | None:
    """Draw the filters; the `Filters` they describe, or None (with a message) if the
    choice cannot match anything."""
    bounds = fetch(queries.date_bounds(), identity).iloc[0]
    first, last = _as_date(bounds["first_date"]), _as_date(bounds["last_date"])
    actors = fetch(queries.actors_in_edges(), identity)
    ids = actors["id"].tolist()
    labels = actor_labels(actors)
    _follow_store(first, last, ids)

    with st.sidebar:
        st.subheader("Filters")
        picked = st.date_input("Dates", value=(first, last), min_value=first,
                               max_value=last, format="YYYY-MM-DD", key=DATES, bind=_BIND,
                               help="Events dated inside this range (inclusive).")
        relations = st.multiselect(
            "Relation types", list(palette.LEGEND_ORDER), default=list(palette.LEGEND_ORDER),
            format_func=palette.label, key=RELATIONS, bind=_BIND,
            help="Cooperative types are teal/green, hostile ones orange/red and dashed.")
        chosen = st.multiselect(
            "Actors", ids, format_func=labels.__getitem__, key=ACTORS, bind=_BIND,
            placeholder="All actors",
            help="Show only edges that involve at least one of these actors.")
        min_weight = st.number_input(
            "Minimum articles per edge", min_value=1, value=1, step=1, key=MIN_WEIGHT,
            bind=_BIND, help="Hide edges reported by fewer articles than this.")
        st.button("Reset filters", on_click=_reset, args=(first, last),
                  icon=":material/restart_alt:")
        st.caption("The address bar holds these filters: copy it to share this view.")

    if not relations:
        st.info("No relation type is selected: pick at least one in the sidebar.",
                icon=":material/filter_alt_off:")
        return None
    start = picked[0] if picked else first
    end = picked[1] if isinstance(picked, tuple | list) and len(picked) > 1 else last
    return Filters(
        date_from=None if start <= first else start,
        date_to=None if end >= last else end,
        relations=() if set(relations) == set(palette.LEGEND_ORDER) else tuple(
            r for r in palette.LEGEND_ORDER if r in relations),
        actors=tuple(chosen),
        min_weight=int(min_weight))


def describe(filters: Filters, names: dict[str, str]) -> str:
    """One line saying what the view is restricted to, for captions."""
    parts = []
    if filters.date_from or filters.date_to:
        parts.append(f"{filters.date_from or 'start'} to {filters.date_to or 'latest'}")
    if filters.relations:
        parts.append(", ".join(palette.label(r).lower() for r in filters.relations))
    if filters.actors:
        parts.append("involving " + ", ".join(names.get(a, a) for a in filters.actors))
    if filters.min_weight > 1:
        parts.append(f"at least {filters.min_weight} articles per edge")
    return "; ".join(parts) if parts else "all events"
