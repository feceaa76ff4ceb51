import datetime as dt
import json

import pytest

from dashboard.formats import labelstudio
from dashboard.formats.meta import Defaults
from tests.formats.paths import FIXTURES

BAD = FIXTURES / "labelstudio" / "bad"


def _write(tmp_path, tasks):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def test_round_trip_of_the_demo_corpus_loses_nothing(demo_articles, tmp_path):
    path = _write(tmp_path, [labelstudio.task(a) for a in demo_articles])
    records = list(labelstudio.read(path, Defaults()))
    assert [r.errors for r in records if r.errors] == []
    assert [r.article for r in records] == demo_articles
    assert {r.origin for r in records} == {"labelstudio"}


def test_offsets_are_utf16_in_label_studio_and_code_points_here(demo_articles, tmp_path):
    article = demo_articles[0]
    shift = "\U0001F600 "  # one code point, two UTF-16 units
    moved = _shifted(article, shift)
    task = labelstudio.task(moved)
    first = next(r for r in (task.get("annotations") or task["predictions"])[0]["result"]
                 if r["type"] == "labels")
    assert first["value"]["start"] == moved.mentions[0].start + 1
    (record,) = list(labelstudio.read(_write(tmp_path, [task]), Defaults()))
    assert record.article == moved


def _shifted(article, prefix):
    data = article.model_dump()
    n = len(prefix)
    data["text"] = prefix + data["text"]
    for m in data["mentions"]:
        m["start"] += n
        m["end"] += n
    for r in data["relations"]:
        for key in ("evidence", "cue", "source_span", "target_span"):
            if r[key]:
                r[key] = {"start": r[key]["start"] + n, "end": r[key]["end"] + n}
    return type(article).model_validate(data)


def test_automatic_articles_go_out_as_predictions(demo_articles):
    article = demo_articles[0]
    data = article.model_dump()
    for relation in data["relations"]:
        relation["annotator"] = "auto"
    task = labelstudio.task(type(article).model_validate(data))
    assert "predictions" in task and "annotations" not in task
    assert "annotations" in labelstudio.task(article)


def test_an_export_with_a_corrected_prediction(tmp_path):
    records = list(labelstudio.read(FIXTURES / "labelstudio" / "export.json", Defaults()))
    corrected, quiet = (r.article for r in records)
    assert [m.actor for m in corrected.mentions] == ["RUS", "UKR", "FRA", "DEU"]
    threat, support = corrected.relations
    assert (threat.relation.value, threat.annotator.value, threat.rule, threat.confidence) == \
        ("threat", "reviewed", "threaten-verb", 0.7)
    assert (support.source, support.target, support.annotator.value) == ("FRA", "DEU", "human")
    assert corrected.published == dt.date(2024, 5, 3)
    # a cancelled annotation counts for nothing
    assert quiet.id == "quiet-day" and quiet.relations == []


@pytest.mark.parametrize("name, field, words", [
    ("bad_relation_label", "result[2]", "'hug' is not one of"),
    ("missing_text", "data.text", "required"),
    ("broken", None, "broken JSON"),
    ("unknown_actor", "region a", "'Atlantis' names no actor"),
    ("missing_date", "published", "no published date"),
])
def test_bad_input_names_file_task_and_field(name, field, words):
    (record,) = list(labelstudio.read(BAD / f"{name}.json", Defaults()))
    assert record.article is None
    assert any(words in str(e) for e in record.errors), [str(e) for e in record.errors]
    assert all(e.file.endswith(f"{name}.json") for e in record.errors)
    if field:
        assert any(e.field == field and e.record.startswith("task") for e in record.errors)


def test_label_config_matches_the_tasks():
    config = labelstudio.label_config()
    assert '<Relation value="sanction"/>' in config and 'name="actor"' in config
