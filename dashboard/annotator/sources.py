"""Raw input documents: text, Markdown, HTML and raw JSON/JSONL records, with their metadata.

HTML (a file, or HTML in a JSON record's text) goes through the same extraction as a fetched
page (`dashboard.intake.extract`), so a saved page and the page fetched give one article.

A raw file carries no date or publisher. They come, first to last, from:
  * a sidecar file beside it: `NAME.meta.yaml` (or `.meta.yml`, `.meta.json`), where NAME is
    the full file name (`story.txt.meta.yaml`), with any of id, title, published, publisher, url;
  * the document itself: an HTML page's own title, date, site name and canonical URL (read by
    `dashboard.intake.extract`, as for a fetched page), or a "Published: 21 June 2024" line
    near the top of a text or Markdown file (published only);
  * the command line (`--published`, `--publisher`, `--title`), the batch's defaults.
For the title the command line comes before the document's own first line or heading.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard import loaders, reading
from dashboard.annotator.cleanup import Extracted, from_markdown, from_page, from_plain
from dashboard.errors import InputError
from dashboard.intake.extract import extract, looks_like_html, text_with_markup

RAW_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
META_SUFFIXES = (".meta.yaml", ".meta.yml", ".meta.json")
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:published|posted|updated|date)\s*(?:on)?\s*[:|]?\s*(.+?)\s*$", re.I | re.M)


@dataclass
class RawDoc:
    file: str
    label: str
    id: str
    text: str
    title: str | None
    published: dt.date | None
    publisher: str | None
    url: str | None
    language: str | None = None


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    return loaders.discover(paths, accepts=_is_raw, kinds=f"one of {', '.join(RAW_SUFFIXES)}")


def _is_raw(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(RAW_SUFFIXES) and not name.endswith(META_SUFFIXES)


def read(path: Path, *, published: dt.date | None = None, publisher: str | None = None,
         title: str | None = None) -> Iterator[RawDoc | InputError]:
    name = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        yield InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=name)
        return
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror}", file=name)
        return
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        yield from _records(name, raw, suffix, published, publisher, title)
        return
    try:
        meta = _sidecar(path)
    except InputError as exc:
        yield exc
        return
    language = None
    if suffix in (".html", ".htm"):
        page = extract(raw)
        doc, language = from_page(page), page.language
    else:
        doc = from_markdown(raw) if suffix in (".md", ".markdown") else from_plain(raw)
    if not doc.text.strip():
        yield InputError("the document holds no text", file=name)
        return
    in_text = _date(doc.published) or published_line(doc)
    yield _finish(name, "1", meta, doc, default_id=_slug(path.stem),
                  published=published, publisher=publisher, title=title, in_text=in_text,
                  language=language)



def _finish(file: str, label: str, meta: dict, doc: Extracted, *, default_id: str,
            published, publisher, title, in_text, language: str | None = None
            ) -> RawDoc | InputError:
    for key in ("id", "title", "publisher", "url"):
        value = meta.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(
                value, (str, int) if key == "id" else str)):
            return InputError(f"must be text, not {reading.kind_of(value)}", file=file,
                              record=label, field=key)
    when = meta.get("published")
    try:
        when = _date(when, strict=True) if when is not None else (in_text or published)
    except ValueError:
        return InputError(f"published {when!r} is not a YYYY-MM-DD date", file=file,
                          record=label, field="published")
    if when is None:
        return InputError("no published date: give --published YYYY-MM-DD, a sidecar "
                          "NAME.meta.yaml with 'published', or a 'Published:' line",
                          file=file, record=label, field="published")
    who = meta.get("publisher") or publisher or doc.publisher
    if not who:
        return InputError("no publisher: give --publisher NAME or a sidecar NAME.meta.yaml "
                          "with 'publisher'", file=file, record=label, field="publisher")
    heading = meta.get("title") or title or doc.title or doc.text.strip().splitlines()[0]
    return RawDoc(file, label, str(meta.get("id") or default_id), doc.text,
                  heading.strip()[:1000], when, str(who), meta.get("url") or doc.url,
                  language)


def _records(name: str, raw: str, suffix: str, published, publisher, title):
    """Raw records ({"id", "text", "published", ...}) in a .json or .jsonl file."""
    if suffix == ".jsonl":
        items = jsonl_items(name, raw)
    else:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield InputError(f"broken JSON at line {exc.lineno}, column {exc.colno}: "
                             f"{exc.msg}", file=name)
            return
        except RecursionError:
            yield InputError("JSON nested too deeply to read", file=name)
            return
        items = [(str(i), d) for i, d in enumerate(data if isinstance(data, list) else [data],
                                                   start=1)]
    yield from documents(name, items, published=published, publisher=publisher, title=title)


def jsonl_items(name: str, raw: str, first_line: int = 1) -> list[tuple[str, object]]:
    """("line N", parsed value or the InputError of that line) for each non-blank line of
    JSONL text whose first line is line `first_line` of the file `name`."""
    items: list[tuple[str, object]] = []
    # Lines end at "\n" only: str.splitlines() would also cut at U+2028 and other
    # separators that JSON strings may hold unescaped.
    for lineno, line in enumerate(raw.split("\n"), start=first_line):
        if not line.strip():
            continue
        try:
            items.append((f"line {lineno}", json.loads(line)))
        except RecursionError:
            items.append((f"line {lineno}", InputError(
                "JSON nested too deeply to read", file=name, record=f"line {lineno}")))
        except json.JSONDecodeError as exc:
            items.append((f"line {lineno}", InputError(
                f"broken JSON at column {exc.colno}: {exc.msg}", file=name,
                record=f"line {lineno}")))
    return items


def documents(name: str, items: Iterable[tuple[str, object]], *, published=None,
              publisher=None, title=None) -> Iterator[RawDoc | InputError]:
    """The documents of raw records already parsed, as (label, record) pairs; a record that
    is an `InputError` (a line that was not JSON) is passed on as it is."""
    for label, item in items:
        if isinstance(item, InputError):
            yield item
            continue
        problem = check_record(item)
        if problem:
            yield InputError(problem, file=name, record=label)
            continue
        try:
            text = plain_text(item["text"])
        except InputError as exc:
            yield exc.located(file=name, record=label)
            continue
        doc = Extracted(text=text, title=item.get("title"),
                        publisher=item.get("publisher"), url=item.get("url"))
        meta = {"published": item["published"]} if item.get("published") else {}
        yield _finish(name, label, meta, doc, default_id=str(item["id"]), published=published,
                      publisher=publisher, title=title, in_text=None)


def plain_text(text: str) -> str:
    """The text the annotator reads from a record's or a pasted `text`: the text itself, or,
    when it holds HTML markup, its readable text as `dashboard.intake.extract` reads pages
    (`text_with_markup`: a whole page's main text, a fragment's visible text), so scripts,
    styles, comments and hidden elements never become prose. The one place markup inside text
    is handled; `InputError` if the markup holds no readable text."""
    if not looks_like_html(text):
        return text
    extracted = text_with_markup(text)
    if not extracted.strip():
        raise InputError("'text' holds HTML without any readable text", field="text")
    return extracted


def has_surrogates(text: str) -> bool:
    """Whether `text` holds an unpaired surrogate (JSON's "\\ud800"): not valid Unicode, it
    cannot be written as UTF-8 to a file, a terminal or the store."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def check_record(item: object) -> str | None:
    """Why a raw JSON record cannot be annotated, or None."""
    if not isinstance(item, dict):
        return f"expected a JSON object, found {reading.kind_of(item)}"
    if isinstance(item.get("id"), bool) or not isinstance(item.get("id"), (str, int)) \
            or item.get("id") == "":
        return "'id' is required (a string)"
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        return "'text' is required (non-empty text)"
    for key in ("id", "text", "title", "publisher", "url"):
        if isinstance(item.get(key), str) and has_surrogates(item[key]):
            return (f"'{key}' is not valid Unicode text (it holds an unpaired surrogate such "
                    "as \\ud800)")
    for key in ("title", "publisher", "url"):
        if item.get(key) is not None and not isinstance(item[key], str):
            return f"'{key}' must be text, not {reading.kind_of(item[key])}"
    if "published" in item:
        try:
            _date(item["published"], strict=True)
        except (ValueError, TypeError):
            return f"'published' {item['published']!r} is not a YYYY-MM-DD date"
    return None


def _sidecar(path: Path) -> dict:
    for suffix in META_SUFFIXES:
        meta = path.with_name(path.name + suffix)
        if meta.is_file():
            # Aliases, nesting, size and encodings: dashboard.reading's limits and messages.
            data = reading.parse_yaml(reading.read_text(meta), file=str(meta)) or {}
            if not isinstance(data, dict):
                raise InputError("expected a mapping of id, title, published, publisher, url",
                                 file=str(meta))
            return data
    return {}


def _date(value, strict: bool = False) -> dt.date | None:
    """A date from a date, or text starting with YYYY-MM-DD (a timestamp's date part)."""
    if value is None or isinstance(value, dt.date):
        return value
    text = str(value)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[:10]):
            raise ValueError(f"{text[:20]!r} does not start with YYYY-MM-DD")
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        if strict:
            raise
        return None


def published_line(doc: Extracted) -> dt.date | None:
    from dashboard.annotator.dates import MONTHS

    head = "\n".join(doc.text.splitlines()[:6])
    for m in _PUBLISHED_LINE.finditer(head):
        value = m.group(1)
        iso = re.search(r"\b(\d{4}-\d{2}-\d{2})\b", value)
        if iso:
            return _date(iso.group(1))
        words = re.findall(r"[A-Za-z]+|\d+", value)
        day = month = year = None
        for w in words:
            if w.lower() in MONTHS:
                month = MONTHS[w.lower()]
            elif w.isdigit() and len(w) == 4:
                year = int(w)
            elif w.isdigit() and len(w) <= 2:
                day = int(w)
        if day and month and year:
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def _slug(stem: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._:-]+", "-", stem).strip("-._:")
    return slug or "article"
