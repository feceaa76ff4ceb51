"""The URL query parameters of every page, their defaults, and how a saved query string turns
back into widget values.

Widgets are bound to the URL with `bind="query-params"`: Streamlit writes each widget's
displayed value into the address bar (`?rel=Condemnation&actor=United+States`) and seeds the
widget from it when a link is opened. Streamlit cannot re-seed widgets that already exist in a
session, though, so stepping to a saved view (a bookmark) sets the widget values itself: this
module parses the saved query string with the same option labels the widgets display. Defaults
are left out of the URL, so a plain link follows the store as new articles arrive.

Parameters (page-level ones only on their page):

    everywhere  dates stance rel actor minw pub ann conf present
    network     focus steps budget edge
    timeline    freq pair who
    actor       who
    compare     pa pb
    articles    q full article
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard import palette
from dashboard import view_settings as settings
from dashboard.errors import FilterError
from dashboard.export.view import resolve_actor
from dashboard.marking import md
from dashboard.taxonomy import EventType, Stance
from dashboard.view_settings import BUDGETS, DEFAULT_BUDGET

BIND = "query-params"
_UNKNOWN = "_atlas_unknown_link_values"  # values a saved view had that the store lacks

# Page url paths (what a bookmark stores) and the files st.navigation knows them by.
PAGE_FILES = {
    "network": "views/network.py", "timeline": "views/timeline.py",
    "actor": "views/actor.py", "blocs": "views/blocs.py", "compare": "views/compare.py",
    "articles": "views/articles.py", "treaties": "views/treaties.py", "data": "views/data.py",
    "annotate": "views/annotate.py",
}
DEFAULT_PAGE = "network"

STANCES = tuple(s.value for s in Stance)
EVENT_TYPES = tuple(e.value for e in EventType)
FREQS = ("week", "month")
STEPS = (1, 2)
PRESENT = "present"
ARTICLE = "article"
UNBOUND = (PRESENT, ARTICLE)


def stance_label(stance: str) -> str:
    return stance.capitalize()


def freq_label(freq: str) -> str:
    return {"week": "Per week", "month": "Per month"}.get(freq, freq)


def steps_label(steps: int) -> str:
    return "1 step" if steps == 1 else f"{steps} steps"


def annotator_label(annotator: str) -> str:
    return str(annotator).capitalize()


def pair_key(a: str, b: str) -> str:
    """An unordered pair of actor ids as one option value."""
    return "|".join(sorted((a, b)))


def split_pair(key: str) -> tuple[str, str]:
    a, _, b = key.partition("|")
    return a, b


PAIR_SEPARATOR = settings.PAIR_SEPARATOR


@dataclass
class Context:
    """What decoding needs from the store: actor labels, the date span, the choices."""

    actor_labels: Mapping[str, str] = field(default_factory=dict)
    first: dt.date = dt.date(2000, 1, 1)
    last: dt.date = dt.date(2000, 1, 1)
    publishers: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()

    def pair_label(self, key: str) -> str:
        """ "North Korea — United States": the two actors' labels in alphabetical order."""
        a, b = split_pair(key)
        return PAIR_SEPARATOR.join(sorted((self.actor_labels.get(a, a),
                                           self.actor_labels.get(b, b)), key=str.lower))

    def halves(self) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
        """Default comparison periods: the first and the second half of the data."""
        mid = self.first + (self.last - self.first) // 2
        return (self.first, mid), (min(mid + dt.timedelta(days=1), self.last), self.last)


@dataclass(frozen=True)
class Param:
    key: str
    kind: str  # dates, many, one, int, float, text, bool
    choices: Callable[[Context], Mapping[str, Any]] | None = None
    default: Callable[[Context], Any] = lambda ctx: None
    bounds: tuple[float, float] | None = None


def _actors(ctx: Context) -> Mapping[str, Any]:
    return _ActorChoices(ctx)


