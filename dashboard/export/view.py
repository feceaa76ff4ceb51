"""What one export shows: `ExportView`, and `from_url` to rebuild it from an app address.

An `ExportView` is frozen and hashable, so the app can cache rendered bytes per view and the
CLI and the app can be checked to produce the same file for the same view.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from dashboard import palette
from dashboard.errors import AtlasError, FilterError
from dashboard.queries import Filters
from dashboard.taxonomy import EventType, RelationType
from dashboard.view_settings import DEFAULT_BUDGET, DEFAULT_STEPS

EVENT_TYPES = tuple(e.value for e in EventType)

FREQS = ("week", "month")

VIEWS = ("network", "timeline", "blocs", "compare", "pack")
IMAGE_FORMATS = ("png", "svg", "pdf")
GRAPH_FORMATS = ("csv", "json", "gexf", "graphml")
PACK_FORMATS = ("pptx", "zip")
# What each view can be exported as (the app shows one button per entry). Timeline and compare
# carry their table as CSV; graph files only make sense where a graph is drawn.
FORMATS: dict[str, tuple[str, ...]] = {
    "network": IMAGE_FORMATS + GRAPH_FORMATS + PACK_FORMATS,
    "blocs": IMAGE_FORMATS + GRAPH_FORMATS + PACK_FORMATS,
    "timeline": IMAGE_FORMATS + ("csv",) + PACK_FORMATS,
    "compare": IMAGE_FORMATS + ("csv",) + PACK_FORMATS,
    "pack": PACK_FORMATS,
}

# App page path (dashboard/ui/urlstate.py PAGE_FILES) -> view; "" is the default page.
PAGE_VIEWS = {"": "network", "overview": "network", "network": "network",
              "timeline": "timeline", "blocs": "blocs", "compare": "compare"}
# App parameters that change what the page does, not the picture: accepted silently.
UI_ONLY = {"present", "edge", "article", "q", "full"}


class UrlWarning(UserWarning):
    """A URL parameter the exporter does not know; it is ignored."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise FilterError(f"the period {self.start} to {self.end} is empty: its start is "
                              "after its end")

    @property
    def label(self) -> str:
        return f"{self.start} to {self.end}"

    @classmethod
    def parse(cls, text: str, what: str = "period") -> Period:
        """'2024-01-01:2024-06-30' (also with '..' or ',' between the dates)."""
        parts = [p.strip() for p in re.split(r"\.\.|:|,", text.strip()) if p.strip()]
        if len(parts) != 2:
            raise FilterError(f"{what} must be two dates FROM:TO (YYYY-MM-DD:YYYY-MM-DD), "
                              f"not {text!r}")
        return cls(_iso(parts[0], what), _iso(parts[1], what))


