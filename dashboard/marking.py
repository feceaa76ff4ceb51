"""Untrusted text made safe to show: as Markdown (`md`), and article text as HTML with actor
mentions and relation cues marked. No streamlit here.

Article text is untrusted: every piece of it is passed through `html.escape` first, and only
then are the marked pieces wrapped in `<mark>` elements whose class names are fixed strings
from this module. Nothing else from the data becomes markup; links are made only for http(s)
URLs (`safe_url`), and the caller writes them with escaped attributes. Text from the data that
a page shows through a Markdown-capable element (st.markdown, st.caption, st.error and the
other alerts, headers, widget labels, toasts) goes through `md` first: one helper for all of
them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

import pandas as pd

from dashboard.models import http_url

ACTOR, CUE = "atlas-actor", "atlas-cue"
_PRIORITY = {CUE: 0, ACTOR: 1}

STYLE = """
<style>
mark.atlas-actor { background: #d6e6f5; color: inherit; padding: 0 2px; border-radius: 3px;
  border-bottom: 2px solid #0072b2; }
mark.atlas-cue { background: #fbe38e; color: inherit; padding: 0 2px; border-radius: 3px;
  font-weight: 700; }
.atlas-sentence { font-size: 1.08rem; line-height: 1.55; margin: 0.15rem 0 0.2rem 0; }
.atlas-meta { color: #5d6d7e; font-size: 0.92rem; }
.atlas-article { font-size: 1.1rem; line-height: 1.7; max-width: 62rem; }
.atlas-article p { margin: 0 0 0.8rem 0; }
.atlas-key mark { margin-right: 0.6rem; }
</style>
"""

KEY = ('<span class="atlas-key atlas-meta"><mark class="atlas-actor">actor</mark>'
       '<mark class="atlas-cue">cue</mark></span>')

Span = tuple[int, int, str]

# Every ASCII punctuation character CommonMark lets a backslash escape: with each one escaped,
# no emphasis, link, image, autolink, raw HTML, heading, list, table, code, LaTeX ($) or
# directive (:red[...]) can start.
_MD_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
# Streamlit's Markdown also acts on plain text after escapes are resolved: it replaces emoji
# shortcodes (:smile:) and Material icons (:material/home:), and turns bare addresses
# (http://..., www...., name@host) into links. An invisible word joiner after the colon, after
# "www" and after the "@" keeps each pattern from matching; it is added before escaping.
_PLAIN_PATTERNS = re.compile(r"(?<=:)(?=[A-Za-z0-9_+/-])|(?<=www)(?=\.)|(?<=@)(?=\w)",
                             re.IGNORECASE)
_WORD_JOINER = "\u2060"


def md(text) -> str:
    """`text` as Markdown that shows exactly its characters on one line (whitespace runs
    become one space): for untrusted strings (titles, publishers, actor and file names, search
    text, messages quoting them) inside Streamlit's Markdown-capable elements."""
    if text is None:
        return ""
    flat = _PLAIN_PATTERNS.sub(_WORD_JOINER, " ".join(str(text).split()))
    return _MD_PUNCTUATION.sub(r"\\\1", flat)


def safe_url(url) -> str | None:
    """`url` if it is an absolute http(s) address, else None: never a javascript: link, never
    an exception (a stored URL that does not parse, such as `https://[x]/story`, is no link)."""
    return http_url(url)


def link(url, text: str) -> str:
    """An escaped link opening in a new tab, or the escaped text alone for an unsafe URL."""
    target = safe_url(url)
    if target is None:
        return html.escape(text)
    return (f'<a href="{html.escape(target, quote=True)}" target="_blank" '
            f'rel="noopener noreferrer">{html.escape(text)}</a>')


def _clean(spans: Iterable[Span], length: int) -> list[Span]:
    """Spans inside the text, without overlaps: cues win over actors, then earlier and longer
    spans win."""
    valid = []
    for start, end, cls in spans:
        if _missing(start) or _missing(end):
            continue
        start, end = max(int(start), 0), min(int(end), length)
        if end > start:
            valid.append((start, end, cls))
    valid.sort(key=lambda s: (_PRIORITY.get(s[2], 9), s[0], -(s[1] - s[0])))
    kept: list[Span] = []
    for span in valid:
        if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
            kept.append(span)
    return sorted(kept)


def mark(text: str, spans: Iterable[Span]) -> str:
    """`text` escaped, with each (start, end, class) span wrapped in `<mark class=...>`."""
    text = str(text or "")
    out, pos = [], 0
    for start, end, cls in _clean(spans, len(text)):
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark class="{html.escape(cls, quote=True)}">'
                   f"{html.escape(text[start:end])}</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def name_spans(text: str, names: Sequence[str]) -> list[Span]:
    """Where the display `names` occur in `text` (case-insensitive, whole words), for
    sentences whose article carries no mention offsets."""
    spans = []
    for name in names:
        if not name:
            continue
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            spans.append((m.start(), m.end(), ACTOR))
    return spans


def sentence_html(sentence: str, offset: int, cue: tuple | None,
                  mentions: Iterable[tuple[int, int]], fallback_names: Sequence[str] = ()
                  ) -> str:
    """The evidence `sentence` (which starts at `offset` in its article) with the cue span and
    the actor mention spans (article offsets) marked. Without mentions inside the sentence,
    the actors' display names are marked where they occur."""
    sentence = str(sentence or "")
    offset = 0 if _missing(offset) else int(offset)
    spans: list[Span] = []
    for start, end in mentions:
        if _missing(start) or _missing(end):
            continue
        if offset <= start and end <= offset + len(sentence):
            spans.append((start - offset, end - offset, ACTOR))
    if not spans:
        spans = name_spans(sentence, fallback_names)
    if cue and not _missing(cue[0]) and not _missing(cue[1]):
        spans.append((int(cue[0]) - offset, int(cue[1]) - offset, CUE))
    return mark(sentence, spans)


def _missing(value) -> bool:
    """None, NaN or pandas' NA: an optional offset (a relation without a cue) comes out of
    DuckDB as <NA> in an Int64 column."""
    return value is None or bool(pd.isna(value))


def paragraphs(marked: str) -> str:
    """Marked article HTML split into paragraphs at blank lines, single newlines as breaks.
    The input is already escaped, so only fixed tags are added."""
    parts = [p for p in re.split(r"\n\s*\n", marked) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in parts)


def article_html(text: str, mentions: Iterable[tuple[int, int]],
                 cues: Iterable[tuple[int, int]]) -> str:
    """A whole article with every actor mention and every relation cue marked."""
    spans = [(s, e, ACTOR) for s, e in mentions if not (_missing(s) or _missing(e))]
    spans += [(s, e, CUE) for s, e in cues if not (_missing(s) or _missing(e))]
    return f'<div class="atlas-article">{paragraphs(mark(text, spans))}</div>'
