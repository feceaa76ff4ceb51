"""Turn one validated article into the rows the store keeps: its mentions and its edges.

Actor names are resolved through the registry on the article's date. One edge row stands for
one fact in one article: the same (source, target, relation, date) stated twice in an article is
kept once, with `statements` counting how often it was said. Symmetric relations (alliance,
cooperation) are stored with the two actors in sorted order, so "A and B" and "B and A" are one
fact. Weights across articles are counted at query time (distinct articles and publishers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.errors import InputError
from dashboard.models import Article
from dashboard.registry import Registry
from dashboard.taxonomy import RELATIONS

EDGE_COLUMNS = ("article_id", "source", "target", "relation", "stance", "directed", "date",
                "publisher", "evidence", "evidence_start", "evidence_end", "cue_start",
                "cue_end", "confidence", "annotator", "rule", "statements")
MENTION_COLUMNS = ("article_id", "start_offset", "end_offset", "actor_id", "surface")


@dataclass(frozen=True)
class Derived:
    article: Article
    mentions: list[tuple]
    edges: list[tuple]


def derive(article: Article, registry: Registry, *, file: str | None = None,
           record: str | None = None) -> Derived:
    """Mentions and edges of `article`; raises `ArticleRejected` listing every problem."""
    errors: list[InputError] = []

    def actor_id(name: str, field: str, on: dt.date) -> str | None:
        actor = registry.try_resolve(name, on)
        if actor is None:
            try:
                registry.resolve(name, on)
            except InputError as exc:
                errors.append(InputError(exc.reason, file=file, record=record, field=field))
        return actor.id if actor else None

    mentions = []
    for i, m in enumerate(article.mentions):
        resolved = actor_id(m.actor, f"mentions[{i}].actor", article.published)
        if resolved:
            mentions.append((article.id, m.start, m.end, resolved,
                             article.text[m.start:m.end]))

    facts: dict[tuple, list] = {}
    for i, r in enumerate(article.relations):
        when = r.date or article.published
        source = actor_id(r.source, f"relations[{i}].source", when)
        target = actor_id(r.target, f"relations[{i}].target", when)
        if source is None or target is None:
            continue
        if source == target:
            errors.append(InputError(f"source and target are both {source}: a relation needs "
                                     "two different actors", file=file, record=record,
                                     field=f"relations[{i}]"))
            continue
        info = RELATIONS[r.relation]
        if info.symmetric:
            source, target = sorted((source, target))
        key = (source, target, r.relation.value, when)
        if key in facts:
            facts[key][-1] += 1
            continue
        facts[key] = [article.id, source, target, r.relation.value, info.stance.value,
                      not info.symmetric, when, article.publisher,
                      article.text[r.evidence.start:r.evidence.end], r.evidence.start,
                      r.evidence.end, r.cue.start if r.cue else None,
                      r.cue.end if r.cue else None, r.confidence, r.annotator.value, r.rule, 1]
    if errors:
        raise ArticleRejected(errors)
    return Derived(article, mentions, [tuple(row) for row in facts.values()])


class ArticleRejected(Exception):
    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("; ".join(map(str, errors)))
