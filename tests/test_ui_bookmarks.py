"""Bookmarks (the JSON sidecar next to the store) and the decoding of saved URL state."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading

import pytest
from filelock import FileLock

from dashboard import bookmarks
from dashboard.bookmarks import Bookmark, BookmarkError
from dashboard.ui import urlstate

D = dt.date


def test_sidecar_sits_next_to_the_store(tmp_path):
    assert bookmarks.sidecar(tmp_path / "atlas.duckdb") == tmp_path / "atlas.duckdb.bookmarks.json"


def test_add_replace_move_delete(tmp_path):
    path = tmp_path / "s.bookmarks.json"
    assert bookmarks.load(path) == []
    bookmarks.add(path, "  One \n view ", "network", "rel=Threat")
    bookmarks.add(path, "Two", "timeline", "freq=Per+week")
    saved = bookmarks.add(path, "One view", "actor", "who=Russia")  # same name: replaced
    assert saved == [Bookmark("One view", "actor", "who=Russia"),
                     Bookmark("Two", "timeline", "freq=Per+week")]
    assert [b.name for b in bookmarks.move(path, "Two", -1)] == ["Two", "One view"]
    assert [b.name for b in bookmarks.delete(path, "Two")] == ["One view"]
    data = json.loads(path.read_text())
    assert data["version"] == 1 and data["bookmarks"][0]["query"] == "who=Russia"
    assert not list(tmp_path.glob("*.tmp"))  # written through a temporary file, replaced
    assert Bookmark("x", "network", "a=1").url() == "network?a=1"


@pytest.mark.parametrize("name, query", [("", "a=1"), ("   ", ""), ("ok", "x" * 5000)])
def test_invalid_bookmarks_are_refused(tmp_path, name, query):
    with pytest.raises(BookmarkError):
        bookmarks.add(tmp_path / "b.json", name, "network", query)


def test_broken_files_and_entries(tmp_path):
    path = tmp_path / "b.json"
    path.write_text("{oops")
    with pytest.raises(BookmarkError, match="not valid JSON"):
        bookmarks.load(path)
    path.write_text(json.dumps({"bookmarks": [{"name": "ok", "page": "blocs", "query": ""},
                                              {"name": 3}, "junk", {"page": "x"}]}))
    assert bookmarks.load(path) == [Bookmark("ok", "blocs", "")]
    path.write_text(json.dumps(["not", "a", "dict"]))
    assert bookmarks.load(path) == []


def test_concurrent_saves_lose_nothing(tmp_path):
    path = tmp_path / "b.json"
    threads = [threading.Thread(target=bookmarks.add, args=(path, f"view {i}", "network", ""))
               for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(b.name for b in bookmarks.load(path)) == sorted(f"view {i}" for i in range(12))


def test_a_save_that_cannot_get_the_lock_says_so(tmp_path, monkeypatch):
    path = tmp_path / "b.json"
    bookmarks.add(path, "kept", "network", "")
    monkeypatch.setattr(bookmarks, "LOCK_TIMEOUT", 0.05)
    with FileLock(path.with_name(path.name + ".lock")):  # another save, still running
        with pytest.raises(bookmarks.BookmarkError, match="another save holds"):
            bookmarks.add(path, "new", "network", "")
    assert [b.name for b in bookmarks.load(path)] == ["kept"]


def test_unwritable_folder_is_a_bookmark_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(BookmarkError, match="cannot save bookmarks"):
        bookmarks.add(blocker / "sub" / "b.json", "x", "network", "")


CTX = urlstate.Context(actor_labels={"USA": "United States", "PRK": "North Korea",
                                     "GEO": "Georgia (GEO)", "GEO2": "Georgia (GEO2)"},
                       first=D(2024, 1, 1), last=D(2024, 12, 31),
                       publishers=("Wire One", "Daily"), annotators=("human", "auto"))


def _param(key: str, page: str = "network") -> urlstate.Param:
    return next(p for p in urlstate.params_of(page) if p.key == key)


@pytest.mark.parametrize("key, page, values, expected", [
    ("rel", "network", ["Condemnation", "threat", "bogus"], ["condemnation", "threat"]),
    ("rel", "network", ["bogus"], list(urlstate.palette.LEGEND_ORDER)),
    ("stance", "network", ["Hostile"], ["hostile"]),
    ("actor", "network", ["North Korea", "USA", "Georgia (GEO2)"], ["PRK", "USA", "GEO2"]),
    ("minw", "network", ["3"], 3), ("minw", "network", ["-4"], 1),
    ("minw", "network", ["many"], 1),
    ("conf", "network", ["0.35"], 0.35), ("conf", "network", ["7"], 1.0),
    ("pub", "network", ["Wire One", "Evil"], ["Wire One"]),
    ("ann", "network", ["Auto"], ["auto"]),
    ("event", "network", ["Agree", "aid", "hugging"], ["agree", "aid"]),
    ("dates", "network", ["2024-03-01", "2025-06-01"], (D(2024, 3, 1), D(2024, 12, 31))),
    ("dates", "network", ["nonsense"], (D(2024, 1, 1), D(2024, 12, 31))),
    ("focus", "network", ["North Korea"], "PRK"), ("focus", "network", ["Nobody"], None),
    # What `alliance-atlas resolve` accepts: registry names and aliases, any case.
    ("focus", "network", ["DPRK"], "PRK"), ("focus", "network", ["north korea"], "PRK"),
    ("actor", "network", ["Washington", "PRK"], ["USA", "PRK"]),
    ("steps", "network", ["2 steps"], 2), ("budget", "network", ["100"], 100),
    ("budget", "network", ["99"], urlstate.DEFAULT_BUDGET),
    ("edge", "network", ["United States \u2014 North Korea"], "PRK|USA"),
    ("edge", "network", ["North Korea \u2014 United States"], "PRK|USA"),
    ("edge", "network", ["North Korea \u2014 North Korea"], None),
    ("freq", "timeline", ["Per week"], "week"),
    ("pair", "timeline", ["North Korea", "United States"], ["PRK", "USA"]),
    ("pa", "compare", ["2024-02-01", "2024-03-01"], (D(2024, 2, 1), D(2024, 3, 1))),
    ("pb", "compare", None, (D(2024, 7, 2), D(2024, 12, 31))),
    ("q", "articles", ["sanctions"], "sanctions"), ("full", "articles", ["true"], True),
])
def test_saved_url_values_decode_to_widget_values(key, page, values, expected):
    assert urlstate.decode(_param(key, page), values, CTX) == expected


@pytest.mark.parametrize("key, page, values, unknown", [
    ("rel", "network", ["Condemnation", "bogus"], ["bogus"]),
    ("focus", "network", ["Nobody"], ["Nobody"]), ("focus", "network", ["DPRK"], []),
    ("minw", "network", ["many"], ["many"]), ("minw", "network", ["3"], []),
    ("dates", "network", ["2024-03-01", "soon"], ["soon"]),
    ("edge", "network", ["North Korea \u2014 North Korea"], ["North Korea \u2014 North Korea"]),
    ("pair", "timeline", ["North Korea", "Atlantis"], ["Atlantis"]),
])
def test_values_a_link_has_wrong_are_named(key, page, values, unknown):
    found: list[tuple[str, str]] = []
    urlstate.decode(_param(key, page), values, CTX, found)
    assert found == [(key, v) for v in unknown]


def test_the_warning_shows_a_hostile_value_as_text():
    text = urlstate.unknown_warning([("focus", "<img src=x onerror=alert(1)> [x](javascript:1)")])
    # Every character Markdown could read as markup is escaped: shown, never parsed.
    assert re.search(r"(?<!\\)[<>\[\]()]", text.split("=", 1)[1]) is None
    assert "focus" in text and "img src=x onerror=alert" in text.replace("\\", "")


def test_pair_labels_are_alphabetical_and_unambiguous():
    assert CTX.pair_label("PRK|USA") == "North Korea \u2014 United States"
    assert urlstate.pair_key("USA", "PRK") == "PRK|USA"
    assert urlstate.split_pair("PRK|USA") == ("PRK", "USA")
    assert CTX.halves() == ((D(2024, 1, 1), D(2024, 7, 1)), (D(2024, 7, 2), D(2024, 12, 31)))


def test_every_page_of_the_navigation_is_known():
    assert set(urlstate.PAGE_PARAMS) <= set(urlstate.PAGE_FILES)
    assert urlstate.DEFAULT_PAGE in urlstate.PAGE_FILES
    keys = [p.key for p in urlstate.GLOBAL_PARAMS]
    for page, params in urlstate.PAGE_PARAMS.items():
        assert not {p.key for p in params} & set(keys), page
