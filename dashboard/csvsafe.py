"""CSV that a spreadsheet opens as data, never as formulas. No streamlit here.

Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with `=`, `+`, `-` or
`@` as a formula, and treat a leading tab or carriage return the same way after trimming; a
title or publisher from an article could then fetch a URL or run a command on the analyst's
machine ("CSV injection"). Every CSV the app or the CLI writes goes through `to_csv`, which
prefixes such text cells with an apostrophe (OWASP's advice: the spreadsheet shows the text,
and the apostrophe is not part of the shown value). Numbers stay numbers. The tables' own
"Download as CSV" is switched off (`client.disableDataExport`, see SECURITY.md).
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """`value`, with an apostrophe in front when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells (and column names) cannot start a formula."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(cell)
    out.columns = [cell(c) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """`frame` as UTF-8 CSV bytes, neutralised; a cell holding a line break of either kind
    is quoted (the csv module quotes only the line terminator's own characters)."""
    return neutralised(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")
