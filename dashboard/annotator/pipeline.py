"""The annotator: raw text and a published date in, mentions and edges out, and from those a
native `Article` (annotator "auto") that ingests like a hand-annotated one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard.annotator import cues as cue_table
from dashboard.annotator.cleanup import Cleaned, clean
from dashboard.annotator.dates import event_date, find_dates
from dashboard.annotator.mentions import MentionFinder, groups
from dashboard.annotator.relations import sentence_relations
from dashboard.annotator.scanning import Context
from dashboard.annotator.tokens import Sentence, sentences
from dashboard.errors import InputError
from dashboard.models import Annotator as AnnotatorKind
from dashboard.models import Article, Mention, Relation, Span
from dashboard.registry import Registry


@dataclass(frozen=True)
class FoundMention:
    start: int
    end: int
    actor: str
    text: str


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str
    date: dt.date
    evidence: tuple[int, int]
    evidence_text: str
    cue: tuple[int, int]
    source_span: tuple[int, int] | None
    target_span: tuple[int, int] | None
    rule: str
    confidence: float
    event: str = ""
    cameo: str = ""


@dataclass
class Annotation:
    text: str
    published: dt.date
    cleaned: Cleaned
    mentions: list[FoundMention] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    cues: list[tuple[int, int, str]] = field(default_factory=list)
    sentences: int = 0


class Annotator:
    def __init__(self, registry: Registry | None = None,
                 lexicon: cue_table.Lexicon | None = None) -> None:
        self.registry = registry or Registry.load()
        self.lexicon = lexicon or cue_table.load()
        self.finder = MentionFinder(self.registry, self.lexicon)
        self.kinds = {a.id: a.kind.value for a in self.registry.actors.values()}

    def annotate(self, text: str, published: dt.date) -> Annotation:
        if any("\ud800" <= ch <= "\udfff" for ch in text):
            # spaCy (and every file, terminal and store) needs text it can write as UTF-8.
            raise InputError("is not valid Unicode text (it holds an unpaired surrogate such "
                             "as \\ud800)", field="text")
        cleaned = clean(text)
        result = Annotation(text, published, cleaned)
        context = Context()
        seen_mentions: set[tuple[int, int]] = set()
        for sent in sentences(cleaned.text, cleaned.kept):
            result.sentences += 1
            self._sentence(sent, text, published, context, result, seen_mentions)
        return result

    def _sentence(self, sent: Sentence, text: str, published: dt.date, context: Context,
                  result: Annotation, seen: set[tuple[int, int]]) -> None:
        found = self.finder.find(sent, published)
        for m in found:
            span = (sent.starts[m.start], sent.ends[m.end - 1])
            if span not in seen:
                seen.add(span)
                result.mentions.append(FoundMention(*span, m.actor, text[span[0]:span[1]]))
        proposed, hits = sentence_relations(sent, groups(sent, found), self.lexicon,
                                            self.kinds, context)
        for h in hits:
            result.cues.append((sent.starts[h.start], sent.ends[h.end - 1],
                                h.cue.relation.value))
        if not proposed:
            return
        dates = find_dates(sent.lowers, published)
        evidence = (sent.start, sent.end)

        def span(m):
            return (sent.starts[m.start], sent.ends[m.end - 1]) if m is not None else None

        for p in proposed:
            h = p.hit
            result.edges.append(Edge(
                p.source, p.target, h.cue.relation.value,
                event_date(dates, h.start, published), evidence, text[evidence[0]:evidence[1]],
                (sent.starts[h.start], sent.ends[h.end - 1]), span(p.source_mention),
                span(p.target_mention), p.rule, p.confidence, h.cue.event.value, h.cue.cameo))

    def article(self, text: str, *, id: str, title: str, published: dt.date, publisher: str,
                url: str | None = None, annotation: Annotation | None = None) -> Article:
        """A native article holding the automatic annotation."""
        a = annotation or self.annotate(text, published)
        return Article(
            id=id, title=title, published=published, publisher=publisher, url=url, text=text,
            mentions=[Mention(start=m.start, end=m.end, actor=m.actor, text=m.text)
                      for m in a.mentions],
            relations=[Relation(source=e.source, target=e.target, relation=e.relation,
                                date=e.date, evidence=Span(start=e.evidence[0],
                                                           end=e.evidence[1]),
                                cue=Span(start=e.cue[0], end=e.cue[1]),
                                source_span=_span(e.source_span),
                                target_span=_span(e.target_span),
                                confidence=e.confidence, annotator=AnnotatorKind.AUTO,
                                rule=e.rule[:200], event=e.event or None,
                                cameo=e.cameo or None)
                       for e in a.edges])


def _span(offsets: tuple[int, int] | None) -> Span | None:
    return Span(start=offsets[0], end=offsets[1]) if offsets else None
