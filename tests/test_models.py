import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from dashboard.models import Article, json_schema

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Seoul and Washington reaffirmed their alliance."


def article(**changes) -> dict:
    data = {"id": "a1", "title": "T", "published": "2024-06-21", "publisher": "P",
            "text": TEXT,
            "mentions": [{"start": 0, "end": 5, "actor": "KOR", "text": "Seoul"}],
            "relations": [{"source": "KOR", "target": "USA", "relation": "alliance",
                           "evidence": {"start": 0, "end": len(TEXT)}}]}
    data.update(changes)
    return data


def test_valid_article_defaults():
    a = Article.model_validate(article())
    rel = a.relations[0]
    assert rel.confidence == 1.0 and rel.annotator == "human" and rel.date is None


@pytest.mark.parametrize("changes, needle", [
    ({"url": "javascript:alert(1)"}, "http"),
    ({"url": "ftp://example.org/x"}, "http"),
    ({"id": "has space"}, "pattern"),
    ({"published": "21/06/2024"}, "date"),
    ({"mentions": [{"start": 0, "end": 99, "actor": "KOR"}]}, "outside the text"),
    ({"mentions": [{"start": 0, "end": 5, "actor": "KOR", "text": "Tokyo"}]}, "not 'Tokyo'"),
    ({"mentions": [{"start": 5, "end": 5, "actor": "KOR"}]}, "must be after start"),
    ({"relations": [{"source": "KOR", "target": "USA", "relation": "friendship",
                     "evidence": {"start": 0, "end": 5}}]}, "friendship"),
    ({"relations": [{"source": "KOR", "target": "USA", "relation": "support",
                     "evidence": {"start": 0, "end": 5}, "confidence": 1.5}]}, "less than"),
    ({"colour": "red"}, "Extra inputs"),
])
def test_invalid_articles_are_rejected(changes, needle):
    with pytest.raises(ValidationError) as info:
        Article.model_validate(article(**changes))
    assert needle in str(info.value)


def test_content_hash_follows_content():
    a = Article.model_validate(article())
    assert a.content_hash() == Article.model_validate(article()).content_hash()
    assert a.content_hash() != Article.model_validate(article(title="Other")).content_hash()


def test_committed_json_schema_is_current():
    committed = json.loads((ROOT / "data/schema/article.schema.json").read_text())
    assert committed == json_schema(), "alliance-atlas schema --out data/schema/article.schema.json"


def test_documented_example_is_valid():
    example = json.loads((ROOT / "docs/example-article.json").read_text())
    Article.model_validate(example)