@dataclass(frozen=True)
class ExportView:
    view: str = "network"
    filters: Filters = field(default_factory=Filters)
    focus: str | None = None
    steps: int = DEFAULT_STEPS
    budget: int = DEFAULT_BUDGET
    period_a: Period | None = None
    period_b: Period | None = None
    title: str = ""
    freq: str = "month"  # the Timeline page's granularity
    pair: tuple[str, str] | None = None  # the Timeline page's pair chart
    who: str | None = None  # the Timeline page's actor chart

    def __post_init__(self) -> None:
        if self.freq not in FREQS:
            raise FilterError(f"unknown granularity {self.freq!r}: choose from "
                              f"{', '.join(FREQS)}")
        if self.pair is not None and (len(self.pair) != 2 or self.pair[0] == self.pair[1]):
            raise FilterError(f"a pair is two different actors, not {self.pair!r}")
        if self.view not in VIEWS:
            raise FilterError(f"unknown view {self.view!r}: choose from {', '.join(VIEWS)}")
        for name, low in (("steps", 1), ("budget", 2)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise FilterError(f"{name} must be a whole number of at least {low}, "
                                  f"not {value!r}")
        if (self.period_a is None) != (self.period_b is None):
            raise FilterError("a comparison needs both periods (period A and period B)")
        if self.view == "compare" and self.period_a is None:
            raise FilterError("the compare view needs two periods: give --period-a FROM:TO "
                              "and --period-b FROM:TO")

    @property
    def compared(self) -> bool:
        return self.period_a is not None

    def file_name(self, fmt: str, first: dt.date | None = None,
                  last: dt.date | None = None) -> str:
        """'alliance-atlas_network_Russia-2-steps_2024-06-01_2025-05-31_3f9a2c1b.png': what,
        who and when, and a short fingerprint of every other choice (relation types, stance,
        publishers, ...), so two different views never share a file name and a download
        never overwrites another view's. `first`/`last` stand in for open date ends."""
        what = "briefing" if fmt in PACK_FORMATS else self.view
        if self.view == "compare" and self.period_a and self.period_b:
            span = f"{self.period_a.start}_{self.period_a.end}_vs_{self.period_b.start}_" \
                   f"{self.period_b.end}"
        else:
            lo = self.filters.date_from or first
            hi = self.filters.date_to or last
            span = "_".join(str(d) for d in (lo, hi) if d) or "all-dates"
        parts = [what]
        if self.focus:
            parts.append(_slug(self.focus) + (f"-{self.steps}-steps" if self.steps > 1 else ""))
        if self.filters.stances:
            parts.append("-".join(self.filters.stances))
        if self.filters.relations and len(self.filters.relations) <= 2:
            parts.append("-".join(self.filters.relations))
        if self.view == "timeline" and self.freq != "month":
            parts.append(f"per-{self.freq}")
        parts.append(span)
        if self.fingerprint_short():
            parts.append(self.fingerprint_short())
        return f"alliance-atlas_{'_'.join(parts)}.{fmt}"

    def fingerprint(self) -> str:
        """Every choice of the view but the page, in one string."""
        return repr((self.filters, self.focus, self.steps, self.budget, self.period_a,
                     self.period_b, self.freq, self.pair, self.who, self.title))

    def fingerprint_short(self) -> str:
        """8 hex digits of `fingerprint`, '' for the default view (its name is plain)."""
        if self.fingerprint() == ExportView().fingerprint():
            return ""
        return hashlib.blake2b(self.fingerprint().encode(), digest_size=4).hexdigest()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] or "actor"


