"""GDELT event exports (1.0 daily files of 57 or 58 columns, 2.0 files of 61) streamed into
prepared store rows: one store article and one machine-coded edge per usable event.

A whole day holds hundreds of thousands of events, too many for one validated `Article` each,
so this reader builds the store rows itself (`loaders.Prepared`) and reads the file line by line.
A usable event has a root code with a stance (see `cameo.ROOTS`), the QuadClass CAMEO gives
that root, and two different states as actors (country codes mapped to registry ids, acting as
the state itself or one of its organs, `cameo.STATE_TYPES`); other rows are skipped and counted
by reason, as are repeated GLOBALEVENTIDs. A line that cannot be read is reported with its line
number and field, and the rest of the file still loads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from dashboard import reading
from dashboard.errors import InputError
from dashboard.formats import cameo
from dashboard.loaders import PLAUSIBLE_AHEAD, PLAUSIBLE_FROM, Prepared, Skipped
from dashboard.models import http_url
from dashboard.registry import ActorKind, Registry
from dashboard.taxonomy import CAMEO_EVENTS, RELATIONS

ORIGIN = "gdelt"
COLUMNS = {57: "1.0", 58: "1.0", 61: "2.0"}
# Bump when the mapping or the generated text changes: every event's hash changes with it, so
# a re-ingest rewrites the events instead of calling them unchanged.
MAPPING_VERSION = "3"
SKIP_NO_STANCE = "events whose CAMEO root carries no stance between states (01, 02)"
SKIP_NOT_STATES = ("events without a state on both sides (no or regional country code, or a "
                   "non-state actor such as business or media)")
SKIP_SAME_STATE = "events with the same state on both sides"
SKIP_QUAD = "events whose QuadClass contradicts their root code"
SKIP_DUPLICATE = "repeated GLOBALEVENTIDs"
_LOOK_AT = 5  # lines that decide the layout


def confidence(num_sources: int, num_articles: int) -> float:
    """How far to trust a machine-coded event: 0.4 for one article from one source, more for
    every further source (0.15 each) and for more articles (0.05 per doubling), at most 0.95."""
    sources, articles = max(num_sources, 1), max(num_articles, 1)
    return round(min(0.95, 0.4 + 0.15 * (sources - 1) + 0.05 * math.log2(articles)), 3)


def _confidence(sources_text: str, articles_text: str, sources: int, articles: int) -> float:
    key = (sources_text, articles_text)
    hit = _CONFIDENCE.get(key)
    if hit is None:
        hit = _CONFIDENCE[key] = confidence(sources, articles)
    return hit


class _States:
    """Country code and actor type to (registry id, name), memoised."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.cache: dict[str, tuple[str, str] | None] = {}

    def __call__(self, code: str, kind: str) -> tuple[str, str] | None:
        if kind not in cameo.STATE_TYPES:
            return None
        hit = self.cache.get(code, False)
        if hit is False:
            actor = self.registry.actors.get(cameo.COUNTRY_EXCEPTIONS.get(code, code))
            hit = (actor.id, actor.name) if actor and actor.kind is ActorKind.STATE else None
            self.cache[code] = hit
        return hit


