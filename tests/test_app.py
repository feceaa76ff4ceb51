"""AppTest smoke tests of every page against small stores; no browser needed."""

from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

APP = "../dashboard/app.py"  # relative to this file


def run_app(monkeypatch, db, page: str | None = None, **params) -> AppTest:
    monkeypatch.setenv("ALLIANCE_ATLAS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def evidence_table(at: AppTest):
    tables = [d.value for d in at.dataframe if "evidence" in d.value.columns]
    assert len(tables) == 1
    return tables[0]


def evidence_rows(at: AppTest) -> int:
    return len(evidence_table(at))


def network_srcdoc(at: AppTest) -> str:
    frames = at.get("iframe")
    assert len(frames) == 1
    return frames[0].proto.srcdoc


def test_overview_shows_network_timeline_and_evidence(monkeypatch, app_store):
    at = run_app(monkeypatch, app_store)
    assert not at.error
    assert at.title[0].value == "Alliance Atlas"
    assert "7 relations between 5 actors" in at.caption[0].value
    page = network_srcdoc(at)
    assert "new vis.Network" in page and "United States" in page
    assert len(at.get("plotly_chart")) == 1
    table = evidence_table(at)
    assert len(table) == 8
    assert "Washington condemns Pyongyang missile launch" in set(table["title"])
    strongest = at.dataframe[0].value
    assert strongest.iloc[0]["pair"] == "United States \u2192 North Korea"


@pytest.mark.parametrize("params, rows", [
    ({"rel": "Condemnation"}, 3),
    ({"actor": "Japan"}, 1),
    ({"actor": ["Japan", "Russia"]}, 3),
    ({"rel": ["Sanction", "Threat"]}, 2),
    ({"minw": "2"}, 2),
    ({"dates": ["2024-02-01", "2024-03-11"]}, 4),
    ({"dates": ["2024-02-01", "2030-01-01"]}, 8),  # outside the data: ignored
    ({"rel": "bogus", "actor": "<script>", "minw": "many"}, 8),  # ignored, not an error
])
def test_url_query_parameters_reproduce_a_view(monkeypatch, app_store, params, rows):
    at = run_app(monkeypatch, app_store, **params)
    assert not at.error
    assert evidence_rows(at) == rows


def test_changing_a_filter_changes_the_network(monkeypatch, app_store):
    at = run_app(monkeypatch, app_store)
    before = network_srcdoc(at)
    at.multiselect(key="rel").set_value(["alliance", "cooperation"]).run()
    assert not at.exception
    assert evidence_rows(at) == 2
    assert network_srcdoc(at) != before and "North Korea" not in network_srcdoc(at)


def test_filters_that_match_nothing_explain_why(monkeypatch, app_store):
    at = run_app(monkeypatch, app_store, minw="9")
    assert any("No edges match these filters" in i.value for i in at.info)
    assert not at.get("iframe") and not at.dataframe
    at.multiselect(key="rel").set_value([]).run()
    assert any("No relation type is selected" in i.value for i in at.info)


def test_data_page_describes_the_store(monkeypatch, app_store):
    at = run_app(monkeypatch, app_store, page="views/data.py")
    assert not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Articles": "4", "Actors in edges": "5", "Edges": "7",
                       "Publishers": "3"}
    assert any(str(app_store) in m.value for m in at.markdown)
    assert "alliance-atlas ingest" in at.code[0].value


@pytest.mark.parametrize("page", [None, "views/data.py"])
def test_missing_store_is_an_error_message(monkeypatch, tmp_path, page):
    at = run_app(monkeypatch, tmp_path / "nowhere.duckdb", page=page)
    assert at.error and "no store at" in at.error[0].value
    assert "alliance-atlas ingest" in at.error[0].value


def test_broken_store_is_an_error_message(monkeypatch, tmp_path):
    bad = tmp_path / "atlas.duckdb"
    bad.write_text("not a database")
    at = run_app(monkeypatch, bad)
    assert at.error and str(bad) in at.error[0].value


def _article(folder, article_id: str, relations: list | None = None):
    text = "Japan and South Korea agreed to cooperate on coast guard patrols."
    folder.mkdir(exist_ok=True)
    (folder / f"{article_id}.json").write_text(json.dumps({
        "id": article_id, "title": "Patrol deal", "published": "2024-04-02",
        "publisher": "Harbour News", "text": text,
        "relations": relations if relations is not None else [
            {"source": "Japan", "target": "South Korea", "relation": "cooperation",
             "evidence": {"start": 0, "end": len(text)}}]}))
    return folder


def test_store_without_edges_says_there_is_nothing_to_draw(monkeypatch, tmp_path):
    from dashboard.store import ingest
    db = tmp_path / "atlas.duckdb"
    ingest([_article(tmp_path / "in", "no-rel", relations=[])], db)
    at = run_app(monkeypatch, db)
    assert any("nothing to draw" in i.value for i in at.info)


def test_app_picks_up_a_new_ingest_without_restart(monkeypatch, tmp_path, app_store):
    from dashboard.store import ingest
    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(app_store, db)
    at = run_app(monkeypatch, db)
    assert evidence_rows(at) == 8
    report = ingest([_article(tmp_path / "in", "fx-005")], db)  # replaces the file
    assert report.added == 1
    at.run()
    assert not at.exception
    assert evidence_rows(at) == 9
    assert "8 relations between 5 actors" in at.caption[0].value


def test_store_handle_reopens_and_closes_the_replaced_file(tmp_path, app_store):
    import duckdb

    from dashboard.store import ingest
    from dashboard.ui.connection import StoreHandle

    db = tmp_path / "atlas.duckdb"
    shutil.copyfile(app_store, db)
    handle = StoreHandle(db)
    old = handle.cursor()
    assert handle.cursor() is old  # one cursor per thread while the file is unchanged
    first = handle.identity
    ingest([_article(tmp_path / "in", "fx-005")], db)
    new = handle.cursor()
    assert handle.identity != first and new is not old
    assert new.execute("SELECT count(*) FROM articles").fetchone() == (5,)
    with pytest.raises(duckdb.Error):
        old.execute("SELECT 1")  # the replaced file's connection is closed, not leaked
    handle.close()