class _ActorChoices(Mapping):
    """Decodes what `alliance-atlas resolve` and the exports accept (an id, a display label,
    a registry name or alias such as 'DPRK') to an actor id of the store, without listing
    every alias."""

    def __init__(self, ctx: Context) -> None:
        self.labels = ctx.actor_labels

    def __getitem__(self, text: str) -> str:
        try:
            return resolve_actor(str(text), self.labels)
        except FilterError:
            raise KeyError(text) from None

    def __contains__(self, text) -> bool:
        try:
            self[text]
        except KeyError:
            return False
        return True

    def __iter__(self):
        return iter(self.labels)

    def __len__(self) -> int:
        return len(self.labels)


def _relations(ctx: Context) -> dict[str, Any]:
    return {**{r: r for r in palette.LEGEND_ORDER},
            **{palette.label(r): r for r in palette.LEGEND_ORDER}}


def _pairs(ctx: Context) -> Mapping[str, Any]:
    return _PairChoices(ctx)


class _PairChoices(Mapping):
    """Decodes "United States — Russia" (or "RUS|USA") to a pair key without listing every
    pair of actors."""

    def __init__(self, ctx: Context) -> None:
        self.actors = _actors(ctx)

    def __getitem__(self, label: str) -> str:
        if PAIR_SEPARATOR in label:
            a, _, b = label.partition(PAIR_SEPARATOR)
        else:
            a, _, b = label.partition("|")
        if a in self.actors and b in self.actors and self.actors[a] != self.actors[b]:
            return pair_key(self.actors[a], self.actors[b])
        raise KeyError(label)

    def __contains__(self, label) -> bool:
        try:
            self[label]
        except KeyError:
            return False
        return True

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0


GLOBAL_PARAMS = (
    Param("dates", "dates", default=lambda ctx: (ctx.first, ctx.last)),
    Param("stance", "many", lambda ctx: {**{s: s for s in STANCES},
                                          **{stance_label(s): s for s in STANCES}},
          lambda ctx: list(STANCES)),
    Param("rel", "many", _relations, lambda ctx: list(palette.LEGEND_ORDER)),
    Param("actor", "many", _actors, lambda ctx: []),
    Param("minw", "int", default=lambda ctx: 1, bounds=(1, 1_000_000)),
    Param("pub", "many", lambda ctx: {p: p for p in ctx.publishers}, lambda ctx: []),
    Param("ann", "many", lambda ctx: {**{a: a for a in ctx.annotators},
                                       **{annotator_label(a): a for a in ctx.annotators}},
          lambda ctx: []),
    Param("conf", "float", default=lambda ctx: 0.0, bounds=(0.0, 1.0)),
    Param("event", "many", lambda ctx: {**{e: e for e in EVENT_TYPES},
                                         **{e.capitalize(): e for e in EVENT_TYPES}},
          lambda ctx: []),
)

PAGE_PARAMS: dict[str, tuple[Param, ...]] = {
    "network": (
        Param("focus", "one", _actors),
        Param("steps", "one", lambda ctx: {**{str(s): s for s in STEPS},
                                           **{steps_label(s): s for s in STEPS}},
              lambda ctx: 1),
        Param("budget", "one", lambda ctx: {str(b): b for b in BUDGETS},
              lambda ctx: DEFAULT_BUDGET),
        Param("edge", "one", _pairs),
    ),
    "timeline": (
        Param("freq", "one", lambda ctx: {**{f: f for f in FREQS},
                                          **{freq_label(f): f for f in FREQS}},
              lambda ctx: "month"),
        Param("pair", "many", _actors, lambda ctx: []),
        Param("who", "one", _actors),
    ),
    "actor": (Param("who", "one", _actors),),
    "compare": (
        Param("pa", "dates", default=lambda ctx: ctx.halves()[0]),
        Param("pb", "dates", default=lambda ctx: ctx.halves()[1]),
    ),
    "articles": (Param("q", "text", default=lambda ctx: ""),
                 Param("full", "bool", default=lambda ctx: False)),
}


def _date(text: str) -> dt.date | None:
    try:
        return pd.Timestamp(text).date()
    except (ValueError, TypeError):
        return None


