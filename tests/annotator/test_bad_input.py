"""Bad input gets a clear message or an empty result, never a traceback, and the other
records of the same run are kept (one fixture file per case in fixtures/bad/)."""

import datetime as dt
import json
from pathlib import Path

import pytest

from dashboard.annotator import review, sources
from dashboard.errors import InputError
from tests.annotator.test_cli import run

BAD = Path(__file__).parent / "fixtures" / "bad"


def _jsonl(path):
    code, out, err = run(["annotate", "--jsonl", str(path)])
    return code, {line["id"]: line for line in map(json.loads, out.splitlines())}, err


def _edges(line):
    return {(e["source"], e["target"], e["relation"]) for e in line["edges"]}


def test_empty_text_is_named_and_the_rest_kept():
    code, lines, err = _jsonl(BAD / "empty-text.jsonl")
    assert code == 1
    assert "text" in lines["empty"]["error"] and "empty-text.jsonl: line 1" in err
    assert _edges(lines["ok"]) == {("HUN", "SRB", "support")}


def test_markup_in_a_record_is_never_read_as_prose():
    code, lines, _ = _jsonl(BAD / "html-with-script.jsonl")
    assert code == 0
    # nothing from the script, the hidden element or the comment; the visible sentence is read
    # across its inline tags
    assert _edges(lines["page"]) == {("JPN", "PRK", "condemnation")}
    assert {m["actor"] for m in lines["page"]["mentions"]} == {"JPN", "PRK"}


def test_non_english_text_gives_an_empty_result():
    code, lines, _ = _jsonl(BAD / "non-english.jsonl")
    assert code == 0
    assert lines["zh"]["edges"] == [] and lines["ru"]["edges"] == []
    assert _edges(lines["ok"]) == {("HUN", "SRB", "support")}


def test_missing_published_date_is_named_and_the_rest_kept():
    code, lines, err = _jsonl(BAD / "no-published-date.jsonl")
    assert code == 1
    assert "published" in lines["nodate"]["error"] and "line 1" in err
    assert _edges(lines["ok"]) == {("HUN", "SRB", "support")}


def test_a_text_file_with_no_date_is_named(tmp_path):
    code, _, err = run(["annotate", str(BAD / "no-date.txt"), "--out", str(tmp_path)])
    assert code == 1
    assert "no-date.txt" in err and "published" in err
    assert not list(tmp_path.iterdir())


def test_a_one_megabyte_line_is_read_in_pieces(annotator, tmp_path):
    # No full stop in a megabyte: read in bounded pieces (spaCy alone refuses over 1M chars).
    text = "Poland condemned Belarus and " * 36_000
    assert len(text) > 1_000_000
    result = annotator.annotate(text, dt.date(2024, 6, 17))
    assert {(e.source, e.target, e.relation) for e in result.edges} == {
        ("POL", "BLR", "condemnation")}
    assert all(e.evidence[1] - e.evidence[0] < 1_000 for e in result.edges)
    assert result.sentences > 1_000


def _page_record():
    return json.loads((BAD / "html-with-script.jsonl").read_text().splitlines()[0])


def _edge_set(annotator, text):
    found = annotator.annotate(text, dt.date(2024, 6, 17))
    return {(e.source, e.target, e.relation) for e in found.edges}


def test_markup_in_a_json_file_record_is_read_as_its_page(annotator, tmp_path):
    # `annotate FILE.json`, `ingest --annotate` and the lake read records through
    # sources.documents: the same extraction as the JSONL path
    path = tmp_path / "page.json"
    path.write_text(json.dumps([_page_record()]))
    docs = list(sources.read(path, publisher="Example Wire"))
    assert len(docs) == 1 and not isinstance(docs[0], InputError)
    text = docs[0].text
    assert "NATO" not in text and "Finland" not in text and "Iran" not in text
    assert _edge_set(annotator, text) == {("JPN", "PRK", "condemnation")}


def test_pasted_and_uploaded_markup_is_read_as_its_page(annotator):
    html = _page_record()["text"]
    for draft in (review.from_text(html),
                  review.read_upload("page.json", json.dumps(_page_record()).encode(), 20)[0]):
        assert "NATO attacked China" not in draft.text and "Finland" not in draft.text
        assert _edge_set(annotator, draft.text) == {("JPN", "PRK", "condemnation")}


def test_markup_without_readable_text_is_named():
    with pytest.raises(InputError, match="without any readable text"):
        review.from_text("<html><body><script>NATO attacked China.</script></body></html>")
    with pytest.raises(InputError, match="record 1.*without any readable text"):
        review.read_upload("x.json", json.dumps(
            {"id": "x", "text": "<div hidden>NATO attacked China.</div>",
             "published": "2024-06-17"}).encode(), 20)
