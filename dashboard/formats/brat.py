"""brat standoff (`doc.txt` + `doc.ann`): read into native articles, write native articles out.

Reading: text-bound annotations (`T`) of an actor type (`Actor`, `Country`, `GPE`, ... see
`standoff.ACTOR_TYPES`) are mentions; relations (`R`) whose type is a taxonomy name are
relations. An actor is named by, first to last: a normalisation (`N1 Reference T1 atlas:USA`,
or any database whose entry name the registry knows), an `Actor` attribute (`A1 Actor T1 USA`),
a note (`#1 AnnotatorNotes T1 USA`), or the covered text resolved by the registry. Metadata
comes from `doc.txt.meta.yaml` or the command line. Writing lays an article out as in
`standoff.layout`; a relation's evidence, cue, date and the like travel in a JSON note on the
relation, so that reading the files back gives the same article.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import yaml

from dashboard import reading
from dashboard.errors import InputError
from dashboard.formats import meta, standoff
from dashboard.loaders import Record, validate
from dashboard.models import Article
from dashboard.registry import Registry
from dashboard.taxonomy import RelationType

ORIGIN = "brat"
ATLAS_DB = "atlas"
_TYPES = {r.value for r in RelationType}


def pair(path: Path) -> tuple[Path, Path]:
    """The (.txt, .ann) pair that `path` (either of them) belongs to."""
    return path.with_suffix(".txt"), path.with_suffix(".ann")


def read(path: Path, defaults: meta.Defaults, registry: Registry | None = None
         ) -> Iterator[Record]:
    registry = registry or Registry.load()
    txt, ann = pair(path)
    label = txt.stem
    for needed in (txt, ann):
        if not needed.is_file():
            yield Record(str(needed), label, None, (InputError(
                f"brat needs both {txt.name} and {ann.name}; this one is missing",
                file=str(needed)),), ORIGIN)
            return
    try:
        text = reading.read_text(txt)  # as bytes decode: brat offsets count \r too
        lines = reading.read_text(ann).splitlines()
        info = meta.fill({}, meta.sidecar(txt), defaults, file=str(txt), record=label,
                         default_id=meta.slug(txt.stem), one_record=True)
    except InputError as exc:
        yield Record(exc.file or str(txt), label, None, (exc,), ORIGIN)
        return
    errors: list[InputError] = []
    spans, links, actors, notes = _parse(lines, str(ann), errors)
    for span in spans:
        span.actor = _actor(span, actors, notes, text, info["published"], registry,
                            str(ann), errors) if _needs_actor(span, links) else None
    for link in links:
        note = notes.get(link.key)
        if note and note.lstrip().startswith(("{", "[")):
            try:
                link.meta = reading.parse_json(note, file=str(ann), record=link.key,
                                               lines=False)
            except InputError:
                link.meta = {}  # a free-text note a person left: not ours to read
            if not isinstance(link.meta, dict):
                errors.append(InputError(
                    "the note on this relation is a JSON list, not the object of relation "
                    "details that `convert --to brat` writes", file=str(ann), record=link.key,
                    field="AnnotatorNotes"))
                link.meta = {}
    if errors:
        yield Record(str(ann), label, None, tuple(errors), ORIGIN)
        return
    try:
        mentions, relations = standoff.unlayout(text, spans, links)
    except meta.SHAPE_ERRORS as exc:  # relation details of the wrong shape in a note
        yield Record(str(ann), label, None, (meta.shape_error(exc, "brat relation note",
                                                              str(ann), label),), ORIGIN)
        return
    record = validate({**info, "text": text, "mentions": mentions, "relations": relations},
                      str(ann), label)
    yield dataclasses.replace(standoff.in_tool_terms(record, spans, links), origin=ORIGIN)


def _parse(lines: list[str], file: str, errors: list[InputError]):
    spans: list[standoff.Span] = []
    links: list[standoff.Link] = []
    actors: dict[str, str] = {}   # T key -> actor named by a normalisation or attribute
    notes: dict[str, str] = {}    # annotated key -> note text
    keys: set[str] = set()
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = {"file": file, "record": f"line {lineno}"}
        parts = line.split("\t")
        key = parts[0]
        try:
            if key.startswith("T"):
                kind, _, offsets = parts[1].partition(" ")
                if ";" in offsets:
                    raise InputError("discontinuous spans are not supported: split it into "
                                     "two annotations", **where, field="span")
                start, end = (int(x) for x in offsets.split())
                kind = (standoff.ACTOR if standoff.is_actor_type(kind) else kind
                        if kind in standoff.RESERVED else standoff.ARG)
                spans.append(standoff.Span(key, kind, start, end))
                keys.add(key)
            elif key.startswith("R"):
                kind, *args = parts[1].split()
                roles = dict(a.split(":", 1) for a in args)
                if kind.lower() not in _TYPES:
                    raise InputError(f"relation type '{kind}' is not one of "
                                     f"{', '.join(RelationType)}", **where, field="type")
                links.append(standoff.Link(key, kind.lower(), roles["Arg1"], roles["Arg2"]))
            elif key.startswith("N"):
                _, target, reference = parts[1].split(" ", 2)
                database, _, entry = reference.partition(":")
                name = parts[2] if len(parts) > 2 else ""
                actors.setdefault(target, entry if database == ATLAS_DB else
                                  f"\0{entry}\0{name}")
            elif key.startswith(("A", "M")):
                name, target, *value = parts[1].split(" ", 2)
                if name.lower() in ("actor", "actor_id") and value:
                    actors[target] = value[0]
            elif key.startswith("#"):
                _, target = parts[1].split(" ", 1)
                notes[target] = parts[2] if len(parts) > 2 else ""
        except InputError as exc:
            errors.append(exc)
        except (ValueError, IndexError, KeyError):
            errors.append(InputError(f"cannot read this {_kind(key)} line: {line[:80]!r}",
                                     **where, field=key or "id"))
    for link in links:
        for role, ref in (("Arg1", link.arg1), ("Arg2", link.arg2)):
            if ref not in keys:
                errors.append(InputError(f"{role} {ref} is not a text-bound annotation of "
                                         "this file", file=file, record=link.key, field=role))
    return spans, links, actors, notes


def _kind(key: str) -> str:
    return {"T": "text-bound", "R": "relation", "N": "normalisation", "A": "attribute",
            "#": "note"}.get(key[:1], "annotation")


def _needs_actor(span: standoff.Span, links: list[standoff.Link]) -> bool:
    if span.kind in (standoff.EVIDENCE, standoff.CUE):
        return False
    return standoff.is_actor_type(span.kind) or any(span.key in (link.arg1, link.arg2)
                                                    for link in links)


def _actor(span, actors, notes, text, published, registry, file, errors) -> str | None:
    named = actors.get(span.key)
    candidates = []
    if named and named.startswith("\0"):
        _, entry, name = named.split("\0")
        candidates = [entry, name]
    elif named:
        return named  # our own database, or an attribute: taken as given, checked at ingest
    note = notes.get(span.key, "")
    if note.startswith("actor:"):
        return note.removeprefix("actor:").strip()  # as `write` puts names with spaces
    candidates += [note.strip()] if note else []
    candidates.append(text[span.start:span.end])
    for candidate in candidates:
        if candidate and registry.try_resolve(candidate, published):
            return registry.try_resolve(candidate, published).id
    errors.append(InputError(
        f"'{text[span.start:span.end]}' names no actor the registry knows on {published}: "
        f"normalise it ('N1\\tReference {span.key} atlas:ID'), give it an 'Actor' attribute "
        "or a note with the actor id, or add the name to data/actors/", file=file,
        record=span.key, field="actor"))
    return None


def write(article: Article, folder: Path, registry: Registry | None = None) -> list[Path]:
    """Write `article` as `<id>.txt`, `<id>.ann` and `<id>.txt.meta.yaml` into `folder`."""
    registry = registry or Registry.load()
    folder.mkdir(parents=True, exist_ok=True)
    spans, links = standoff.layout(article, registry)
    lines, n_norm, n_note = [], 0, 0
    for s in spans:
        lines.append(f"{s.key}\t{s.kind} {s.start} {s.end}\t"
                     f"{_one_line(article.text[s.start:s.end])}")
    for s in spans:
        if s.actor is None:
            continue
        if s.actor.split() == [s.actor] and ":" not in s.actor:
            n_norm += 1
            actor = registry.try_resolve(s.actor, article.published)
            lines.append(f"N{n_norm}\tReference {s.key} {ATLAS_DB}:{s.actor}\t"
                         f"{actor.name if actor else s.actor}")
        else:
            n_note += 1
            lines.append(f"#{n_note}\tAnnotatorNotes {s.key}\tactor: {s.actor}")
    for link in links:
        lines.append(f"{link.key}\t{link.type} Arg1:{link.arg1} Arg2:{link.arg2}")
        if link.meta:
            n_note += 1
            lines.append(f"#{n_note}\tAnnotatorNotes {link.key}\t"
                         f"{json.dumps(link.meta, ensure_ascii=False)}")
    base = folder / article.id
    txt, ann, side = (base.with_name(base.name + s) for s in (".txt", ".ann", ".txt.meta.yaml"))
    with open(txt, "w", encoding="utf-8", newline="") as fh:
        fh.write(article.text)
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    info = article.model_dump(mode="json", include={"id", "title", "published", "publisher",
                                                    "url", "language"}, exclude_none=True)
    side.write_text(yaml.safe_dump(info, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return [txt, ann, side]


def _one_line(text: str) -> str:
    # The covered text is informational in .ann; a line break inside it would break the file.
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def annotation_conf() -> str:
    """brat's annotation.conf for the files `write` makes."""
    kinds = f"{standoff.ACTOR}|{standoff.ARG}"
    relations = "\n".join(f"{r.value}\tArg1:{kinds}, Arg2:{kinds}" for r in RelationType)
    return (f"[entities]\n{standoff.ACTOR}\n{standoff.EVIDENCE}\n{standoff.CUE}\n"
            f"{standoff.ARG}\n\n[relations]\n{relations}\n<OVERLAP>\tArg1:<ENTITY>, "
            "Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n[events]\n\n[attributes]\n")
