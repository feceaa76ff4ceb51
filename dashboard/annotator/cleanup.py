"""From a raw document to the plain text an article stores and the parts of it worth reading.

Offsets decision (docs/annotator.md): the article's `text` is the document's plain text, with
the web boilerplate and repeated paragraphs still in it, so a reader sees the article as it
was published and every offset indexes that text. For plain text that is the file unchanged;
for HTML and Markdown it is the text with the markup taken out (offsets into markup would
show nothing readable). Clean-up does not cut the text: it returns the spans to annotate and
the spans it skipped, with the reason, so the app can grey them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dashboard.intake.extract import Page, extract

# Whole lines that are page furniture, not reporting. "Read also | Other story" headlines in
# particular state relations of their own, which the article does not support.
_BOILERPLATE = re.compile(
    r"""^\s*(?:
        advertisement|advert|ad|sponsored(?:\s+content)?|promoted(?:\s+content)?
      | (?:read|see|watch)\s+(?:also|more|next)\b.*
      | also\s+(?:read|see|watch)\b.*
      | (?:related|recommended|more\s+from\b|most\s+read|trending)
        (?:\s+(?:stories|articles|news|content))?\s*[:|].*
      | related(?:\s+(?:stories|articles|news))?
      | (?:share|tweet|email|print|copy\s+link)(?:\s+(?:this|on|via)\b.*)?
      | share\s+(?:on|this)\b.*
      | (?:subscribe|sign\s+up|log\s+in|register)\b.*
      | follow\s+us\b.*
      | click\s+here\b.*
      | (?:story\s+)?continues?\s+(?:below|reading)\b.*
      | (?:photo|image|file\s+photo|picture)(?:\s+credit)?\s*:.*
      | (?:©|\(c\)|copyright)\b.*
      | all\s+rights\s+reserved\.?
      | skip\s+to\s+(?:main\s+)?content
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_MIN_REPEAT = 40  # short lines ("Advertisement", "Reuters") repeat legitimately


@dataclass
class Cleaned:
    """The text, the spans to annotate and the spans skipped as (start, end, reason)."""

    text: str
    kept: list[tuple[int, int]] = field(default_factory=list)
    dropped: list[tuple[int, int, str]] = field(default_factory=list)


def clean(text: str) -> Cleaned:
    """Paragraph spans of `text` minus boilerplate lines and verbatim repeats. `text` is plain
    text: markup is turned into text before it reaches the annotator (`sources.plain_text`)."""
    out = Cleaned(text)
    seen: set[str] = set()
    for start, end in _paragraphs(text):
        block = text[start:end]
        pieces: list[tuple[int, int]] = []
        piece_start = None
        pos = start
        for line in block.splitlines(keepends=True):
            line_end = pos + len(line.rstrip("\r\n"))
            if _BOILERPLATE.match(line):
                if piece_start is not None:
                    pieces.append((piece_start, pos))
                    piece_start = None
                if line.strip():
                    out.dropped.append((pos, line_end, "boilerplate"))
            elif piece_start is None and line.strip():
                piece_start = pos
            pos += len(line)
        if piece_start is not None:
            pieces.append((piece_start, end))
        for p_start, p_end in pieces:
            p_start, p_end = _trim(text, p_start, p_end)
            if p_end <= p_start:
                continue
            key = " ".join(text[p_start:p_end].split()).casefold()
            if len(key) >= _MIN_REPEAT and key in seen:
                out.dropped.append((p_start, p_end, "repeated paragraph"))
                continue
            seen.add(key)
            out.kept.extend(_units(text, p_start, p_end))
    return out


def _units(text: str, start: int, end: int):
    """Split a paragraph at line breaks that end a sentence or a headline, so that a
    headline typed on the line above its first paragraph is not read as one sentence with
    it; lines of a hard-wrapped paragraph stay together."""
    unit_start = start
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        pos += len(line)
        body = line.strip()
        if pos >= end or not body:
            continue
        words = body.split()
        headline = (sum(w[:1].isupper() for w in words) >= 0.6 * len(words)
                    and not body.endswith((",", ";")))
        if body.endswith((".", "!", "?", '"', "”", ":")) or headline:
            s, e = _trim(text, unit_start, pos)
            if e > s:
                yield s, e
            unit_start = pos
    s, e = _trim(text, unit_start, end)
    if e > s:
        yield s, e


def _paragraphs(text: str):
    start = 0
    for m in re.finditer(r"\n[ \t\r]*\n", text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --- HTML ----------------------------------------------------------------------------------

@dataclass
class Extracted:
    text: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    url: str | None = None


def from_html(raw: str) -> Extracted:
    """An HTML page's main text and metadata, read as a fetched page is read."""
    return from_page(extract(raw))


def from_page(page: Page) -> Extracted:
    """A page extracted by `dashboard.intake.extract` as a raw document."""
    return Extracted(text=page.text, title=page.title,
                     published=page.published.isoformat() if page.published else None,
                     publisher=page.publisher, url=page.url)


# --- Markdown ------------------------------------------------------------------------------

_MD_RULES = [
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.M), ""),           # headings
    (re.compile(r"^\s{0,3}>\s?", re.M), ""),                 # block quotes
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M), ""),     # list bullets
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M), ""),        # rules
    (re.compile(r"^```.*$", re.M), ""),                      # code fences
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),               # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),           # links keep their words
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"^\[[^\]]+\]:\s*\S+.*$", re.M), ""),        # link definitions
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),                # strong
    (re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])"), r"\2"),  # emphasis
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),                          # inline HTML
]


def from_markdown(raw: str) -> Extracted:
    title = None
    heading = re.search(r"^\s{0,3}#\s+(.+)$", raw, re.M)
    if heading:
        title = heading.group(1).strip()
    text = raw
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return Extracted(text=text, title=title)


def from_plain(raw: str) -> Extracted:
    first = next((line.strip() for line in raw.splitlines() if line.strip()), None)
    return Extracted(text=raw, title=first)
