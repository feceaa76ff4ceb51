"""Label Studio: read its JSON export of text tasks, write its JSON import format.

A task's `data` holds the text and the article's metadata (`article_id`, `title`,
`published`, `publisher`, `url`, `language`) and, for what a relation in Label Studio cannot
hold (evidence and cue spans, date, confidence, annotator, rule), `atlas_relations`. Spans
are `labels` results (`Actor`, `Evidence`, `Cue`, `Arg`) with the actor id in a per-region
`actor` text area; relations are `relation` results labelled with a taxonomy name. Articles
whose relations are all automatic go out as `predictions`, to be corrected; the others as
`annotations`. Reading takes the last submitted annotation, else the first prediction; an
annotation made from a prediction marks its automatic relations `reviewed`.

Label Studio counts offsets in UTF-16 code units (JavaScript strings); the native format in
code points. The two differ after any character outside the Basic Multilingual Plane (emoji),
so offsets are converted both ways.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from dashboard import reading
from dashboard.errors import InputError
from dashboard.formats import meta, standoff
from dashboard.loaders import Record, validate
from dashboard.models import Annotator, Article
from dashboard.registry import Registry
from dashboard.taxonomy import RelationType

ORIGIN = "labelstudio"
_TYPES = {r.value for r in RelationType}
_AUTOMATIC = (Annotator.AUTO.value, Annotator.MACHINE.value)


class _Offsets:
    """Code-point offsets to UTF-16 offsets and back, for one text."""

    def __init__(self, text: str) -> None:
        self.astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF]
        self.n = len(text)

    def to_utf16(self, i: int) -> int:
        return i + sum(1 for a in self.astral if a < i)

    def from_utf16(self, j: int) -> int:
        # The k-th astral character (0-based) starts at UTF-16 offset a + k.
        return j - sum(1 for k, a in enumerate(self.astral) if a + k < j)


def read(path: Path, defaults: meta.Defaults, registry: Registry | None = None
         ) -> Iterator[Record]:
    registry = registry or Registry.load()
    name = str(path)
    try:
        data = reading.parse_json(reading.read_text(path), file=name)
        side = meta.sidecar(path)
    except InputError as exc:
        yield Record(name, "file", None, (exc,), ORIGIN)
        return
    tasks = data if isinstance(data, list) else [data]
    for n, task in enumerate(tasks, start=1):
        label = f"task {task.get('id', n)}" if isinstance(task, dict) else f"task {n}"
        try:
            record = _task(task, name, label, side, defaults, registry)
        except InputError as exc:
            record = Record(name, label, None, (exc,))
        except meta.SHAPE_ERRORS as exc:
            record = Record(name, label, None, (meta.shape_error(exc, "Label Studio task", name,
                                                             label),))
        yield dataclasses.replace(record, origin=ORIGIN)


def _task(task, file: str, label: str, side: dict, defaults: meta.Defaults,
          registry: Registry) -> Record:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise InputError("expected a task object with 'data'", file=file, record=label)
    data = task["data"]
    text = data.get("text")
    if not isinstance(text, str) or not text:
        raise InputError("is required (the task's text)", file=file, record=label,
                         field="data.text")
    own = {**data, "id": data.get("article_id")}
    info = meta.fill(own, side, defaults, file=file, record=label,
                     default_id=meta.slug(f"{Path(file).stem}-{task.get('id', label)}"))
    result, reviewed = _chosen(task)
    offsets = _Offsets(text)
    spans: dict[str, standoff.Span] = {}
    actors: dict[str, str] = {}
    links: list[standoff.Link] = []
    errors: list[InputError] = []
    for i, item in enumerate(result):
        where = {"file": file, "record": label, "field": f"result[{i}]"}
        kind = item.get("type") if isinstance(item, dict) else None
        value = item.get("value", {}) if isinstance(item, dict) else {}
        try:
            if kind == "labels":
                labels = value.get("labels") or [standoff.ACTOR]
                start, end = offsets.from_utf16(value["start"]), offsets.from_utf16(value["end"])
                span_kind, actor = standoff.kind_of_label(labels[0], registry)
                span = standoff.Span(str(item["id"]), span_kind, start, end)
                spans[span.key] = span
                if actor:
                    actors.setdefault(span.key, actor)
            elif kind == "textarea" and item.get("from_name") == "actor":
                actors[str(item["id"])] = (value.get("text") or [""])[0].strip()
            elif kind == "relation":
                relation = (item.get("labels") or [""])[0].lower()
                if relation not in _TYPES:
                    raise InputError(f"relation label {relation!r} is not one of "
                                     f"{', '.join(_TYPES)}", **where)
                links.append(standoff.Link(f"R{len(links) + 1}", relation,
                                           str(item["from_id"]), str(item["to_id"])))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            errors.append(InputError(f"cannot read this {kind or 'result'}: "
                                     f"{meta.what_is_wrong(exc)}", **where))
        except InputError as exc:
            errors.append(exc)
    _attach_meta(links, data.get("atlas_relations") or [], reviewed)
    for span in spans.values():
        wanted = span.kind not in (standoff.EVIDENCE, standoff.CUE)
        if wanted:
            span.actor = _actor(span, actors.get(span.key), text, info["published"],
                                registry, file, label, errors)
    for link in links:
        for role, ref in (("from_id", link.arg1), ("to_id", link.arg2)):
            if ref not in spans:
                errors.append(InputError(f"{ref} is not a labelled span of this task",
                                         file=file, record=label, field=role))
    if errors:
        return Record(file, label, None, tuple(errors))
    mentions, relations = standoff.unlayout(text, list(spans.values()), links)
    record = validate({**info, "text": text, "mentions": mentions, "relations": relations},
                      file, label)
    return standoff.in_tool_terms(record, list(spans.values()), links)


def _chosen(task: dict) -> tuple[list, bool]:
    annotations = [a for a in task.get("annotations") or []
                   if isinstance(a, dict) and not a.get("was_cancelled")]
    if annotations:
        last = annotations[-1]
        return last.get("result") or [], bool(last.get("parent_prediction"))
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    return (predictions[0].get("result") or [], False) if predictions else ([], False)


def _attach_meta(links: list[standoff.Link], stored: list, reviewed: bool) -> None:
    unused = [m for m in stored if isinstance(m, dict)]
    for link in links:
        for m in unused:
            if (m.get("from_id"), m.get("to_id"), m.get("label")) == (link.arg1, link.arg2,
                                                                      link.type):
                unused.remove(m)
                link.meta = {k: v for k, v in m.items() if k not in ("from_id", "to_id",
                                                                     "label")}
                break
        if reviewed and link.meta.get("annotator") in _AUTOMATIC:
            link.meta["annotator"] = Annotator.REVIEWED.value


def _actor(span, named, text, published, registry, file, label, errors) -> str | None:
    if named:
        return named  # checked against the registry at ingest, like a native actor
    covered = text[span.start:span.end]
    actor = registry.try_resolve(covered, published)
    if actor is None:
        errors.append(InputError(
            f"'{covered}' names no actor the registry knows on {published}: type the actor "
            "id in the region's 'actor' box, or add the name to data/actors/", file=file,
            record=label, field=f"region {span.key}"))
        return None
    return actor.id


def task(article: Article, registry: Registry | None = None) -> dict:
    """The Label Studio import task for `article`."""
    registry = registry or Registry.load()
    spans, links = standoff.layout(article, registry)
    offsets = _Offsets(article.text)
    result: list[dict] = []
    for s in spans:
        value = {"start": offsets.to_utf16(s.start), "end": offsets.to_utf16(s.end),
                 "text": article.text[s.start:s.end]}
        result.append({"id": s.key, "from_name": "label", "to_name": "text", "type": "labels",
                       "value": {**value, "labels": [s.kind]}})
        if s.actor is not None:
            result.append({"id": s.key, "from_name": "actor", "to_name": "text",
                           "type": "textarea", "value": {**value, "text": [s.actor]}})
    for link in links:
        result.append({"type": "relation", "from_id": link.arg1, "to_id": link.arg2,
                       "direction": "right", "labels": [link.type]})
    data = {"text": article.text, "article_id": article.id, "title": article.title,
            "published": article.published.isoformat(), "publisher": article.publisher,
            "language": article.language,
            "atlas_relations": [{"from_id": k.arg1, "to_id": k.arg2, "label": k.type, **k.meta}
                                for k in links]}
    if article.url:
        data["url"] = article.url
    automatic = article.relations and all(r.annotator.value in _AUTOMATIC
                                          for r in article.relations)
    if automatic:
        return {"data": data, "predictions": [{"model_version": "alliance-atlas",
                                               "result": result}]}
    return {"data": data, "annotations": [{"result": result}]}


def label_config() -> str:
    """The labelling interface that matches the tasks `task` makes."""
    relations = "\n".join(f'    <Relation value="{r.value}"/>' for r in RelationType)
    labels = "\n".join(f'    <Label value="{k}"/>' for k in (standoff.ACTOR, *standoff.RESERVED))
    return (f'<View>\n  <Header value="$title"/>\n  <Labels name="label" toName="text">\n'
            f'{labels}\n  </Labels>\n  <Text name="text" value="$text"/>\n  <Relations>\n'
            f'{relations}\n  </Relations>\n  <TextArea name="actor" toName="text" '
            'perRegion="true" editable="true" maxSubmissions="1" '
            'placeholder="actor id: USA, NATO..."/>\n</View>\n')
