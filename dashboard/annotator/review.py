"""The review loop without Streamlit: a raw document in, proposed edges as an editable table,
the analyst's edited table back out as a native `Article` whose relations are all "reviewed",
and that article written next to the store and ingested.

Decisions (the Annotate page, docs in its module docstring too):
  * Evidence is always a whole sentence chosen from the article's sentences (the ones the
    annotator reads), for proposed and added rows alike: a sentence is what the Overview's
    evidence table shows, and a fixed list keeps offsets valid without the analyst typing them.
  * A reviewed relation gets confidence 1.0 (a person vouched for it) and keeps the annotator's
    `rule` as provenance. The cue and the actor spans are kept only while the row still says
    what the annotator found: changing an actor drops its span, changing the relation or the
    sentence drops the cue, since those spans would then point at the wrong words.
  * Reviewed articles go to `<store folder>/reviewed/<id>.json`; the id is
    `<published>-<slug of the title>` unless the analyst gives one.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from dashboard.annotator import sources
from dashboard.annotator.cleanup import from_html, from_markdown, from_plain
from dashboard.annotator.pipeline import Annotator
from dashboard.annotator.tokens import sentences
from dashboard.atomic import replace_file
from dashboard.edges import ArticleRejected, derive
from dashboard.errors import InputError
from dashboard.loaders import Record
from dashboard.models import Annotator as AnnotatorKind
from dashboard.models import Article, Mention, Relation, Span
from dashboard.palette import colour, label
from dashboard.registry import Registry
from dashboard.store import IngestReport, ingest_records

UPLOAD_TYPES = ("txt", "md", "markdown", "html", "htm", "json")
TABLE_COLUMNS = ("n", "keep", "source", "relation", "target", "date", "evidence",
                 "confidence", "rule")
# Kept out of sight in the editor: what the annotator proposed, to tell an edited row from an
# untouched one, and the spans that only stay valid while the row is untouched.
HIDDEN_COLUMNS = ("was_source", "was_target", "was_relation", "was_evidence", "cue_start",
                  "cue_end", "source_start", "source_end", "target_start", "target_end")


@dataclass
class Draft:
    """A document loaded for review: its text and whatever metadata it carries."""

    text: str
    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None
    url: str | None = None
    id: str | None = None
    relations: list[Relation] | None = None  # a native article's own; None: ask the annotator
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Proposal:
    """What the page shows for one text and date: highlights, sentences and relations."""

    text: str
    published: dt.date
    mentions: list[tuple[int, int, str]]
    cues: list[tuple[int, int, str]]
    skipped: list[tuple[int, int, str]]
    sentences: list[tuple[int, int]]
    relations: list[Relation]


# --- reading documents --------------------------------------------------------------------

def from_text(text: str) -> Draft:
    """A pasted text: the title is its first line, the date a "Published: ..." line. Pasted
    markup is read as the page it came from (`sources.plain_text`); `InputError` if it holds
    no readable text."""
    text = sources.plain_text(text)
    doc = from_plain(text)
    return Draft(text=text, title=doc.title, published=sources.published_line(doc))


def read_upload(name: str, data: bytes, limit_mb: float) -> list[Draft]:
    """The documents of an uploaded file; `InputError` for a file the page cannot use.

    Only JSON records carry an id; a text, Markdown or HTML file's name is not taken as one
    (unlike the CLI), since upload names such as `article (3).txt` say nothing stable."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in UPLOAD_TYPES:
        raise InputError(f"unsupported file type '.{suffix}': upload one of "
                         f"{', '.join('.' + t for t in UPLOAD_TYPES)}", file=name)
    if len(data) > limit_mb * 1024 * 1024:
        raise InputError(f"the file is {len(data) / 1024 / 1024:.1f} MB, over the "
                         f"{limit_mb:g} MB upload limit (server.maxUploadSize)", file=name)
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                         file=name) from exc
    if suffix == "json":
        return _json_drafts(name, raw)
    doc = (from_html(raw) if suffix in ("html", "htm")
           else from_markdown(raw) if suffix in ("md", "markdown") else from_plain(raw))
    if not doc.text.strip():
        raise InputError("the document holds no text", file=name)
    return [Draft(text=doc.text, title=doc.title, url=doc.url, publisher=doc.publisher,
                  published=_date(doc.published) or sources.published_line(doc))]


