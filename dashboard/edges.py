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
from weakref import WeakKeyDictionary

from dashboard.errors import InputError
from dashboard.models import Annotator, Article
from dashboard.registry import Registry, normalise

# Rows are made in the store's column order (`dashboard.schema`).
from dashboard.schema import EDGE_COLUMNS, MENTION_COLUMNS  # noqa: F401
from dashboard.taxonomy import RELATIONS


@dataclass(frozen=True)
class Derived:
    article: Article
    mentions: list[tuple]
    edges: list[tuple]


def derive(article: Article, registry: Registry, *, file: str | None = None,
           record: str | None = None) -> Derived:
    """Mentions and edges of `article`; raises `ArticleRejected` listing every problem."""
    errors: list[InputError] = []
    resolve = _resolver(registry)
    known = resolve.by_name  # canonical ids and timeless aliases: their date does not matter

    def actor_id(name: str, field: str, on: dt.date) -> str | None:
        resolved = resolve(name, on)
        if resolved is None:
            try:
                registry.resolve(name, on)
            except InputError as exc:
                errors.append(InputError(exc.reason, file=file, record=record, field=field))
        return resolved

    article_id, published, text = article.id, article.published, article.text
    mentions = []
    for i, m in enumerate(article.mentions):
        resolved = (known.get(m.actor) or resolve(m.actor, published)
                    or actor_id(m.actor, f"mentions[{i}].actor", published))
        if resolved:
            mentions.append((article_id, m.start, m.end, resolved, text[m.start:m.end]))

    facts: dict[tuple, list] = {}
    for i, r in enumerate(article.relations):
        when = r.date or published
        source = (known.get(r.source) or resolve(r.source, when)
                  or actor_id(r.source, f"relations[{i}].source", when))
        target = (known.get(r.target) or resolve(r.target, when)
                  or actor_id(r.target, f"relations[{i}].target", when))
        if source is None or target is None:
            continue
        if source == target:
            errors.append(InputError(f"source and target are both {source}: a relation needs "
                                     "two different actors", file=file, record=record,
                                     field=f"relations[{i}]"))
            continue
        relation, stance, directed = _RELATION_VALUES[r.relation]
        source_span, target_span = r.source_span, r.target_span
        if not directed and target < source:
            source, target = target, source
            source_span, target_span = target_span, source_span
        key = (source, target, relation, when)
        fact = facts.get(key)
        if fact is not None:
            fact[-1] += 1
            continue
        evidence, cue = r.evidence, r.cue
        facts[key] = [article_id, source, target, relation, stance, directed, when,
                      article.publisher, text[evidence.start:evidence.end], evidence.start,
                      evidence.end, cue.start if cue else None, cue.end if cue else None,
                      *_offsets(source_span), *_offsets(target_span), r.confidence,
                      _ANNOTATOR_VALUES[r.annotator], r.rule,
                      r.event.value if r.event else None, r.cameo, 1]
    if errors:
        raise ArticleRejected(errors)
    return Derived(article, mentions, [tuple(row) for row in facts.values()])


# Plain-str values of the enums, looked up once (an enum's `.value` is a slow descriptor).
_RELATION_VALUES = {relation: (relation.value, info.stance.value, not info.symmetric)
                    for relation, info in RELATIONS.items()}
_ANNOTATOR_VALUES = {annotator: annotator.value for annotator in Annotator}

_MISSING = object()
_CACHE_LIMIT = 200_000


class _Resolver:
    """`registry.try_resolve(name, on)` as an actor id, memoised for one registry.

    A registry does not change once loaded, and a name's resolution depends on the date only
    when some alias with its lookup key has a term (office holders): canonical ids and timeless
    aliases are cached by name alone, dated names by (name, date). The caches are cleared when
    they grow past `_CACHE_LIMIT` entries, so memory stays bounded on any input.
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.dated_keys = frozenset(normalise(a.text) for a in registry.aliases
                                    if a.valid_from is not None or a.valid_to is not None)
        self.by_name: dict[str, str | None] = {}
        self.by_name_and_date: dict[tuple[str, dt.date | None], str | None] = {}

    def __call__(self, name: str, on: dt.date | None) -> str | None:
        hit = self.by_name.get(name, _MISSING)
        if hit is not _MISSING:
            return hit
        if name in self.registry.actors or normalise(name) not in self.dated_keys:
            actor = self.registry.try_resolve(name, on)
            if len(self.by_name) >= _CACHE_LIMIT:
                self.by_name.clear()
            self.by_name[name] = resolved = actor.id if actor else None
            return resolved
        key = (name, on)
        hit = self.by_name_and_date.get(key, _MISSING)
        if hit is not _MISSING:
            return hit
        actor = self.registry.try_resolve(name, on)
        if len(self.by_name_and_date) >= _CACHE_LIMIT:
            self.by_name_and_date.clear()
        self.by_name_and_date[key] = resolved = actor.id if actor else None
        return resolved


_RESOLVERS: WeakKeyDictionary[Registry, _Resolver] = WeakKeyDictionary()


def _resolver(registry: Registry) -> _Resolver:
    resolver = _RESOLVERS.get(registry)
    if resolver is None:
        resolver = _RESOLVERS[registry] = _Resolver(registry)
    return resolver


class ArticleRejected(Exception):
    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("; ".join(map(str, errors)))


def _offsets(span) -> tuple[int | None, int | None]:
    return (span.start, span.end) if span is not None else (None, None)
