"""Reading untrusted files: text encodings, JSON, YAML and CSV with limits. No streamlit here.

Every format reader gets its bytes through this module, so that one malformed, hostile or
oversized part of a file is an `InputError` naming the file, the record and the limit, never a
traceback, a hang or a whole file lost:

* a byte-order mark (UTF-8, UTF-16 LE/BE, what spreadsheets and Windows tools write) is
  honoured and removed;
* JSON: a number of more than 4,300 digits, or nesting deeper than `MAX_DEPTH`, is refused by
  name;
* YAML: aliases (`*name`) are counted as what they expand to, and a file standing for more
  than `MAX_YAML_VALUES` values is refused before anything is built (a few hundred bytes of
  nested aliases expand a billion-fold: the "billion laughs"); tags that build Python objects
  are refused (safe loading);
* CSV: a row with a byte that is not UTF-8, a cell over `MAX_CELL` characters or a row the
  csv module cannot read is a rejection of that row only, with its line number.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import yaml

from dashboard.errors import InputError

MAX_CELL = 131_072           # characters in one CSV cell (the csv module's own default limit)
MAX_DEPTH = 64               # nested lists and objects in one JSON or YAML record
MAX_RECORD_BYTES = 64 << 20  # one JSONL line, one JSON/YAML file, one CSV file
MAX_INT_DIGITS = 4_300       # Python's own limit on converting digit strings to integers
MAX_YAML_VALUES = 1_000_000  # values one YAML file may stand for, its aliases expanded

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
# Raised from the csv module's default so that an oversize cell reaches our own check (a named
# rejection of one row) instead of stopping the reader.
csv.field_size_limit(max(csv.field_size_limit(), 64 * MAX_CELL))


def encoding_of(data: bytes) -> tuple[str, int]:
    """The encoding a byte-order mark announces (UTF-8 without one) and the mark's length."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return "utf-8", 0


def decode(data: bytes, *, file: str, record: str | None = None) -> str:
    """`data` as text (its byte-order mark honoured), or an `InputError` saying where the
    first byte that is not text is."""
    encoding, skip = encoding_of(data)
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start + skip}" + (" of the line" if record else "")
        raise InputError(f"not {encoding.upper().removesuffix('-LE').removesuffix('-BE')} "
                         f"text ({exc.reason} at {where})", file=file, record=record) from None


def read_bytes(path: Path) -> bytes:
    """The bytes of a file, refusing one larger than `MAX_RECORD_BYTES`."""
    size = path.stat().st_size
    if size > MAX_RECORD_BYTES:
        raise InputError(f"the file is {size:,} bytes: the limit for one file of this format "
                         f"is {MAX_RECORD_BYTES:,}", file=str(path))
    return path.read_bytes()


def read_text(path: Path) -> str:
    """A whole file as text (see `decode`); `InputError` for an unreadable or oversize one."""
    try:
        return decode(read_bytes(path), file=str(path))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None


def text_lines(path: Path) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text) for each line of a line-oriented file (JSONL, doccano), with a
    line that is not text, or is longer than `MAX_RECORD_BYTES`, an `InputError` of its own.
    Only "\\n" ends a line: JSON strings may hold U+2028 and friends unescaped."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield 1, InputError(f"cannot read: {exc.strerror or exc}", file=name)
        return
    encoding, skip = encoding_of(data)
    if encoding != "utf-8":  # UTF-16 cannot be split at a byte: decode it whole
        try:
            data = data[skip:].decode(encoding).encode("utf-8", "surrogatepass")
        except UnicodeDecodeError as exc:
            yield 1, InputError(f"not {encoding} text ({exc.reason} at byte {exc.start})",
                                file=name)
            return
        skip = 0
    for lineno, raw in enumerate(data[skip:].split(b"\n"), start=1):
        label = f"line {lineno}"
        if len(raw) > MAX_RECORD_BYTES:
            yield lineno, InputError(f"the line is {len(raw):,} bytes: the limit for one record "
                                     f"is {MAX_RECORD_BYTES:,}", file=name, record=label)
            continue
        try:
            yield lineno, decode(raw, file=name, record=label).removesuffix("\r")
        except InputError as exc:
            yield lineno, exc


def parse_json(text: str, *, file: str, record: str | None = None, lines: bool = True):
    """`json.loads(text)`, or an `InputError` written for a person: where the JSON breaks,
    a number too long, nesting too deep (`lines`: say the line, for a whole file)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"line {exc.lineno}, column {exc.colno}" if lines else f"column {exc.colno}"
        raise InputError(f"broken JSON at {at}: {exc.msg}", file=file, record=record) from None
    except RecursionError:
        raise _too_deep(file, record) from None
    except ValueError:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise InputError(f"holds a number of more than {MAX_INT_DIGITS:,} digits",
                         file=file, record=record) from None
    check_depth(data, file=file, record=record)
    return data


def kind_of(value) -> str:
    """What a JSON or YAML value is, in words: for "expected an object, found ..." messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a value of another kind (a date?)"