def _json_drafts(name: str, raw: str) -> list[Draft]:
    """Native articles (relations kept for review) or raw {"id", "text", ...} records."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                         file=name) from exc
    drafts = []
    for i, item in enumerate(data if isinstance(data, list) else [data], start=1):
        problem = sources.check_record(item)
        if problem:
            raise InputError(problem, file=name, record=str(i))
        try:
            native = Article.model_validate(item)
        except ValidationError:
            native = None
        if native is not None:
            drafts.append(Draft(native.text, native.title, native.published, native.publisher,
                                native.url, native.id, native.relations, native.mentions))
            continue
        url = item.get("url") if isinstance(item.get("url"), str) else None
        try:
            text = sources.plain_text(item["text"])  # as `annotate` reads it
        except InputError as exc:
            raise exc.located(file=name, record=str(i)) from None
        drafts.append(Draft(text=text, title=_str(item.get("title")),
                            published=_date(item.get("published")),
                            publisher=_str(item.get("publisher")), url=url,
                            id=str(item["id"])))
    if not drafts:
        raise InputError("the file holds no records", file=name)
    return drafts


def _str(value) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def article_id(published: dt.date, title: str) -> str:
    """`2024-05-03-japan-and-australia-sign-defence-pact`: readable, and stable when the same
    article is saved again, so a second save replaces the first instead of duplicating it."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:80].rstrip("-")
    return f"{published.isoformat()}-{slug or 'article'}"


# --- proposing ----------------------------------------------------------------------------

def propose(annotator: Annotator, draft: Draft, published: dt.date) -> Proposal:
    text = draft.text
    found = annotator.annotate(text, published)
    units = [(s.start, s.end) for s in sentences(found.cleaned.text, found.cleaned.kept)]
    if draft.relations is None:
        relations = annotator.article(text, id="draft", title="draft", published=published,
                                      publisher="draft", annotation=found).relations
        mentions = [(m.start, m.end, m.actor) for m in found.mentions]
        cues = list(found.cues)
    else:
        relations = list(draft.relations)
        mentions = [(m.start, m.end, m.actor) for m in draft.mentions] or [
            (m.start, m.end, m.actor) for m in found.mentions]
        cues = [(r.cue.start, r.cue.end, r.relation.value) for r in relations if r.cue]
        # A hand-made evidence span need not be one of our sentences: offer it as well.
        units = sorted(set(units) | {(r.evidence.start, r.evidence.end) for r in relations})
    return Proposal(text, published, mentions, cues, list(found.cleaned.dropped), units,
                    relations)


def sentence_label(proposal: Proposal, index: int, width: int = 140) -> str:
    start, end = proposal.sentences[index]
    words = " ".join(proposal.text[start:end].split())
    return f"{index + 1}. {words if len(words) <= width else words[:width - 1] + '…'}"


def edge_table(proposal: Proposal, registry: Registry) -> pd.DataFrame:
    """One row per proposed relation, actors as canonical ids, evidence as a sentence index."""
    where = {span: i for i, span in enumerate(proposal.sentences)}
    rows = []
    for n, r in enumerate(proposal.relations, start=1):
        when = r.date or proposal.published
        source, target = _actor_id(registry, r.source, when), _actor_id(registry, r.target, when)
        evidence = where.get((r.evidence.start, r.evidence.end))
        rows.append({
            "n": n, "keep": True, "source": source, "relation": r.relation.value,
            "target": target, "date": when, "evidence": evidence,
            "confidence": r.confidence, "rule": r.rule,
            "was_source": source, "was_target": target, "was_relation": r.relation.value,
            "was_evidence": evidence,
            **_span_columns("cue", r.cue), **_span_columns("source", r.source_span),
            **_span_columns("target", r.target_span)})
    frame = pd.DataFrame(rows, columns=[*TABLE_COLUMNS, *HIDDEN_COLUMNS])
    return frame.astype({"n": "Int64", "evidence": "Int64", "was_evidence": "Int64",
                         **{c: "Int64" for c in HIDDEN_COLUMNS[4:]}})