def read(path: Path, registry: Registry | None = None, seen: set[int] | None = None
         ) -> Iterator[Prepared | Skipped | InputError]:
    """The prepared events of one export file; `seen` carries GLOBALEVENTIDs across files."""
    registry = registry or Registry.load()
    states = _States(registry)
    seen = set() if seen is None else seen
    name = str(path)
    skipped: dict[str, int] = {}
    try:
        with open(path, "rb") as raw:
            encoding, _ = reading.encoding_of(raw.read(4))
        # errors="replace": one bad byte in a name must not cost the whole day. A byte-order
        # mark (a file re-saved by a spreadsheet or an editor) says how the text is encoded.
        encoding = {"utf-8": "utf-8-sig", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}.get(
            encoding, encoding)
        with open(path, encoding=encoding, errors="replace", newline="") as fh:
            # The layout is the column count most of the first lines have, so that one
            # broken line (even the first) loses only itself.
            head = list(itertools.islice(fh, _LOOK_AT))
            counts = Counter(n for n in (len(line.rstrip("\r\n").split("\t")) for line in head)
                             if n in COLUMNS)
            if not counts:
                first = next((line for line in head if line.strip()), None)
                if first is not None:
                    n = len(first.rstrip("\r\n").split("\t"))
                    yield InputError(f"{n} tab-separated columns: not a GDELT event export "
                                     f"(1.0 has 57 or 58, 2.0 has 61; no line among the first "
                                     f"{_LOOK_AT} has either)", file=name, record="line 1")
                return
            layout = counts.most_common(1)[0][0]
            for lineno, line in enumerate(itertools.chain(head, fh), start=1):
                fields = line.rstrip("\r\n").split("\t")
                if len(fields) == 1 and not fields[0].strip():
                    continue
                try:
                    item = _event(fields, line, layout, lineno, name, states, seen)
                except InputError as exc:
                    yield exc
                    continue
                if isinstance(item, str):
                    skipped[item] = skipped.get(item, 0) + 1
                else:
                    yield item
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror}", file=name)
    for reason, count in skipped.items():
        yield Skipped(reason, count)


# (column, GDELT name, parser) of the numbers and dates every line must have.
_CHECKED = ((0, "GLOBALEVENTID", int), (1, "SQLDATE", "day"), (29, "QuadClass", int),
            (30, "GoldsteinScale", float), (31, "NumMentions", int), (32, "NumSources", int),
            (33, "NumArticles", int), (34, "AvgTone", float))


class _Days(dict):
    """YYYYMMDD (or a longer timestamp) to a date, memoised: a day's file has a few dates."""

    def __missing__(self, text: str) -> dt.date:
        day = dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
        if len(self) < 100_000:
            self[text] = day
        return day


_DAYS = _Days()
_CONFIDENCE: dict[tuple[str, str], float] = {}


# The ranges the store's columns and GDELT's codebook allow (NaN is in none of them).
_MAX_ID, _MAX_COUNT = 2**63 - 1, 2**31 - 1
_RANGES = ((0, "GLOBALEVENTID", 0, _MAX_ID), (30, "GoldsteinScale", -10, 10),
           (31, "NumMentions", 0, _MAX_COUNT), (32, "NumSources", 0, _MAX_COUNT),
           (33, "NumArticles", 0, _MAX_COUNT), (34, "AvgTone", -100, 100))


def _out_of_range(f: list[str], where: dict) -> InputError:
    for i, label, lo, hi in _RANGES:
        value = float(f[i]) if label in ("GoldsteinScale", "AvgTone") else int(f[i])
        if not lo <= value <= hi:
            return InputError(f"{f[i][:40]!r} is out of range for {label} ({lo} to {hi})",
                              **where, field=label)
    return InputError("a number is out of range", **where)


def _culprit(f: list[str], layout: int, where: dict) -> InputError:
    """The error of a line whose fast parse failed: which field is bad."""
    added = 56 if layout < 61 else 59
    for i, label, parse in (*_CHECKED, (added, "DATEADDED", "day")):
        try:
            _DAYS[f[i][:8]] if parse == "day" else parse(f[i])
        except (ValueError, IndexError):
            value = f[i] if i < len(f) else ""
            return InputError(f"{value[:40]!r} is not a valid {label}", **where, field=label)
    return InputError("cannot read this line", **where)