def clamp_dates(values, ctx: Context, default: tuple[dt.date, dt.date]
                ) -> tuple[dt.date, dt.date]:
    dates = [d for d in (v if isinstance(v, dt.date) else _date(v) for v in values) if d]
    if not dates:
        return default
    lo, hi = min(dates), max(dates)
    lo = min(max(lo, ctx.first), ctx.last)
    hi = min(max(hi, ctx.first), ctx.last)
    return (lo, hi) if lo <= hi else default


def decode(param: Param, values: list[str] | None, ctx: Context,
           unknown: list[tuple[str, str]] | None = None) -> Any:
    """The widget value a URL's `values` of `param` stand for; the default when absent or
    not understood (a stale or hand-edited link never breaks the page). Each value not
    understood is added to `unknown` as (parameter, value), for a warning."""
    default = param.default(ctx)
    if not values:
        return default
    if unknown is not None:
        unknown.extend((param.key, v) for v in _not_understood(param, values, ctx))
    try:
        if param.kind == "dates":
            return clamp_dates(values, ctx, default)
        if param.kind == "many":
            choices = param.choices(ctx)
            picked = []
            for v in values:
                if v in choices and choices[v] not in picked:
                    picked.append(choices[v])
            return picked or default
        if param.kind == "one":
            choices = param.choices(ctx)
            return choices[values[-1]] if values[-1] in choices else default
        if param.kind == "int":
            lo, hi = param.bounds
            return int(min(max(int(float(values[-1])), lo), hi))
        if param.kind == "float":
            lo, hi = param.bounds
            return float(min(max(float(values[-1]), lo), hi))
        if param.kind == "bool":
            return values[-1].lower() in ("true", "1", "yes")
        return str(values[-1])
    except (KeyError, ValueError, TypeError):
        return default


def _not_understood(param: Param, values: list[str], ctx: Context) -> list[str]:
    if param.kind in ("many", "one"):
        choices = param.choices(ctx)
        shown = values if param.kind == "many" else values[-1:]
        return [v for v in shown if v not in choices]
    if param.kind == "dates":
        return [v for v in values if _date(v) is None]
    if param.kind in ("int", "float"):
        try:
            float(values[-1])
        except ValueError:
            return values[-1:]
    return []


def unknown_warning(unknown: list[tuple[str, str]]) -> str:
    """The values of a link that the store does not have, named, as Markdown safe for
    `st.warning` (values from a URL are untrusted)."""
    parts = [f"**{p}** = {md(v[:80])}" for p, v in unknown]
    return ("This link asks for what this store does not have, so it was left out: "
            + "; ".join(parts) + ".")


def warn_unknown(unknown: list[tuple[str, str]]) -> None:
    if unknown:
        st.warning(unknown_warning(unknown), icon=":material/link_off:")


def params_of(page: str) -> tuple[Param, ...]:
    return GLOBAL_PARAMS + PAGE_PARAMS.get(page, ())


def parse(query: str) -> dict[str, list[str]]:
    return parse_qs(query.lstrip("?"), keep_blank_values=False)


def current_query(exclude: tuple[str, ...] = (PRESENT,)) -> str:
    """The address bar's query string as it is now (without the presenter flag)."""
    items = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)
             if k not in exclude]
    return urlencode(items)


def apply(page: str, query: str, ctx: Context) -> dict[str, list[str]]:
    """Set every widget of the global filters and of `page` to what `query` says (defaults
    for what it leaves out). Must run in a callback, before the widgets are drawn. Returns
    the query's other parameters (not bound to widgets), for the URL."""
    values = parse(query)
    unknown: list[tuple[str, str]] = []
    shown: dict[str, list[str]] = {}
    for param in params_of(page):
        value = decode(param, values.get(param.key), ctx, unknown)
        st.session_state[param.key] = value
        if value != param.default(ctx):
            shown[param.key] = encode(param, value, ctx)
    st.session_state[_UNKNOWN] = unknown
    known = {p.key for p in params_of(page)} | {PRESENT}
    # The address bar gets the whole view: the widgets' values as they write them, and the
    # query's other parameters.
    return {**shown, **{k: v for k, v in values.items() if k not in known}}


