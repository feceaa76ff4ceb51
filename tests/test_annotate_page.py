"""AppTest of the Annotate page: paste an article, see the proposed edges, save them into the
store as reviewed edges; hostile text stays text."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.store import connect_read_only, ingest

APP = "../dashboard/app.py"  # relative to this file
PAGE = "views/annotate.py"
ARTICLE = """Fiji and Tonga sign defence pact

Published: 3 May 2024

Fiji and Tonga signed a defence pact on Friday.

The US imposed sanctions on Iran last week."""
ARTICLE_ID = "2024-05-03-fiji-and-tonga-sign-defence-pact"


@pytest.fixture
def store(tmp_path):
    db = tmp_path / "atlas.duckdb"
    assert ingest(["tests/fixtures/good"], db).ok
    return db


def _page(monkeypatch, db) -> AppTest:
    monkeypatch.setenv("ALLIANCE_ATLAS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _paste(at: AppTest, text: str, publisher: str | None = "Pacific Wire") -> AppTest:
    at.text_area(key="ann_text").set_value(text).run()
    if publisher:
        at.text_input(key="ann_publisher").set_value(publisher).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _article_html(at: AppTest) -> str:
    [body] = [h.proto.body for h in at.get("html") if "aa-article" in h.proto.body
              and "<div class=\"aa-article\">" in h.proto.body]
    return body


def _stored_edges(db, article_id=ARTICLE_ID):
    # Read a copy: DuckDB shares one database instance per path within a process, and the
    # app's connection in this process may still hold the file the save replaced.
    copy = db.with_name("check.duckdb")
    shutil.copyfile(db, copy)
    con = connect_read_only(copy)
    try:
        return con.execute("SELECT source, target, relation, annotator FROM edges "
                           "WHERE article_id = ? ORDER BY ALL", [article_id]).fetchall()
    finally:
        con.close()


def test_paste_review_and_save(monkeypatch, store):
    at = _page(monkeypatch, store)
    assert at.title[0].value == "Annotate"
    assert any("Paste an article" in i.value for i in at.info)
    _paste(at, ARTICLE)
    # Prefilled from the text itself.
    assert at.text_input(key="ann_title").value == "Fiji and Tonga sign defence pact"
    assert str(at.date_input(key="ann_published").value) == "2024-05-03"
    [editor] = at.data_editor
    edges = editor.value
    assert {("FJI", "TON", "alliance"), ("USA", "IRN", "sanction")} <= set(
        zip(edges["source"], edges["target"], edges["relation"], strict=True))
    assert not at.warning
    save = at.button(key="ann_save")
    assert save.label == f"Save {len(edges)} edges" and not save.disabled
    save.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "added to the store" in at.success[0].value
    assert (store.parent / "reviewed" / f"{ARTICLE_ID}.json").is_file()
    stored = _stored_edges(store)
    assert ("FJI", "TON", "alliance", "reviewed") in stored
    assert {row[3] for row in stored} == {"reviewed"}


def test_edits_deletions_and_added_rows_are_saved(monkeypatch, store):
    at = _paste(_page(monkeypatch, store), ARTICLE)
    [editor] = at.data_editor
    relations = list(editor.value["relation"])
    sanction, alliance = relations.index("sanction"), relations.index("alliance")
    # AppTest cannot click in the grid; seeding the editor's edit state is its documented way.
    at.session_state[editor.key] = {
        "edited_rows": {alliance: {"relation": "cooperation"}},
        "added_rows": [{"keep": True, "source": "AUS", "relation": "support",
                        "target": "FJI", "evidence": 0}],
        "deleted_rows": [sanction]}
    at.run()
    assert not at.warning, [w.value for w in at.warning]
    at.button(key="ann_save").click().run()
    assert not at.error, [e.value for e in at.error]
    stored = {row[:3] for row in _stored_edges(store)}
    assert "sanction" not in {row[2] for row in stored}
    assert ("FJI", "TON", "cooperation") in stored
    assert ("AUS", "FJI", "support") in stored


def test_an_incomplete_added_row_blocks_saving(monkeypatch, store):
    at = _paste(_page(monkeypatch, store), ARTICLE)
    [editor] = at.data_editor
    at.session_state[editor.key] = {"edited_rows": {}, "deleted_rows": [],
                                    "added_rows": [{"keep": True, "source": "AUS",
                                                    "target": "FJI"}]}
    at.run()
    assert any("choose its relation and evidence sentence" in w.value for w in at.warning)
    assert at.button(key="ann_save").disabled


def test_missing_publisher_blocks_saving(monkeypatch, store):
    at = _paste(_page(monkeypatch, store), ARTICLE, publisher=None)
    assert any("Fill in the publisher" in w.value for w in at.warning)
    assert at.button(key="ann_save").disabled


def test_hostile_text_is_shown_escaped(monkeypatch, store):
    # tags that are not a page's HTML leave the pasted text as typed (pasted HTML is read as
    # its page, scripts dropped: tests/annotator/test_bad_input.py); the view escapes them
    hostile = ("Fiji thanks Tonga <svg onload=alert(1)>\n\nPublished: 3 May 2024\n\n"
               "Fiji thanked Tonga for its support <marquee>alert(2)</marquee>.")
    at = _paste(_page(monkeypatch, store), hostile)
    body = _article_html(at)
    assert "<svg" not in body and "<marquee>" not in body
    assert "&lt;svg onload=alert(1)&gt;" in body
    assert "&lt;marquee&gt;alert(2)&lt;/marquee&gt;" in body
    assert '<mark class="aa-m"' in body