def _iso(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise FilterError(f"{what}: {text!r} is not a YYYY-MM-DD date") from None


def _int(values: list[str], name: str, low: int) -> int:
    try:
        value = int(values[-1])
    except ValueError:
        raise FilterError(f"URL parameter '{name}': {values[-1]!r} is not a whole number") \
            from None
    if value < low:
        raise FilterError(f"URL parameter '{name}' must be at least {low}, not {value}")
    return value


def _relation(text: str) -> str:
    """A relation value from its label ('Condemnation', as the app writes it) or value."""
    wanted = text.strip().lower()
    for r in RelationType:
        if wanted in (r.value.lower(), palette.label(r.value).lower()):
            return r.value
    choices = ", ".join(palette.label(r) for r in palette.LEGEND_ORDER)
    raise FilterError(f"URL parameter 'rel': unknown relation type {text!r} "
                      f"(choose from {choices})")


@functools.cache
def _registry():
    from dashboard.registry import Registry

    return Registry.load()


def resolve_actor(text: str, labels: Mapping[str, str], param: str = "actor") -> str:
    """An actor id from what `alliance-atlas resolve` accepts: an id, a display label,
    'Name (ID)', or a name or alias of the actor registry ('DPRK', 'Kremlin'), of an actor in
    `labels` (id -> display label, as `data.actor_labels` builds them the same way as the
    app's actor picker)."""
    text = text.strip()
    if text in labels:
        return text
    by_label = {label: a for a, label in labels.items()}
    if text in by_label:
        return by_label[text]
    folded = {label.casefold(): a for a, label in labels.items()}
    if text.casefold() in folded:
        return folded[text.casefold()]
    match = re.fullmatch(r".*\(([^()]+)\)\s*", text)
    if match and match.group(1) in labels:
        return match.group(1)
    try:
        actor = _registry().try_resolve(text)
    except AtlasError:  # a registry that cannot be read: the store's names still work
        actor = None
    if actor is not None and actor.id in labels:
        return actor.id
    raise FilterError(f"{param}: unknown actor {text!r}: no actor of that name or id takes "
                      "part in any relation in the store")


def _dates(values: list[str]) -> tuple[dt.date | None, dt.date | None]:
    parts = [p for v in values for p in re.split(r",|\.\.", v) if p.strip()]
    if not parts:
        return None, None
    if len(parts) > 2:
        raise FilterError(f"URL parameter 'dates' takes one or two dates, not {values!r}")
    days = [_iso(p, "URL parameter 'dates'") for p in parts]
    return days[0], days[-1]


def from_url(url: str, labels: Mapping[str, str] | None = None, *, view: str | None = None,
             title: str = "") -> ExportView:
    """The view an app address shows. `labels` (id -> display label) resolves the `actor` and
    `focus` parameters; without it they must be ids. The page path picks the view unless
    `view` is given. Unknown parameters are ignored with a `UrlWarning`; an invalid value is a
    `FilterError` naming its parameter."""
    parts = urlsplit(url.strip())
    params = parse_qs(parts.query, keep_blank_values=True)
    labels = labels if labels is not None else {}
    if view is None:
        page = parts.path.strip("/").split("/")[-1].lower() if parts.path.strip("/") else ""
        if page not in PAGE_VIEWS:
            warnings.warn(f"the page {page!r} has no export of its own: exporting the network",
                          UrlWarning, stacklevel=2)
        view = PAGE_VIEWS.get(page, "network")
    date_from = date_to = None
    relations: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    min_weight, steps, budget = 1, DEFAULT_STEPS, DEFAULT_BUDGET
    focus = who = None
    freq = "month"
    pair: tuple[str, str] | None = None
    periods: dict[str, Period] = {}
    stances: tuple[str, ...] = ()
    extra: dict = {}
    for name, values in params.items():
        if name == "dates":
            date_from, date_to = _dates(values)
        elif name == "rel":
            picked = [v for v in values if v != ""]
            if not picked:
                raise FilterError("URL parameter 'rel': no relation type is selected")
            chosen = {_relation(v) for v in picked}
            # All types selected is the same view as no restriction: keep the filter empty
            # as the app does, so the caption does not list every type.
            if chosen != set(palette.LEGEND_ORDER):
                relations = tuple(r for r in palette.LEGEND_ORDER if r in chosen)
        elif name == "actor":
            actors = tuple(resolve_actor(v, labels, "URL parameter 'actor'")
                           for v in values if v != "")
        elif name == "minw":
            min_weight = _int(values, name, 1)
        elif name == "focus":
            if values[-1] != "":
                focus = resolve_actor(values[-1], labels, "URL parameter 'focus'")
        elif name == "steps":
            steps = _int(values, name, 1)
        elif name == "freq":
            freq = values[-1].strip().lower() or "month"
            if freq not in FREQS:
                raise FilterError(f"URL parameter 'freq': unknown granularity {values[-1]!r} "
                                  f"(choose from {', '.join(FREQS)})")
        elif name == "pair":
            picked = [resolve_actor(v, labels, "URL parameter 'pair'") for v in values if v]
            if len(picked) == 2 and picked[0] != picked[1]:
                pair = (picked[0], picked[1])
            elif picked:
                raise FilterError("URL parameter 'pair' takes two different actors, not "
                                  f"{values!r}")
        elif name == "who":
            if values[-1] != "":
                who = resolve_actor(values[-1], labels, "URL parameter 'who'")
        elif name == "budget":
            budget = _int(values, name, 2)
        elif name in ("pa", "pb"):
            periods["a" if name == "pa" else "b"] = _period(values, name)
        elif name == "stance":
            stances = tuple(_stance(v) for v in values if v != "")
        elif name == "pub":
            extra["publishers"] = tuple(v for v in values if v != "")
        elif name == "ann":
            extra["annotators"] = tuple(v.lower() for v in values if v != "")
        elif name == "conf":
            extra["min_confidence"] = _float(values, name)
        elif name == "event":
            extra["events"] = tuple(v.strip().lower() for v in values if v.strip())
            unknown = [e for e in extra["events"] if e not in EVENT_TYPES]
            if unknown:
                raise FilterError(f"URL parameter 'event': unknown event type {unknown[0]!r} "
                                  f"(choose from {', '.join(EVENT_TYPES)})")
        elif name in UI_ONLY:
            continue
        else:
            warnings.warn(f"URL parameter {name!r} is not used by exports: ignored",
                          UrlWarning, stacklevel=2)
    if stances and set(stances) != {"cooperative", "hostile"}:
        extra["stances"] = stances
    if extra and not set(extra) <= set(Filters.__dataclass_fields__):
        unknown = ", ".join(sorted(set(extra) - set(Filters.__dataclass_fields__)))
        raise FilterError(f"this version's filters cannot apply {unknown}")
    try:
        filters = Filters(date_from=date_from, date_to=date_to, relations=relations,
                          actors=actors, min_weight=min_weight, **extra)
    except FilterError as exc:
        raise FilterError(f"URL parameter 'dates': {exc}") from None
    return ExportView(view=view, filters=filters, focus=focus, steps=steps, budget=budget,
                      period_a=periods.get("a"), period_b=periods.get("b"), title=title,
                      freq=freq, pair=pair, who=who)


def _period(values: list[str], name: str) -> Period:
    """`pa`/`pb`: two dates as the app writes them (repeated), or one FROM:TO value."""
    what = f"URL parameter '{name}'"
    parts = [v for v in values if v != ""]
    if len(parts) == 1:
        return Period.parse(parts[0], what)
    if len(parts) != 2:
        raise FilterError(f"{what} takes two dates, not {values!r}")
    return Period(_iso(parts[0], what), _iso(parts[1], what))


def _stance(text: str) -> str:
    wanted = text.strip().lower()
    if wanted in ("cooperative", "hostile"):
        return wanted
    raise FilterError(f"URL parameter 'stance': unknown stance {text!r} (Cooperative or "
                      "Hostile)")


def _float(values: list[str], name: str) -> float:
    try:
        value = float(values[-1])
    except ValueError:
        raise FilterError(f"URL parameter '{name}': {values[-1]!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise FilterError(f"URL parameter '{name}' must be between 0 and 1, not {value}")
    return value


def _list(items: list[str], joiner: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def describe(view: ExportView, names: Mapping[str, str]) -> str:
    """Every filter of the view in words, for captions: 'hostile relations: sanction and
    threat · involving Russia · within 2 steps of Ukraine · from Reuters · ...'. Each filter
    the view sets is named; the defaults read 'all relation types'."""
    f = view.filters
    parts = []
    stance = ""
    if f.stances and set(f.stances) != {"cooperative", "hostile"}:
        stance = _list(list(f.stances), "or") + " "
    if f.relations:
        parts.append(f"{stance}relations: "
                     + _list([palette.label(r).lower() for r in f.relations], "or"))
    else:
        parts.append(f"all {stance}relation types")
    if f.actors:
        parts.append("involving " + _list([names.get(a, a) for a in f.actors], "or"))
    if view.focus:
        hops = "step" if view.steps == 1 else "steps"
        parts.append(f"within {view.steps} {hops} of {names.get(view.focus, view.focus)}")
    if f.publishers:
        parts.append("from " + _list(list(f.publishers), "or"))
    if f.annotators:
        parts.append("annotated by " + _list(list(f.annotators), "or"))
    if f.min_confidence > 0:
        parts.append(f"confidence at least {f.min_confidence:.2f}")
    if f.events:
        parts.append("events: " + _list(list(f.events), "or"))
    if f.min_weight > 1:
        parts.append(f"at least {f.min_weight} articles per relation")
    if view.view == "timeline":
        parts.append("per week" if view.freq == "week" else "per month")
        if view.pair:
            a, b = view.pair
            parts.append(f"pair {names.get(a, a)} and {names.get(b, b)}")
        if view.who:
            parts.append(f"actor {names.get(view.who, view.who)}")
    if view.view in ("network", "blocs", "pack") and view.budget != DEFAULT_BUDGET:
        parts.append(f"at most {view.budget} actors")
    return " · ".join(parts)