def _event(f: list[str], line: str, layout: int, lineno: int, file: str, states: _States,
           seen: set[int]) -> Prepared | str:
    if len(f) != layout:
        raise InputError(f"has {len(f)} fields where the file's lines have {layout}",
                         file=file, record=f"line {lineno}")
    try:
        event_id = int(f[0])
        date = _DAYS[f[1]]
        quad, goldstein = int(f[29]), float(f[30])
        num_mentions, num_sources, num_articles = int(f[31]), int(f[32]), int(f[33])
        avg_tone = float(f[34])
        published = _DAYS[f[56 if layout < 61 else 59][:8]]
    except (ValueError, IndexError):
        record = f"line {lineno}" + (f" (GLOBALEVENTID {f[0][:20]})" if f[0].isdigit() else "")
        raise _culprit(f, layout, {"file": file, "record": record}) from None
    if not (0 <= event_id <= _MAX_ID and -10 <= goldstein <= 10 and -100 <= avg_tone <= 100
            and 0 <= num_mentions <= _MAX_COUNT and 0 <= num_sources <= _MAX_COUNT
            and 0 <= num_articles <= _MAX_COUNT):
        raise _out_of_range(f, {"file": file, "record": f"line {lineno}"})
    if not PLAUSIBLE_FROM <= date <= dt.date.today() + PLAUSIBLE_AHEAD:
        # Machine-coded events carry no one to ask: an event dated 3000-01-01 or 1066-10-14
        # is a corrupt line, not news, so it is refused rather than kept with a warning.
        raise InputError(f"{f[1][:20]!r} is outside the plausible span of event dates "
                         f"({PLAUSIBLE_FROM.isoformat()} to a year from today)",
                         file=file, record=f"line {lineno} (GLOBALEVENTID {event_id})",
                         field="SQLDATE")
    root = f[28]
    if root not in cameo.ROOTS:
        raise InputError(f"{root[:10]!r} is not a CAMEO root code (01-20)", file=file,
                         record=f"line {lineno} (GLOBALEVENTID {event_id})",
                         field="EventRootCode")
    if event_id in seen:
        return SKIP_DUPLICATE
    seen.add(event_id)
    description, relation = cameo.ROOTS[root]
    if relation is None:
        return SKIP_NO_STANCE
    info = RELATIONS[relation]
    if quad != cameo.ROOT_QUAD[root]:
        return SKIP_QUAD
    one, two = states(f[7], f[12]), states(f[17], f[22])
    if one is None or two is None:
        return SKIP_NOT_STATES
    if one[0] == two[0]:
        return SKIP_SAME_STATE
    version = COLUMNS[layout]
    raw_url = f[layout - 1] if layout != 57 else ""
    # A source URL that does not parse (https://[x]/story) is no link: the event is kept and
    # its raw SOURCEURL stays in gdelt_events.
    url = http_url(raw_url) if " " not in raw_url else None
    host = url.split("/", 3)[2].removeprefix("www.") if url else ""
    publisher = host or f"GDELT {version}"
    event_code = f[26]
    (source, source_name), (target, target_name) = one, two
    text = (f"{source_name} \u2192 {target_name}: {description.lower()} (CAMEO {event_code}, "
            f"{date.isoformat()}). Machine-coded by GDELT {version}"
            f"{' from ' + host if host else ''}; Goldstein {goldstein:+.1f}, "
            f"{num_articles} article{'s' if num_articles != 1 else ''} from {num_sources} "
            f"source{'s' if num_sources != 1 else ''}.")
    article_id = f"gdelt-{event_id}"
    s_start, s_end = 0, len(source_name)
    t_start = s_end + 3
    t_end = t_start + len(target_name)
    mentions = [(article_id, s_start, s_end, source, source_name),
                (article_id, t_start, t_end, target, target_name)]
    if info.symmetric and target < source:
        source, target = target, source
        s_start, s_end, t_start, t_end = t_start, t_end, s_start, s_end
    edge = (article_id, source, target, relation.value, info.stance.value, not info.symmetric,
            date, publisher, text, 0, len(text), None, None, s_start, s_end, t_start, t_end,
            _confidence(f[32], f[33], num_sources, num_articles), "machine",
            f"CAMEO {event_code}", CAMEO_EVENTS[root].value, root, 1)
    digest = hashlib.sha256(f"{MAPPING_VERSION}\t{source_name}\t{target_name}\t{line}"
                            .encode()).hexdigest()
    title = f"GDELT event {event_id}: {description} ({event_code})"
    article = (article_id, title, published, publisher, url, text, "en", file, digest, ORIGIN)
    extra = (("gdelt_events", (article_id, event_id, event_code, root, quad, goldstein,
                               num_mentions, num_sources, num_articles, avg_tone, f[5], f[15],
                               raw_url or None, version)),)
    return Prepared(file, f"line {lineno} (GLOBALEVENTID {event_id})", article, mentions,
                    [edge], extra)
