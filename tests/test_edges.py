import datetime as dt
from pathlib import Path

import pytest

from dashboard.edges import EDGE_COLUMNS, ArticleRejected, derive
from dashboard.loaders import read_records
from dashboard.models import Article
from dashboard.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures"
REG = Registry.load()


def load(path: Path) -> Article:
    (record,) = list(read_records(path))
    assert record.article is not None, record.errors
    return record.article


def rows(article: Article) -> list[dict]:
    return [dict(zip(EDGE_COLUMNS, e, strict=True)) for e in derive(article, REG).edges]


def test_relations_become_resolved_dated_evidenced_edges():
    article = load(FIXTURES / "good" / "us-rok.json")
    edges = {(e["source"], e["target"], e["relation"]): e for e in rows(article)}
    condemn = edges["USA", "PRK", "condemnation"]
    assert condemn["stance"] == "hostile" and condemn["directed"] is True
    assert condemn["date"] == dt.date(2024, 6, 21)  # the event date, not the published one
    assert condemn["evidence"].startswith("Washington condemned Pyongyang")
    assert condemn["publisher"] == "Atlas Wire"
    assert article.text[condemn["cue_start"]:condemn["cue_end"]] == "condemned"


def test_same_fact_twice_in_one_article_counts_once():
    article = load(FIXTURES / "good" / "us-rok.json")
    condemnations = [e for e in rows(article) if e["relation"] == "condemnation"]
    assert len(condemnations) == 1
    assert condemnations[0]["statements"] == 2


def test_symmetric_relations_are_stored_in_sorted_order_without_direction():
    article = load(FIXTURES / "good" / "us-rok.json")  # written as KOR -> USA
    (alliance,) = [e for e in rows(article) if e["relation"] == "alliance"]
    assert (alliance["source"], alliance["target"], alliance["directed"]) == ("KOR", "USA", False)


def test_undated_relation_takes_the_published_date():
    article = load(FIXTURES / "good" / "us-rok.json")
    (alliance,) = [e for e in rows(article) if e["relation"] == "alliance"]
    assert alliance["date"] == article.published


def test_mentions_resolve_to_actor_ids():
    derived = derive(load(FIXTURES / "good" / "us-rok.json"), REG)
    assert {m[3] for m in derived.mentions} == {"USA", "PRK", "RUS", "KOR"}


@pytest.mark.parametrize("name, field, reason", [
    ("unknown_actor.json", "relations[1].target", "unknown actor 'Atlantis'"),
    ("self_relation.json", "relations[0]", "both KOR"),
    ("office_holder_out_of_term.json", "relations[0].source", "'Blinken' names no actor"),
])
def test_registry_problems_reject_the_article(name, field, reason):
    path = FIXTURES / "bad" / name
    with pytest.raises(ArticleRejected) as info:
        derive(load(path), REG, file=str(path), record="1")
    (error,) = info.value.errors
    assert error.field == field and reason in error.reason
    assert str(path) in str(error) and "record 1" in str(error)


def test_actor_spans_follow_the_swap_of_symmetric_relations():
    text = "Seoul and Washington reaffirmed their alliance."
    article = Article.model_validate({
        "id": "spans", "title": "T", "published": "2024-06-21", "publisher": "P", "text": text,
        "relations": [{"source": "USA", "target": "KOR", "relation": "alliance",
                       "evidence": {"start": 0, "end": len(text)},
                       "source_span": {"start": 10, "end": 20},
                       "target_span": {"start": 0, "end": 5}}]})
    (edge,) = rows(article)
    assert (edge["source"], edge["target"]) == ("KOR", "USA")
    assert text[edge["source_start"]:edge["source_end"]] == "Seoul"
    assert text[edge["target_start"]:edge["target_end"]] == "Washington"
