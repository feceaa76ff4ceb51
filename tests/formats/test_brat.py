import datetime as dt

import pytest

from dashboard.formats import brat
from dashboard.formats.meta import Defaults
from tests.formats.paths import FIXTURES

BAD = FIXTURES / "brat" / "bad"


def _one(path, defaults=None):
    (record,) = list(brat.read(path, defaults or Defaults()))
    return record


def test_round_trip_of_the_demo_corpus_loses_nothing(demo_articles, tmp_path):
    for article in demo_articles:
        brat.write(article, tmp_path)
        record = _one(tmp_path / f"{article.id}.ann")
        assert record.errors == () and record.origin == "brat"
        assert record.article == article


def test_round_trip_keeps_aliases_spans_and_automatic_fields(demo_articles, tmp_path):
    data = demo_articles[0].model_dump()
    # A relation on a span no mention covers, an alias with a space, a rule with a space.
    data["relations"][0].update(source="Washington DC", annotator="auto", rule="x y",
                                source_span={"start": 2, "end": 5}, date=dt.date(2022, 1, 1))
    article = type(demo_articles[0]).model_validate(data)
    brat.write(article, tmp_path)
    assert _one(tmp_path / f"{article.id}.txt").article == article


def test_foreign_annotations_are_normalised_every_way(tmp_path):
    record = _one(FIXTURES / "brat" / "tariffs.ann")
    a = record.article
    assert (a.id, a.published, a.publisher) == ("tariffs", dt.date(2025, 3, 4), "Example Wire")
    # registry (Ottawa), foreign normalisation (Wikidata entry name), attribute, note
    assert [m.actor for m in a.mentions] == ["CAN", "USA", "CAN", "MEX"]
    condemn, coop = a.relations
    assert (condemn.source, condemn.target, condemn.relation.value) == ("CAN", "USA",
                                                                         "condemnation")
    assert condemn.confidence == 0.8 and a.text[condemn.evidence.start:condemn.evidence.end] \
        == "Ottawa rebuked Washington over tariffs on Monday."
    # a relation drawn without our note: the sentence around both ends is its evidence
    assert a.text[coop.evidence.start:coop.evidence.end] == \
        "Canada and Mexico signed a trade pact."
    assert coop.annotator.value == "human"


def test_metadata_from_the_command_line_when_there_is_no_sidecar(tmp_path):
    (tmp_path / "d.txt").write_text("Paris praised Berlin.", encoding="utf-8")
    (tmp_path / "d.ann").write_text("T1\tActor 0 5\tParis\nT2\tActor 14 20\tBerlin\n"
                                    "R1\tsupport Arg1:T1 Arg2:T2\n", encoding="utf-8")
    missing = _one(tmp_path / "d.ann")
    assert missing.article is None and missing.errors[0].field == "published"
    record = _one(tmp_path / "d.ann", Defaults(dt.date(2024, 1, 2), "Desk", "Praise"))
    assert (record.article.title, record.article.publisher) == ("Praise", "Desk")


@pytest.mark.parametrize("name, field, words", [
    ("bad_relation_type", "type", "'hug' is not one of"),
    ("unknown_actor", "actor", "'Atlantis' names no actor"),
    ("discontinuous", "span", "discontinuous"),
    ("missing_arg", "Arg2", "T9 is not a text-bound annotation"),
    ("no_text", None, "missing"),
    ("span_outside_text", "T2", "outside the text"),
])
def test_bad_input_names_file_line_and_field(name, field, words):
    record = _one(BAD / f"{name}.ann")
    assert record.article is None
    messages = [str(e) for e in record.errors]
    assert any(words in m for m in messages), messages
    error = record.errors[0]
    assert error.file and error.file.endswith((".ann", ".txt"))
    if field:
        assert any(e.field == field for e in record.errors), [e.field for e in record.errors]
        assert all(e.record for e in record.errors)


def test_annotation_conf_names_every_relation_type():
    conf = brat.annotation_conf()
    for relation in ("alliance", "condemnation", "attack"):
        assert f"\n{relation}\tArg1:" in conf
