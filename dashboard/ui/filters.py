"""The global filters: one sidebar drawn by `app.py` before every page, so a choice made on one
page holds on all of them, and every widget bound to the URL (see `dashboard.ui.urlstate`).

Widget keys are the parameter names. Streamlit writes the *displayed* option into the URL
(`?rel=Condemnation&actor=United+States`), which keeps links readable; actor labels are made
unique so a link cannot be ambiguous. Defaults (all dates, both stances, all relation types,
all actors, weight 1, every publisher and annotator, any confidence) are left out of the URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import palette, queries
from dashboard.marking import md
from dashboard.queries import Filters
from dashboard.ui import urlstate
from dashboard.ui.connection import StoreIdentity, fetch
from dashboard.ui.urlstate import BIND, STANCES

DATES, STANCE, RELATIONS, ACTORS, MIN_WEIGHT = "dates", "stance", "rel", "actor", "minw"
PUBLISHERS, ANNOTATORS, CONFIDENCE, EVENTS = "pub", "ann", "conf", "event"
_BOUNDS_SEEN = "_atlas_date_bounds"
_RUN = "_atlas_run"


@dataclass(frozen=True)
class Run:
    """What app.py computed this run for the page: the store, the filters (None when the
    choice cannot match anything, with `problem` saying why) and display names."""

    identity: StoreIdentity
    filters: Filters | None
    names: dict[str, str]
    labels: dict[str, str]
    context: urlstate.Context
    problem: str = ""


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
    urlstate.keep_valid(ACTORS, actor_ids, [])


def actor_labels(actors: pd.DataFrame) -> dict[str, str]:
    """id -> display name, with the id appended where two actors share a name."""
    counts = actors["name"].value_counts()
    return {a: n if counts[n] == 1 else f"{n} ({a})"
            for a, n in zip(actors["id"], actors["name"], strict=True)}


def context(identity: StoreIdentity) -> urlstate.Context:
    """The store facts that decoding a link needs (cached queries, cheap)."""
    bounds = fetch(queries.date_bounds(), identity).iloc[0]
    actors = fetch(queries.actors_in_edges(), identity)
    return urlstate.Context(
        actor_labels=actor_labels(actors),
        first=_as_date(bounds["first_date"]), last=_as_date(bounds["last_date"]),
        publishers=tuple(fetch(queries.publisher_list(), identity)["publisher"]),
        annotators=tuple(str(a) for a in fetch(queries.annotator_list(), identity)
                         ["annotator"]))


def reset(ctx: urlstate.Context) -> None:
    for param in urlstate.GLOBAL_PARAMS:
        st.session_state[param.key] = param.default(ctx)


def sidebar(identity: StoreIdentity, page: str = "") -> Run:
    """Draw the filters in the sidebar; what they describe. A link's values for `page`'s
    own widgets are read here too, with the filters', so that a link written in other words
    costs at most one extra run to put into the address bar as the widgets write it."""
    ctx = context(identity)
    first, last = ctx.first, ctx.last
    labels = dict(ctx.actor_labels)
    actors = fetch(queries.actors_in_edges(), identity)
    names = dict(zip(actors["id"], actors["name"], strict=True))
    _follow_store(first, last, list(labels))
    urlstate.keep_valid(PUBLISHERS, ctx.publishers, [])
    urlstate.keep_valid(ANNOTATORS, ctx.annotators, [])
    urlstate.start_from_link(urlstate.params_of(page), ctx)
    with st.sidebar:
        st.subheader("Filters")
        picked = st.date_input("Dates", value=(first, last), min_value=first,
                               max_value=last, format="YYYY-MM-DD", key=DATES, bind=BIND,
                               help="Events dated inside this range (inclusive).")
        stances = st.pills("Stance", list(STANCES), selection_mode="multi",
                           default=list(STANCES), format_func=urlstate.stance_label,
                           key=STANCE, bind=BIND,
                           help="Cooperative relations are teal/green and solid; hostile ones "
                                "orange/red and dashed.")
        relations = st.multiselect(
            "Relation types", list(palette.LEGEND_ORDER), default=list(palette.LEGEND_ORDER),
            format_func=palette.label, key=RELATIONS, bind=BIND)
        chosen = st.multiselect(
            "Actors", list(labels), format_func=labels.__getitem__, key=ACTORS, bind=BIND,
            placeholder="All actors",
            help="Show only edges that involve at least one of these actors.")
        min_weight = st.number_input(
            "Minimum articles per edge", min_value=1, value=1, step=1, key=MIN_WEIGHT,
            bind=BIND, help="Hide edges reported by fewer articles than this.")
        narrowed = any(st.session_state.get(k)
                       for k in (PUBLISHERS, ANNOTATORS, CONFIDENCE, EVENTS))
        with st.expander("Sources and confidence", expanded=bool(narrowed)):
            pubs = st.multiselect("Publishers", list(ctx.publishers), key=PUBLISHERS,
                                  bind=BIND, placeholder="All publishers")
            anns = st.multiselect("Annotator", list(ctx.annotators), key=ANNOTATORS,
                                  bind=BIND, format_func=urlstate.annotator_label,
                                  placeholder="Human and automatic",
                                  help="Who stated the relation: a person (human), the "
                                       "automatic annotator (auto) or a person who checked "
                                       "it (reviewed).")
            confidence = st.slider("Minimum confidence", 0.0, 1.0, value=0.0, step=0.05,
                                   key=CONFIDENCE, bind=BIND,
                                   help="Leave out relations annotated with less confidence. "
                                        "Automatic edges at 0.8 or more were stated directly "
                                        "(right 9 times in 10 on held-out news sentences); "
                                        "lower ones were inferred through a pronoun, a "
                                        "speaker, an earlier sentence or reported speech. "
                                        "Hand annotations are 1.0.")
            events = st.multiselect(
                "Event types", list(urlstate.EVENT_TYPES), key=EVENTS, bind=BIND,
                format_func=str.capitalize, placeholder="All event types",
                help="PLOVER event types (docs/taxonomy.md): what kind of event each relation "
                     "reports, as the automatic annotator and GDELT record it. Relations that "
                     "record none (most hand annotations) are left out once a type is chosen.")
        st.button("Reset filters", on_click=reset, args=(ctx,), icon=":material/restart_alt:",
                  width="stretch")
    return _run(identity, ctx, names, {
        DATES: picked, STANCE: stances, RELATIONS: relations, ACTORS: chosen,
        MIN_WEIGHT: min_weight, PUBLISHERS: pubs, ANNOTATORS: anns, CONFIDENCE: confidence,
        EVENTS: events})


def _run(identity: StoreIdentity, ctx: urlstate.Context, names: dict[str, str],
         values: dict) -> Run:
    """The filters that widget `values` (by key) describe."""
    first, last = ctx.first, ctx.last
    picked, stances, relations = values[DATES], values[STANCE], values[RELATIONS]
    start = picked[0] if picked else first
    end = picked[1] if isinstance(picked, tuple | list) and len(picked) > 1 else last
    run = Run(identity, None, names, dict(ctx.actor_labels), ctx)
    if not relations:
        return _with_problem(run, "No relation type is selected: pick at least one in the "
                                  "sidebar.")
    if not stances:
        return _with_problem(run, "No stance is selected: pick cooperative, hostile or "
                                  "both in the sidebar.")
    filters = Filters(
        date_from=None if start <= first else start,
        date_to=None if end >= last else end,
        relations=() if set(relations) == set(palette.LEGEND_ORDER) else tuple(
            r for r in palette.LEGEND_ORDER if r in relations),
        stances=() if set(stances) == set(STANCES) else tuple(stances),
        actors=tuple(values[ACTORS]), min_weight=int(values[MIN_WEIGHT]),
        publishers=tuple(values[PUBLISHERS]), annotators=tuple(values[ANNOTATORS]),
        min_confidence=round(float(values[CONFIDENCE]), 2),
        events=tuple(values.get(EVENTS, ())))
    if not filters.effective_relations():
        return _with_problem(run, "The chosen stance and relation types exclude each other "
                                  "(for example hostile relations with only cooperative "
                                  "types): widen one of them in the sidebar.")
    return Run(identity, filters, names, dict(ctx.actor_labels), ctx)


def _with_problem(run: Run, problem: str) -> Run:
    return Run(run.identity, None, run.names, run.labels, run.context, problem)


def remember(run: Run | None) -> None:
    st.session_state[_RUN] = run


def current() -> Run | None:
    return st.session_state.get(_RUN)


def describe(filters: Filters, names: dict[str, str]) -> str:
    """One line of Markdown saying what the view is restricted to, for captions (names from
    the data escaped)."""
    parts = []
    if filters.date_from or filters.date_to:
        parts.append(f"{filters.date_from or 'start'} to {filters.date_to or 'latest'}")
    if filters.stances:
        parts.append(" and ".join(filters.stances))
    if filters.relations:
        parts.append(", ".join(palette.label(r).lower() for r in filters.relations))
    if filters.actors:
        parts.append("involving " + ", ".join(md(names.get(a, a)) for a in filters.actors))
    if filters.min_weight > 1:
        parts.append(f"at least {filters.min_weight} articles per edge")
    if filters.publishers:
        parts.append("from " + ", ".join(md(p) for p in filters.publishers))
    if filters.annotators:
        parts.append("annotated by " + ", ".join(md(a) for a in filters.annotators))
    if filters.min_confidence > 0:
        parts.append(f"confidence \u2265 {filters.min_confidence:.2f}")
    if filters.events:
        parts.append("events: " + ", ".join(filters.events))
    return "; ".join(parts) if parts else "all events"


WIDEN = ("Widen the dates, add relation types, stances or actors, lower the minimum number of "
         "articles or confidence, or clear the publisher and annotator choice in the sidebar.")
