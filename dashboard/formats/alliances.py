"""Formal alliances as a treaty layer: ATOP member-level data and the Correlates of War
alliance data (by member or by dyad) into `treaties` rows, one per pair of members of the same
alliance phase while both belong to it.

ATOP (Leeds, Ritter, Mitchell and Long 2002, atopdata.org): one row per member per alliance
phase (`atopid`, `phase`, `member`, entry `yrent/moent/dayent`, exit `yrexit/moexit/dayexit`
with year 0 for "still in force", and obligations `defense`, `offense`, `neutral`, `nonagg`,
`consul`). COW (Gibler 2009, correlatesofwar.org): `version4id` with `ccode` and
`mem_st_*`/`mem_end_*` (by member) or `ccode1`, `ccode2` and `dyad_st_*`/`dyad_end_*` (by
dyad); COW codes `entente` (consultation) but not offence.

A pair holds an obligation when either member undertakes it (ATOP codes obligations member by
member, and asymmetric pledges are still pledges between the two). A missing day is the first
of the month for an entry and the last for an exit; a missing month likewise.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from dashboard import reading
from dashboard.errors import InputError
from dashboard.formats import statecodes
from dashboard.loaders import Skipped, TreatySet
from dashboard.registry import Registry

SKIP_UNMAPPED = ("alliance memberships of states with no ISO-3 code in the registry "
                 "(historical states such as Bavaria)")
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
_COW_OBLIGATIONS = {"defense": "defense", "neutrality": "neutral",
                    "nonaggression": "nonagg", "entente": "consul"}


def kind(header: list[str]) -> str | None:
    """"atop", "cow" (by member) or "cow-dyad" for a CSV header, else None."""
    names = {h.strip().lower() for h in header}
    if {"atopid", "member"} <= names:
        return "atop"
    if {"version4id", "ccode1", "ccode2"} <= names:
        return "cow-dyad"
    if {"version4id", "ccode"} <= names:
        return "cow"
    return None


def read(path: Path, registry: Registry | None = None
         ) -> Iterator[TreatySet | Skipped | InputError]:
    registry = registry or Registry.load()
    name = str(path)
    header, rows = None, []
    # A row that is not text, too big or broken is refused alone (dashboard.reading).
    for lineno, row in reading.csv_rows(path):
        if isinstance(row, InputError):
            yield row
        elif header is None:
            header = [h.strip().lower() for h in row]
        elif any(cell.strip() for cell in row):
            rows.append((lineno, dict(zip(header, row, strict=False))))
    which = kind(header or [])
    if which is None:
        if header is not None:
            yield InputError("not ATOP or COW alliance data: the header needs atopid and "
                             "member, or version4id and ccode", file=name, record="line 1")
        return
    members, errors, version = _members(rows, which, name, registry)
    yield from errors
    unmapped = sum(1 for m in members if m[2] is None)
    source = f"{'ATOP' if which == 'atop' else 'COW'} {version}".strip()
    yield TreatySet(source, name, _pairs(members, source, name, dyads=which == "cow-dyad"))
    if unmapped:
        yield Skipped(SKIP_UNMAPPED, unmapped)


def _int(row: dict, column: str, where: dict, default: int | None = None) -> int | None:
    value = (row.get(column) or "").strip()
    if value in ("", "NA", ".") or value.lower() == "nan":
        if default is not None:
            return default
        raise InputError("is missing", **where, field=column)
    try:
        return int(float(value))
    except (ValueError, OverflowError):  # "x", or "1e999" (infinite)
        raise InputError(f"{value!r} is not a number", **where, field=column) from None


def _date(row: dict, prefix: tuple[str, str, str], where: dict, *, end: bool) -> dt.date | None:
    year_col, month_col, day_col = prefix
    year = _int(row, year_col, where, default=0)
    if year in (0, -9):
        return None
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise InputError(f"{year} is not a year", **where, field=year_col)
    month = _int(row, month_col, where, default=0)
    month = month if 1 <= month <= 12 else (12 if end else 1)
    day = _int(row, day_col, where, default=0)
    last = calendar.monthrange(year, month)[1]
    if day > last or day < 0:
        raise InputError(f"{day} is not a day of {year}-{month:02d}", **where, field=day_col)
    return dt.date(year, month, day or (last if end else 1))


def _members(rows: list[tuple[int, dict]], which: str, file: str, registry: Registry):
    """(treaty, phase, member id or None, start, end, obligations) rows, errors, version."""
    out, errors, version = [], [], ""
    if which == "atop":
        columns = ("atopid", "phase", ("member",), ("yrent", "moent", "dayent"),
                   ("yrexit", "moexit", "dayexit"))
    elif which == "cow":
        columns = ("version4id", None, ("ccode",), ("mem_st_year", "mem_st_month", "mem_st_day"),
                   ("mem_end_year", "mem_end_month", "mem_end_day"))
    else:
        columns = ("version4id", None, ("ccode1", "ccode2"),
                   ("dyad_st_year", "dyad_st_month", "dyad_st_day"),
                   ("dyad_end_year", "dyad_end_month", "dyad_end_day"))
    treaty_col, phase_col, member_cols, start_cols, end_cols = columns
    for lineno, row in rows:
        where = {"file": file, "record": f"line {lineno}"}
        try:
            treaty = _int(row, treaty_col, where)
            phase = _int(row, phase_col, where, default=0) if phase_col else 0
            numbers = [_int(row, c, where) for c in member_cols]
            start = _date(row, start_cols, where, end=False)
            if start is None:
                raise InputError("is missing", **where, field=start_cols[0])
            stop = _date(row, end_cols, where, end=True)
            if which != "atop" and (row.get("right_censor") or "").strip() == "1":
                stop = None  # still in force when the data were coded
            if which == "atop":
                flags = {o: _int(row, o, where, default=0) == 1 for o in OBLIGATIONS}
            else:
                flags = {o: False for o in OBLIGATIONS}
                for column, obligation in _COW_OBLIGATIONS.items():
                    flags[obligation] = _int(row, column, where, default=0) == 1
        except InputError as exc:
            errors.append(exc)
            continue
        version = version or (row.get("version") or "").strip()
        ids = [statecodes.iso3(n, registry) for n in numbers]
        out.extend((str(treaty), phase, i, start, stop, flags, tuple(ids)) for i in ids)
    return out, errors, version


def _pairs(members: list[tuple], source: str, file: str, *, dyads: bool) -> list[tuple]:
    rows: set[tuple] = set()
    if dyads:
        # A dyad row names both members: one pair, its own dates and obligations.
        groups = [[m for m in members if m[2] is not None and all(m[6])]]
        candidates = (((a, b) for a, b in zip(g[::2], g[1::2], strict=False)) for g in groups)
    else:
        by_phase: dict[tuple, list] = defaultdict(list)
        for m in members:
            if m[2] is not None:
                by_phase[(m[0], m[1])].append(m)
        candidates = (itertools.combinations(group, 2) for group in by_phase.values())
    for a, b in itertools.chain.from_iterable(candidates):
        if a[2] == b[2]:
            continue
        start = max(a[3], b[3])
        ends = [e for e in (a[4], b[4]) if e is not None]
        stop = min(ends) if ends else None
        if stop is not None and stop < start:
            continue  # never members at the same time
        first, second = sorted((a[2], b[2]))
        flags = [a[5][o] or b[5][o] for o in OBLIGATIONS]
        rows.add((source, a[0], a[1], first, second, start, stop, *flags, file))
    return sorted(rows, key=lambda r: (r[1], r[2], r[3], r[4], r[5]))