def start_from_link(params: tuple[Param, ...], ctx: Context) -> None:
    """On a session's first run, before `params`' widgets are drawn: give them the link's
    values, decoded as a saved view's are (labels or ids, dates clamped to the store), where
    Streamlit on its own would drop what it does not recognise."""
    state = st.session_state
    unknown: list[tuple[str, str]] = state.pop(_UNKNOWN, [])
    rewritten = False
    for param in params:
        if param.key not in state:
            given = st.query_params.get_all(param.key)
            state[param.key] = decode(param, given, ctx, unknown)
            if given:
                rewritten |= _write_back(param, state[param.key], given, ctx)
    if rewritten:
        # Once more with the address bar as the widgets write it: Streamlit reads a bound
        # widget's parameter as the page opened, so it would drop the values written the
        # link's way. The warning waits for that run.
        state[_UNKNOWN] = unknown
        st.rerun()
    warn_unknown(unknown)


def encode(param: Param, value: Any, ctx: Context) -> list[str]:
    """The address bar's values for a widget value, as the widget writes them (labels, not
    ids), so that a link written another way ('DPRK', 'hostile', 'steps=2') keeps its view
    in the address bar."""
    if value is None or value == [] or value == "":
        return []
    actor = ctx.actor_labels.get
    one = {"focus": lambda v: actor(v, v), "who": lambda v: actor(v, v),
           "steps": steps_label, "budget": str, "freq": freq_label,
           "edge": ctx.pair_label}
    many = {"stance": stance_label, "rel": palette.label, "actor": lambda v: actor(v, v),
            "pair": lambda v: actor(v, v), "pub": str, "ann": annotator_label}
    if param.kind == "dates":
        return [d.isoformat() for d in value]
    if param.kind == "many":
        return [many.get(param.key, str)(v) for v in value]
    if param.kind == "one":
        return [one.get(param.key, str)(value)]
    if param.kind == "bool":
        return ["true" if value else "false"]
    return [str(value)]


def _write_back(param: Param, value: Any, given: list[str], ctx: Context) -> bool:
    """Before the widget exists: put the link's value back in the address bar as the widget
    writes it. Streamlit drops a bound parameter it cannot read as one of the widget's
    labels, and does not write a value that came from the session instead."""
    wanted = [] if value == param.default(ctx) else encode(param, value, ctx)
    if wanted == given:
        return False
    try:
        if wanted:
            st.query_params[param.key] = wanted
        else:
            del st.query_params[param.key]
    except (StreamlitAPIException, KeyError):
        return False  # bound to a widget already drawn in this run: the widget writes it
    return True


def hold_page_state(page: str) -> None:
    """Keep the values of `page`'s own widgets through a run that ends before drawing them
    (a page whose filters match nothing ends early): Streamlit forgets the value of a widget
    that a finished run did not draw, and the analyst who widens the filters again expects
    the same focus, actor or periods. Setting a key before its widget exists keeps it."""
    for param in PAGE_PARAMS.get(page, ()):
        if param.key in st.session_state:
            st.session_state[param.key] = st.session_state[param.key]


def keep_valid(key: str, options, default) -> None:
    """Before a widget is drawn: replace a remembered value (from the URL, a bookmark or an
    earlier run) that is no longer among its options, which Streamlit would reject."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    allowed = set(options)
    if isinstance(value, list):
        kept = [v for v in value if v in allowed]
        if kept != value:
            st.session_state[key] = kept if kept or not default else default
    elif value is not None and value not in allowed:
        st.session_state[key] = default


def link_params(**extra) -> dict[str, list[str] | str]:
    """The global filters of the address bar plus `extra`, for a link to another page."""
    keep = {p.key for p in GLOBAL_PARAMS} | {PRESENT}
    out: dict[str, list[str] | str] = {k: st.query_params.get_all(k) for k in st.query_params
                                       if k in keep}
    out.update({k: v for k, v in extra.items() if v not in (None, "", [])})
    return out