def _too_deep(file: str, record: str | None) -> InputError:
    return InputError(f"nested too deeply: lists and objects inside each other more than "
                      f"{MAX_DEPTH} levels", file=file, record=record)


def check_depth(data, *, file: str, record: str | None = None) -> None:
    """`InputError` when lists and objects nest deeper than `MAX_DEPTH` (iteratively: a deep
    value cannot exhaust Python's stack here)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            raise _too_deep(file, record)
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when there


def _check_events(text: str, file: str, record: str | None, loader=_Loader) -> None:
    """Walks the YAML's parse events (in C with libyaml) before anything is built, counting
    the values it would expand to (an alias counts as everything it points to): past
    `MAX_YAML_VALUES`, or nesting past `MAX_DEPTH`, it stops at once."""
    anchors: dict[str, int] = {}
    open_: list[list] = []  # [anchor, values so far] of each collection being read
    total = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_) >= MAX_DEPTH:
                raise _too_deep(file, record)
            open_.append([event.anchor, 1])
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, n = open_.pop()
        elif isinstance(event, yaml.AliasEvent):
            anchor, n = None, anchors.get(event.anchor, 1)
        elif isinstance(event, yaml.ScalarEvent):
            anchor, n = event.anchor, 1
        else:
            continue
        if anchor:
            anchors[anchor] = n
        if open_:
            open_[-1][1] += n
            n = open_[-1][1]
        else:
            total += n
            n = total
        if n > MAX_YAML_VALUES:
            raise InputError(f"expands to more than {MAX_YAML_VALUES:,} values (YAML aliases "
                             "such as *name repeat everything they point to: a few lines can "
                             "stand for billions); write the values out", file=file,
                             record=record)


def parse_yaml(text: str, *, file: str, record: str | None = None):
    """`yaml.safe_load(text)` within `MAX_YAML_VALUES` and `MAX_DEPTH`, or an `InputError`."""
    try:
        try:
            _check_events(text, file, record)
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            if _Loader is yaml.SafeLoader or "nesting depth" in str(exc):
                raise
            # libyaml refuses some text PyYAML's own reader takes (an escaped lone surrogate
            # such as "\uDAF0"): the same checks again in Python, which gives the verdict.
            _check_events(text, file, record, yaml.SafeLoader)
            data = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own bound, met first
            raise _too_deep(file, record) from None
        mark = exc.problem_mark
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise InputError(f"broken YAML{at}: {exc.problem or exc.context}", file=file,
                         record=record) from None
    except yaml.YAMLError as exc:
        raise InputError(f"broken YAML: {str(exc).splitlines()[0]}", file=file,
                         record=record) from None
    except RecursionError:
        raise _too_deep(file, record) from None
    except ValueError as exc:  # a timestamp like 2024-13-45: YAML's constructors raise it
        raise InputError(f"broken YAML: {exc}", file=file, record=record) from None
    check_depth(data, file=file, record=record)
    return data


def csv_rows(path: Path, *, delimiter: str = ","
             ) -> Iterator[tuple[int, list[str] | InputError]]:
    """(line number, cells) for each row of a CSV file, the header included; a row that holds
    a byte that is not text, a cell over `MAX_CELL` characters, or that the csv module cannot
    read, is an `InputError` for that row, and reading goes on with the next."""
    name = str(path)
    try:
        data = read_bytes(path)
    except OSError as exc:
        yield 1, InputError(f"cannot read: {exc.strerror or exc}", file=name)
        return
    except InputError as exc:
        yield 1, exc
        return
    encoding, skip = encoding_of(data)
    # surrogateescape keeps the reader going past a bad byte; the row holding it is refused.
    text = data[skip:].decode(encoding, errors="surrogateescape" if encoding == "utf-8"
                              else "replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, InputError(f"not a readable CSV row ({_csv_reason(exc)})", file=name,
                                    record=f"line {start}")
            continue
        where = {"file": name, "record": f"line {start}"}
        for i, cell in enumerate(row, start=1):
            if len(cell) > MAX_CELL:
                yield start, InputError(f"a cell of {len(cell):,} characters: the limit is "
                                        f"{MAX_CELL:,}", **where, field=f"column {i}")
                break
            if any("\udc80" <= c <= "\udcff" for c in cell):
                at = next(j for j, c in enumerate(cell) if "\udc80" <= c <= "\udcff")
                yield start, InputError(f"not UTF-8 text (a byte that is no character, at "
                                        f"character {at + 1})", **where, field=f"column {i}")
                break
        else:
            yield start, row


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "NUL" in text:
        return "it holds a NUL byte"
    if "end of data" in text or "EOF" in text:
        return "a quoted cell is never closed"
    return text
