"""AppTest of the intake in the app: the Annotate page's links box fetches a page from the
local site for review and saves it; the Data page lists recent fetches and failures as text."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.intake import run
from dashboard.store import connect_read_only, ingest

APP = "../../dashboard/app.py"  # relative to this file


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "atlas.duckdb"
    assert ingest(["tests/fixtures/good"], db).ok
    return db


def _open(monkeypatch, db, page) -> AppTest:
    monkeypatch.setenv("ALLIANCE_ATLAS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_links_box_fetches_for_review_and_saves(monkeypatch, store, site):
    at = _open(monkeypatch, store, "views/annotate.py")
    at.radio(key="ann_source").set_value("Add articles from links").run()
    at.text_area(key="ann_links").set_value(
        f"{site.base}/asia/pact\n{site.base}/missing\n").run()
    at.button(key="ann_fetch").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # The page's own metadata fills the details; the failure is listed.
    assert at.text_input(key="ann_title").value == \
        "Japan and the Philippines sign a defence access pact"
    assert at.text_input(key="ann_publisher").value == "Pacific Notes"
    assert str(at.date_input(key="ann_published").value) == "2024-07-09"
    [failed] = [d.value for d in at.dataframe if "Why it failed" in d.value.columns]
    assert failed.iloc[0].tolist() == [f"{site.base}/missing", "HTTP 404 Not Found"]
    assert any("1 new article" in c.value for c in at.caption)
    at.button(key="ann_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    copy = store.with_name("check.duckdb")
    shutil.copyfile(store, copy)
    con = connect_read_only(copy)
    try:
        edges = con.execute("SELECT source, target, annotator FROM edges "
                            "WHERE article_id LIKE 'web-%'").fetchall()
    finally:
        con.close()
    assert ("JPN", "PHL", "reviewed") in edges
    # A later `fetch` of the same link keeps the reviewed article as it is. (In a process of
    # its own, as a user runs it: DuckDB shares one database instance per path within a
    # process, and the app's may still be the file the save replaced.)
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "fetch",
                           f"{site.base}/asia/pact", "--db", str(store), "--no-rate-limit",
                           "--quiet"], capture_output=True, text=True, timeout=300)
    assert "1 fetched, 0 added, 0 updated, 1 unchanged, 0 failed" in done.stdout, done.stderr


def test_data_page_lists_fetches_and_failures_as_text(monkeypatch, store, site):
    site.pages["/evil"] = (b"<html><head><title><img src=x onerror=alert(1)></title></head>"
                           b"<body><p>short</p></body></html>")
    run.fetch([f"{site.base}/asia/pact", f"{site.base}/evil", "javascript:alert(1)"],
              db=store, options=run.Options(policy=run.Policy(interval=0)))
    at = _open(monkeypatch, store, "views/data.py")
    frames = [d.value for d in at.dataframe if "reason" in d.value.columns]
    [recent] = frames
    assert set(recent["outcome"]) == {"fetched", "failed"}
    assert "javascript:alert(1)" in set(recent["url"])
    # Untrusted text reaches the page only inside the dataframe, never as HTML or Markdown.
    for element in (*at.markdown, *at.get("html")):
        body = getattr(element, "value", None) or element.proto.body
        assert "onerror" not in body and "javascript:alert" not in body
    at.toggle(key="data_fetch_failed").set_value(True).run()
    [failed] = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert set(failed["outcome"]) == {"failed"} and len(failed) == 2