def _actor_id(registry: Registry, name: str, on: dt.date) -> str | None:
    actor = registry.try_resolve(name, on)
    return actor.id if actor else None


def _span_columns(prefix: str, span: Span | None) -> dict:
    return {f"{prefix}_start": span.start if span else None,
            f"{prefix}_end": span.end if span else None}


def actor_choices(registry: Registry) -> dict[str, str]:
    """Actor id → "Name (ID)", sorted by name, for the actor columns of the editor."""
    names = {a.id: a.name if a.name == a.id else f"{a.name} ({a.id})"
             for a in registry.actors.values()}
    return dict(sorted(names.items(), key=lambda item: item[1].casefold()))


# --- the edited table back to an article --------------------------------------------------

def reviewed_relations(table: pd.DataFrame, proposal: Proposal
                       ) -> tuple[list[Relation], list[str]]:
    """The relations of the kept rows, all "reviewed", and what blocks saving (per row)."""
    relations: list[Relation] = []
    problems: list[str] = []
    for position, (_, row) in enumerate(table.iterrows(), start=1):
        if not _value(row.get("keep"), True):
            continue
        n = _value(row.get("n"))
        name = f"edge {int(n)}" if n is not None else f"row {position} (added)"
        source, target = _value(row.get("source")), _value(row.get("target"))
        relation, evidence = _value(row.get("relation")), _value(row.get("evidence"))
        missing = [what for what, value in (("source", source), ("relation", relation),
                                            ("target", target), ("evidence sentence", evidence))
                   if value is None]
        if missing:
            problems.append(f"{name}: choose its {' and '.join(missing)}, or untick Keep")
            continue
        if source == target:
            problems.append(f"{name}: source and target are both {source}")
            continue
        evidence = int(evidence)
        if not 0 <= evidence < len(proposal.sentences):
            problems.append(f"{name}: the evidence sentence is not one of this article's")
            continue
        same_words = (relation == _value(row.get("was_relation"))
                      and evidence == _value(row.get("was_evidence")))
        relations.append(Relation(
            source=source, target=target, relation=relation,
            date=_as_date(_value(row.get("date"))) or proposal.published,
            evidence=Span(start=proposal.sentences[evidence][0],
                          end=proposal.sentences[evidence][1]),
            cue=_span(row, "cue") if same_words else None,
            source_span=_span(row, "source") if source == _value(row.get("was_source"))
            else None,
            target_span=_span(row, "target") if target == _value(row.get("was_target"))
            else None,
            confidence=1.0, annotator=AnnotatorKind.REVIEWED,
            rule=_value(row.get("rule")) if n is not None else None))
    return relations, problems


def _value(value, default=None):
    """A cell as a plain value; an empty cell (None, NaN, NA, "") as `default`."""
    if value is None or value is pd.NA or value is pd.NaT or value == "":
        return default
    if isinstance(value, float) and math.isnan(value):
        return default
    return value.item() if hasattr(value, "item") else value


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return pd.Timestamp(value).date()


def _span(row: pd.Series, prefix: str) -> Span | None:
    start, end = _value(row.get(f"{prefix}_start")), _value(row.get(f"{prefix}_end"))
    return Span(start=int(start), end=int(end)) if start is not None and end is not None else None


