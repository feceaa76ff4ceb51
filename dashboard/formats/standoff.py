"""What brat and Label Studio share: an article as text-bound spans and binary links.

Both tools annotate spans and draw binary relations between two spans; a native relation has
more than that (an evidence span, a cue, a date, a confidence, an annotator, a rule). So an
article is laid out as spans of four kinds (`Actor` mentions; `Evidence` and `Cue` spans; `Arg`
spans that a relation needs as an end but that are not mentions) and links whose `meta` keeps
the rest. Reading back inverts it exactly; a link drawn in the tool without meta gets the
defaults an analyst expects (the sentence around both ends as evidence, annotator `human`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from dashboard.errors import InputError
from dashboard.loaders import Record
from dashboard.models import Article, Relation
from dashboard.registry import Registry

ACTOR, EVIDENCE, CUE, ARG = "Actor", "Evidence", "Cue", "Arg"
RESERVED = (EVIDENCE, CUE, ARG)
# Entity types of other projects' brat/Label Studio/doccano set-ups that name actors.
ACTOR_TYPES = {"actor", "country", "state", "organisation", "organization", "org", "gpe",
               "norp", "government"}
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)|\n\s*\n")


@dataclass
class Span:
    key: str
    kind: str
    start: int
    end: int
    actor: str | None = None


@dataclass
class Link:
    key: str
    type: str
    arg1: str
    arg2: str
    meta: dict = field(default_factory=dict)


def is_actor_type(kind: str) -> bool:
    return kind == ACTOR or kind.lower() in ACTOR_TYPES


def kind_of_label(label: str, registry: Registry) -> tuple[str, str | None]:
    """The span kind a tool's label stands for, and the actor if the label is an actor id
    (projects that label spans `USA`, `RUS`... instead of `Actor`)."""
    if label in RESERVED or is_actor_type(label):
        return (ACTOR if is_actor_type(label) else label), None
    if label in registry.actors:
        return ACTOR, label
    return ARG, None


def layout(article: Article, registry: Registry, key=lambda n: f"T{n}") -> tuple[
        list[Span], list[Link]]:
    """The spans and links that stand for `article`'s mentions and relations."""
    spans: list[Span] = [Span(key(i), ACTOR, m.start, m.end, m.actor)
                         for i, m in enumerate(article.mentions, start=1)]
    by_place: dict[tuple, Span] = {}
    for s in spans:
        by_place.setdefault((s.kind, s.start, s.end), s)

    def span_of(kind: str, start: int, end: int, actor: str | None = None) -> Span:
        found = by_place.get((kind, start, end))
        if found is None or (actor is not None and found.actor != actor):
            found = Span(key(len(spans) + 1), kind, start, end, actor)
            spans.append(found)
            by_place.setdefault((kind, start, end), found)
        return found

    links = []
    for i, r in enumerate(article.relations, start=1):
        meta: dict = {"evidence": span_of(EVIDENCE, r.evidence.start, r.evidence.end).key}
        if r.cue is not None:
            meta["cue"] = span_of(CUE, r.cue.start, r.cue.end).key
        ends = []
        for name, actor, given in (("source", r.source, r.source_span),
                                   ("target", r.target, r.target_span)):
            if given is not None:
                end = next((s for s in spans if s.kind == ACTOR and s.actor == actor
                            and (s.start, s.end) == (given.start, given.end)), None) \
                    or span_of(ARG, given.start, given.end, actor)
            else:
                meta[f"{name}_span"] = None
                end = _mention_of(spans, actor, r, article, registry) \
                    or span_of(ARG, r.evidence.start, r.evidence.end, actor)
            if end.actor != actor:
                meta[name] = actor
            ends.append(end)
        for name, value, default in (("date", r.date, None), ("confidence", r.confidence, 1.0),
                                     ("annotator", r.annotator.value, "human"),
                                     ("rule", r.rule, None)):
            if value != default:
                meta[name] = value.isoformat() if name == "date" else value
        links.append(Link(f"R{i}", r.relation.value, ends[0].key, ends[1].key, meta))
    return spans, links


def _mention_of(spans: list[Span], actor: str, r: Relation, article: Article,
                registry: Registry) -> Span | None:
    """A mention of `actor` to hang the relation on: inside its evidence if possible."""
    when = r.date or article.published
    wanted = _canonical(actor, when, registry)
    candidates = [s for s in spans if s.kind == ACTOR
                  and _canonical(s.actor, when, registry) == wanted]
    inside = [s for s in candidates if r.evidence.start <= s.start and s.end <= r.evidence.end]
    return (inside or candidates or [None])[0]


def _canonical(name: str | None, when, registry: Registry) -> str | None:
    actor = registry.try_resolve(name, when) if name else None
    return actor.id if actor else name


def unlayout(text: str, spans: list[Span], links: list[Link]) -> tuple[list[dict], list[dict]]:
    """The native `mentions` and `relations` (plain dicts, to be validated) of the layout."""
    by_key = {s.key: s for s in spans}
    mentions = [{"start": s.start, "end": s.end, "actor": s.actor, "text": text[s.start:s.end]}
                for s in spans if s.kind == ACTOR]
    relations = []
    for link in links:
        meta, one, two = link.meta, by_key[link.arg1], by_key[link.arg2]
        relation: dict = {"source": meta.get("source") or one.actor,
                          "target": meta.get("target") or two.actor,
                          "relation": link.type}
        evidence = by_key.get(meta.get("evidence", ""))
        relation["evidence"] = ({"start": evidence.start, "end": evidence.end} if evidence
                                else sentence_around(text, min(one.start, two.start),
                                                     max(one.end, two.end)))
        cue = by_key.get(meta.get("cue", ""))
        if cue is not None:
            relation["cue"] = {"start": cue.start, "end": cue.end}
        for name, end in (("source_span", one), ("target_span", two)):
            if name not in meta:
                relation[name] = {"start": end.start, "end": end.end}
        for name in ("date", "confidence", "annotator", "rule"):
            if name in meta:
                relation[name] = meta[name]
        relations.append(relation)
    return mentions, relations


def sentence_around(text: str, start: int, end: int) -> dict:
    """The span of the sentence(s) that hold text[start:end]."""
    first, last = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            first = m.end()
        elif m.start() >= end:
            last = m.end() if not m.group().startswith("\n") else m.start()
            break
    while first < start and text[first].isspace():
        first += 1
    return {"start": first, "end": max(last, end)}


def in_tool_terms(record: Record, spans: list[Span], links: list[Link]) -> Record:
    """`record` with native field names (mentions[1], relations[0].target_span) of its errors
    turned into the tool's annotation ids (T2, R1), which is what a user can find."""
    if not record.errors:
        return record
    actors = [s.key for s in spans if s.kind == ACTOR]
    names = {f"mentions[{i}]": key for i, key in enumerate(actors)}
    names.update({f"relations[{i}]": link.key for i, link in enumerate(links)})

    def renamed(error: InputError) -> InputError:
        field_name = error.field or ""
        head, dot, rest = field_name.partition(".")
        if head in names:
            field_name = names[head] + (f" ({rest})" if dot else "")
        return InputError(error.reason, file=error.file, record=error.record,
                          field=field_name or None)

    return dataclasses.replace(record, errors=tuple(renamed(e) for e in record.errors))
