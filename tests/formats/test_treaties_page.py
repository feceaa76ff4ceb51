"""AppTest smoke test of the Treaties page on its own, with and without a treaty layer."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import formats
from dashboard.store import ingest_records
from tests.formats.paths import FIXTURES

PAGE = "../../dashboard/views/treaties.py"  # relative to this file


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "atlas.duckdb"
    paths = [FIXTURES / "atop" / "atop4.01-sample.csv",
             FIXTURES / "gdelt" / "gdelt2-sample.export.tsv"]
    assert ingest_records(formats.items(paths), db).ok
    return db


def test_page_shows_treaties_in_force(store, monkeypatch):
    monkeypatch.setenv("ALLIANCE_ATLAS_DB", str(store))
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Treaties"
    # The source name comes from the file: shown escaped (marking.md), read back unescaped.
    assert any("ATOP 4.01" in re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown)
    assert [s.value for s in at.subheader][-1] == "Treaties in force in the period"
    assert len(at.dataframe) >= 1


def test_page_without_treaties_says_how_to_load_them(tmp_path, monkeypatch):
    db = tmp_path / "atlas.duckdb"
    assert ingest_records(formats.items([FIXTURES / "gdelt" / "gdelt2-sample.export.tsv"]),
                          db).ok
    monkeypatch.setenv("ALLIANCE_ATLAS_DB", str(db))
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "no treaties" in at.info[0].value