def reviewed_article(proposal: Proposal, relations: list[Relation], *, id: str, title: str,
                     publisher: str, url: str | None) -> Article:
    """The native article to save; `InputError` naming the field for invalid metadata."""
    try:
        return Article(id=id, title=title, published=proposal.published, publisher=publisher,
                       url=url or None, text=proposal.text,
                       mentions=[Mention(start=s, end=e, actor=a,
                                         text=proposal.text[s:e])
                                 for s, e, a in proposal.mentions],
                       relations=relations)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        field_name = ".".join(map(str, err["loc"])) or None
        raise InputError(err["msg"].removeprefix("Value error, "), field=field_name) from exc


# --- saving -------------------------------------------------------------------------------

def reviewed_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "reviewed"


def write_atomically(article: Article, folder: Path) -> Path:
    """`folder/<id>.json`, replaced whole or not at all (a crash leaves the old file)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = article.model_dump_json(indent=2, exclude_none=True) + "\n"
    return replace_file(folder / f"{article.id}.json", body.encode("utf-8"))


def save(article: Article, db_path: Path, registry: Registry | None = None
         ) -> tuple[Path, IngestReport]:
    """Write the reviewed article next to the store and ingest it. The article is checked
    against the registry first, so a file is only written when the store will take it."""
    registry = registry or Registry.load()
    try:
        derive(article, registry, record=article.id)
    except ArticleRejected as exc:
        raise InputError("; ".join(str(e) for e in exc.errors)) from exc
    path = write_atomically(article, reviewed_dir(db_path))
    report = ingest_records([Record(str(path), f"id '{article.id}'", article)], Path(db_path),
                            registry=registry)
    if report.rejected:
        raise InputError("; ".join(str(e) for e in report.rejected))
    return path, report


# --- highlighting -------------------------------------------------------------------------

def highlight_html(proposal: Proposal, names: dict[str, str] | None = None) -> str:
    """The article as HTML: mentions marked, cues underlined in their relation's colour,
    evidence sentences of proposed edges shaded and numbered, skipped text greyed.

    Every piece of the text is escaped before it is wrapped, so a document's own markup is
    shown as text. Overlapping spans are handled by cutting the text at every span boundary
    and wrapping each piece in all the spans that cover it."""
    names = names or {}
    text = proposal.text
    layers: list[tuple[int, int, str, str]] = []  # start, end, layer, tooltip
    for start, end, _ in proposal.skipped:
        layers.append((start, end, "skip", "skipped: page furniture or a repeated paragraph"))
    numbered: dict[int, list[int]] = {}
    for n, r in enumerate(proposal.relations, start=1):
        layers.append((r.evidence.start, r.evidence.end, "evidence", "evidence"))
        numbered.setdefault(r.evidence.end, []).append(n)
    for start, end, actor in proposal.mentions:
        layers.append((start, end, "mention", f"{names.get(actor, actor)}"))
    for start, end, relation in proposal.cues:
        layers.append((start, end, f"cue:{relation}", f"cue: {label(relation)}"))
    cuts = sorted({0, len(text), *numbered, *(p for s, e, _, _ in layers for p in (s, e))})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(text[a:b])
        covering = sorted((lay for lay in layers if lay[0] <= a and b <= lay[1]),
                          key=lambda lay: _ORDER[lay[2].split(":")[0]])
        for _, _, layer, tip in reversed(covering):
            piece = _wrap(piece, layer, tip)
        out.append(piece)
        for n in numbered.get(b, ()):
            out.append(f'<sup class="aa-n">{n}</sup>')
    return f'<div class="aa-article">{"".join(out)}</div>'


_ORDER = {"skip": 0, "evidence": 1, "mention": 2, "cue": 3}


def _wrap(piece: str, layer: str, tip: str) -> str:
    tip = html.escape(tip, quote=True)
    if layer == "mention":
        return f'<mark class="aa-m" title="{tip}">{piece}</mark>'
    if layer.startswith("cue:"):
        return (f'<span class="aa-c" style="border-bottom-color:{colour(layer[4:])}" '
                f'title="{tip}">{piece}</span>')
    return f'<span class="aa-{"e" if layer == "evidence" else "s"}" title="{tip}">{piece}</span>'
