"""Event dates: the date expression of a sentence resolved against the published date.

News writes dates relative to the day of publication ("on Wednesday", "last month"). A
weekday is the latest such day on or before publication (a Friday report of "Friday" means
that day) unless the sentence looks ahead ("will", "next"). Vague periods resolve to their
first day ("last month" -> the 1st of the previous month). A date right after a speech verb
("reported Friday", "said on Tuesday") dates the report, not the event, and is skipped when
another date is present.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_FUTURE = {"will", "next", "due", "upcoming", "plans", "scheduled", "later"}
_SPEECH = {"said", "says", "reported", "told", "announced", "added", "stated", "reports"}


@dataclass(frozen=True)
class DateMention:
    start: int  # token index
    end: int
    date: dt.date
    report: bool  # dates the report rather than the event


def find_dates(lowers: list[str], published: dt.date) -> list[DateMention]:
    out: list[DateMention] = []
    future = any(w in _FUTURE for w in lowers)
    n = len(lowers)
    i = 0
    while i < n:
        found = _at(lowers, i, published, future)
        if found is None:
            i += 1
            continue
        length, date = found
        start = i - 1 if i and lowers[i - 1] in {"on", "last", "this", "next"} else i
        report = (start > 0 and lowers[start - 1] in _SPEECH) or (
            i + length < n and lowers[i + length] in _SPEECH)
        out.append(DateMention(start, i + length, date, report))
        i += length
    return out


def _at(lw: list[str], i: int, published: dt.date, future: bool):
    w = lw[i]
    prev = lw[i - 1] if i else ""
    if w in WEEKDAYS:
        target = WEEKDAYS.index(w)
        if prev == "next" or (future and prev != "last"):
            delta = (target - published.weekday()) % 7 or 7
            return 1, published + dt.timedelta(days=delta)
        delta = (published.weekday() - target) % 7
        if prev == "last" and delta == 0:
            delta = 7
        return 1, published - dt.timedelta(days=delta)
    if w in ("yesterday",):
        return 1, published - dt.timedelta(days=1)
    if w in ("today", "tonight", "overnight"):
        return 1, published
    if w in ("week", "month", "year") and prev == "last":
        if w == "week":
            return 1, published - dt.timedelta(days=7)
        if w == "month":
            first = published.replace(day=1)
            return 1, (first - dt.timedelta(days=1)).replace(day=1)
        return 1, dt.date(published.year - 1, 1, 1)
    # "4 April 2024", "4 April", "April 4, 2024", "April 4"
    if w.isdigit() and len(w) <= 2 and i + 1 < len(lw) and lw[i + 1] in MONTHS:
        day, month, length = int(w), MONTHS[lw[i + 1]], 2
        year, extra = _year(lw, i + 2)
        return _make(published, year, month, day, length + extra, future)
    if w in MONTHS and w != "may" or (w == "may" and i + 1 < len(lw) and lw[i + 1].isdigit()):
        if i + 1 < len(lw) and re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", lw[i + 1]):
            day = int(re.match(r"\d+", lw[i + 1]).group())
            k = i + 2 + (1 if i + 2 < len(lw) and lw[i + 2] == "," else 0)
            year, extra = _year(lw, k)
            return _make(published, year, MONTHS[w], day, 2 + (extra and k - i - 2 + extra),
                         future)
        if prev == "in":  # "in March": the first of the month
            year, extra = _year(lw, i + 1)
            return _make(published, year, MONTHS[w], 1, 1 + extra, future)
    return None


def _year(lw: list[str], k: int) -> tuple[int | None, int]:
    if k < len(lw) and re.fullmatch(r"(19|20)\d\d", lw[k]):
        return int(lw[k]), 1
    return None, 0


def _make(published: dt.date, year: int | None, month: int, day: int, length: int,
          future: bool):
    try:
        date = dt.date(year or published.year, month, day)
    except ValueError:
        return None
    if year is None and not future and date > published + dt.timedelta(days=31):
        try:
            date = date.replace(year=date.year - 1)
        except ValueError:
            return None
    return length, date


def event_date(dates: list[DateMention], cue_start: int, published: dt.date) -> dt.date:
    """The date nearest the cue, event dates before report dates; else the published date."""
    if not dates:
        return published
    events = [d for d in dates if not d.report] or dates
    return min(events, key=lambda d: min(abs(d.start - cue_start), abs(d.end - cue_start))).date
