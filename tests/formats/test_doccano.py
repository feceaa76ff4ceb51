import datetime as dt

import pytest

from dashboard.formats import doccano
from dashboard.formats.meta import Defaults
from tests.formats.paths import FIXTURES

BAD = FIXTURES / "doccano" / "bad"


def test_entities_and_relations_become_mentions_and_relations():
    records = list(doccano.read(FIXTURES / "doccano" / "export.jsonl",
                                Defaults(dt.date(2024, 6, 2), "Desk")))
    first, second = (r.article for r in records)
    assert {r.origin for r in records} == {"doccano"}
    assert [m.actor for m in first.mentions] == ["CHN", "JPN", "KOR", "USA"]
    condemn, talks = first.relations
    assert (condemn.source, condemn.target, condemn.relation.value) == ("CHN", "JPN",
                                                                         "condemnation")
    assert first.text[talks.evidence.start:talks.evidence.end] == \
        "Seoul and Washington held talks."
    assert (second.id, second.published, second.publisher) == ("quiet", dt.date(2024, 6, 2),
                                                               "Desk")


@pytest.mark.parametrize("name, field, words", [
    ("bad_type", "relations[0].type", "'hug' is not one of"),
    ("bad_entity", "entities[0]", "end_offset"),
    ("unknown_actor", "relations[0].from_id", "'Atlantis' names no actor"),
    ("broken_line", None, "broken JSON"),
    ("missing_publisher", "publisher", "no publisher"),
])
def test_bad_input_names_file_line_and_field(name, field, words):
    (record,) = list(doccano.read(BAD / f"{name}.jsonl", Defaults()))
    assert record.article is None
    assert any(words in str(e) for e in record.errors), [str(e) for e in record.errors]
    assert all(e.record == "line 1" for e in record.errors)
    if field:
        assert any(e.field == field for e in record.errors), [e.field for e in record.errors]
