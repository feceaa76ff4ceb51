"""The review loop's pure logic: the edited edge table back to a native article, the
highlighted article, and saving next to the store."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from dashboard.annotator import review
from dashboard.errors import InputError
from dashboard.loaders import read_records
from dashboard.models import Article

PUBLISHED = dt.date(2024, 5, 3)
TEXT = ("Fiji and Tonga sign defence pact\n\nPublished: 3 May 2024\n\n"
        "Fiji and Tonga signed a defence pact on Friday. "
        "The US imposed sanctions on Iran <svg/onload=alert(1)>.")
# A tag that is not HTML a page holds (svg) leaves the pasted text as typed, so the view must
# escape it; pasted HTML is read as its page (tests/annotator/test_bad_input.py).


@pytest.fixture(scope="module")
def proposal(annotator):
    return review.propose(annotator, review.from_text(TEXT), PUBLISHED)


@pytest.fixture
def table(proposal, annotator):
    return review.edge_table(proposal, annotator.registry)


def _triples(relations):
    return [(r.source, r.target, r.relation.value) for r in relations]


def test_pasted_text_gives_title_and_date():
    draft = review.from_text(TEXT)
    assert draft.title == "Fiji and Tonga sign defence pact"
    assert draft.published == PUBLISHED


def test_article_id_is_date_and_title_slug():
    assert (review.article_id(PUBLISHED, "Fiji & Tonga sign a <defence> pact!")
            == "2024-05-03-fiji-tonga-sign-a-defence-pact")
    assert review.article_id(PUBLISHED, "???") == "2024-05-03-article"


def test_table_holds_the_proposed_edges(table, proposal):
    assert ("USA", "IRN", "sanction") in set(zip(table["source"], table["target"],
                                                   table["relation"], strict=True))
    assert table["keep"].all()
    assert list(table["n"]) == list(range(1, len(table) + 1))
    for _, row in table.iterrows():
        start, end = proposal.sentences[row["evidence"]]
        assert row["source_start"] >= start and row["cue_end"] <= end


def test_untouched_table_gives_reviewed_relations(table, proposal):
    relations, problems = review.reviewed_relations(table, proposal)
    assert not problems
    assert _triples(relations) == _triples(proposal.relations)
    assert {r.annotator.value for r in relations} == {"reviewed"}
    assert all(r.confidence == 1.0 and r.cue and r.source_span and r.rule for r in relations)


def test_deleted_and_unticked_rows_are_dropped(table, proposal):
    sanction = table.index[table["relation"] == "sanction"][0]
    edited = table.drop(index=table.index[0])
    edited.loc[sanction, "keep"] = False
    relations, _ = review.reviewed_relations(edited, proposal)
    assert len(relations) == len(table) - 2
    assert "sanction" not in {r.relation.value for r in relations}


def test_changed_relation_and_actor_are_kept_without_stale_spans(table, proposal):
    row = table.index[table["relation"] == "sanction"][0]
    edited = table.copy()
    edited.loc[row, "relation"] = "threat"
    edited.loc[row, "target"] = "RUS"
    relations, problems = review.reviewed_relations(edited, proposal)
    assert not problems
    changed = [r for r in relations if r.relation.value == "threat"]
    assert len(changed) == 1 and changed[0].target == "RUS" and changed[0].source == "USA"
    # The cue and the target's words no longer say this; the source's still do.
    assert changed[0].cue is None and changed[0].target_span is None
    assert changed[0].source_span is not None


def test_added_row_becomes_a_valid_relation(table, proposal):
    fiji = next(i for i, (s, e) in enumerate(proposal.sentences)
                if proposal.text[s:e].startswith("Fiji and Tonga signed"))
    added = {"keep": True, "source": "AUS", "relation": "support", "target": "FJI",
             "evidence": fiji}
    edited = review.pd.concat([table, review.pd.DataFrame([added])], ignore_index=True)
    relations, problems = review.reviewed_relations(edited, proposal)
    assert not problems
    new = relations[-1]
    assert (new.source, new.target, new.relation.value) == ("AUS", "FJI", "support")
    assert proposal.text[new.evidence.start:new.evidence.end].startswith("Fiji and Tonga")
    assert new.date == PUBLISHED and new.rule is None and new.annotator.value == "reviewed"
    article = review.reviewed_article(proposal, relations, id="x-1", title="T",
                                      publisher="P", url=None)
    Article.model_validate(json.loads(article.model_dump_json()))


def test_incomplete_or_self_rows_block_saving(table, proposal):
    rows = [{"keep": True, "source": "AUS", "relation": None, "target": "FJI", "evidence": 0},
            {"keep": True, "source": "AUS", "relation": "support", "target": "AUS",
             "evidence": 0},
            {"keep": False}]  # an unticked empty row is simply ignored
    edited = review.pd.concat([table, review.pd.DataFrame(rows)], ignore_index=True)
    relations, problems = review.reviewed_relations(edited, proposal)
    assert len(relations) == len(table)
    assert len(problems) == 2
    assert "choose its relation, or untick" in problems[0] and "both AUS" in problems[1]


def test_invalid_metadata_is_an_input_error(proposal):
    with pytest.raises(InputError, match="url"):
        review.reviewed_article(proposal, [], id="a", title="T", publisher="P",
                                url="javascript:alert(1)")


def test_highlighting_escapes_text_and_marks_offsets(proposal):
    page = review.highlight_html(proposal, {"FJI": "Fiji <FJI>"})
    assert "<svg" not in page
    assert "&lt;svg/onload=alert(1)&gt;" in page
    assert 'title="Fiji &lt;FJI&gt;">Fiji</mark>' in page
    marks = page.count('<mark class="aa-m"')
    assert marks == len(proposal.mentions)
    sanction = next(c for c in proposal.cues if c[2] == "sanction")
    assert TEXT[sanction[0]:sanction[1]] == "sanctions"
    assert 'title="cue: Sanction">sanctions</span>' in page
    assert '<sup class="aa-n">1</sup>' in page


def test_highlighting_handles_overlaps_and_hostile_markup():
    hostile = "<img src=x onerror=alert(1)> Russia"
    proposal = review.Proposal(hostile, PUBLISHED, [(29, 35, "RUS")],
                               [(30, 33, "threat")], [(0, 28, "boilerplate")], [], [])
    page = review.highlight_html(proposal)
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    # The cue inside the mention splits it but both stay marked.
    assert page.count('<mark class="aa-m"') == 3
    assert '<span class="aa-c"' in page


def test_uploads_are_checked():
    with pytest.raises(InputError, match="unsupported file type '.exe'"):
        review.read_upload("story.exe", b"hi", 20)
    with pytest.raises(InputError, match="over the 1 MB upload limit"):
        review.read_upload("story.txt", b"x" * (1024 * 1024 + 1), 1)
    with pytest.raises(InputError, match="not UTF-8"):
        review.read_upload("story.txt", b"\xff\xfe\x00", 20)
    with pytest.raises(InputError, match="broken JSON"):
        review.read_upload("story.json", b"{", 20)


def test_html_and_json_uploads_carry_their_metadata():
    page = (b'<html><head><title>Pact</title><meta property="og:site_name" content="Wire">'
            b'<meta property="article:published_time" content="2024-05-03T10:00">'
            b"</head><body><p>Fiji and Tonga signed a pact.</p><script>x()</script></body>"
            b"</html>")
    [draft] = review.read_upload("pact.html", page, 20)
    assert (draft.title, draft.publisher, draft.published) == ("Pact", "Wire", PUBLISHED)
    assert "x()" not in draft.text and draft.id is None
    raw = [{"id": "r-1", "text": "Fiji thanked Tonga.", "published": "2024-05-03"},
           {"id": "r-2", "text": "Tonga thanked Fiji."}]
    drafts = review.read_upload("records.json", json.dumps(raw).encode(), 20)
    assert [d.id for d in drafts] == ["r-1", "r-2"] and drafts[1].published is None
    assert drafts[0].relations is None


def test_native_article_upload_reviews_its_own_relations(annotator):
    data = open("tests/fixtures/good/us-rok.json", "rb").read()
    [draft] = review.read_upload("us-rok.json", data, 20)
    assert draft.relations and draft.id == "fixture-us-rok"
    proposal = review.propose(annotator, draft, draft.published)
    table = review.edge_table(proposal, annotator.registry)
    relations, problems = review.reviewed_relations(table, proposal)
    assert not problems and len(relations) == len(draft.relations)
    assert relations[0].source == "USA"  # "Washington" resolved to its canonical id


def test_save_writes_valid_json_atomically_and_ingests(tmp_path, proposal, table):
    from dashboard.store import connect_read_only, ingest
    db = tmp_path / "store" / "atlas.duckdb"
    db.parent.mkdir()
    shutil.copytree("tests/fixtures/good", tmp_path / "good")
    ingest([tmp_path / "good"], db)
    relations, _ = review.reviewed_relations(table, proposal)
    article = review.reviewed_article(proposal, relations, id="2024-05-03-pact",
                                      title="Pact", publisher="Wire", url=None)
    path, report = review.save(article, db)
    assert path == tmp_path / "store" / "reviewed" / "2024-05-03-pact.json"
    assert report.added == 1
    [record] = list(read_records(path))
    assert record.article == article
    assert not list(path.parent.glob(".*.tmp"))  # no temporary file left behind
    con = connect_read_only(db)
    try:
        annotators = con.execute("SELECT DISTINCT annotator FROM edges "
                                 "WHERE article_id = '2024-05-03-pact'").fetchall()
    finally:
        con.close()
    assert annotators == [("reviewed",)]
    # Saving again replaces the file and the stored article instead of adding another.
    path2, report2 = review.save(article.model_copy(update={"title": "Pact 2"}), db)
    assert path2 == path and report2.updated == 1


def test_save_refuses_an_article_the_store_would_reject(tmp_path, proposal):
    bad = review.Relation(source="Atlantis", target="FJI", relation="support",
                          evidence=review.Span(start=0, end=4))
    article = review.reviewed_article(proposal, [bad], id="bad", title="T", publisher="P",
                                      url=None)
    with pytest.raises(InputError, match="Atlantis"):
        review.save(article, tmp_path / "atlas.duckdb")
    assert not (tmp_path / "reviewed").exists()
