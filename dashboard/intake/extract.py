"""A web page's main text and metadata, extracted with trafilatura.

Every HTML the project reads goes through `extract`: a fetched page, a page in a web archive,
a saved `.html` file given to `annotate`, an HTML upload on the Annotate page and HTML inside a
JSON record's or a pasted text (`text_with_markup`, which reads a fragment of markup with the
same clean-up). So a saved page and the same page fetched give the same article.

Text that a reader never sees never becomes prose: `<script>`, `<style>`, `<template>` and
elements hidden with the `hidden` attribute, `aria-hidden="true"` or an inline
`display: none` / `visibility: hidden` are dropped before extraction. Menus, cookie banners,
trending lists, related links and footers are left out by trafilatura's main-text detection.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import use_config

# translate() lower-cases the style and drops its spaces (the space has no counterpart).
_STYLE = "translate(@style, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz')"
_HIDDEN = (f"//*[@hidden or @aria-hidden='true' or contains({_STYLE}, 'display:none') or "
           f"contains({_STYLE}, 'visibility:hidden')]")
# JSON-LD scripts stay: they carry the date, the headline and the publisher.
_NEVER_PROSE = ("//script[not(contains(@type, 'ld+json'))]", "//style", "//template",
                "//noscript")
# The blocks of trafilatura's main-text tree that are paragraphs of their own.
_BLOCKS = {"p", "head", "item", "quote", "cell", "code", "list", "table", "row"}
_HTML_TAG = re.compile(
    r"<\s*/?\s*(?:html|body|head|p|div|span|br|a|b|i|em|strong|script|style|article|section|"
    r"h[1-6]|li|ul|ol|table|tr|td|meta|title|img|iframe|noscript|template)\b[^>]*>", re.I)
_LANG = re.compile(r"^[a-z]{2,3}\b")


@dataclass(frozen=True)
class Page:
    """What a page says about itself; any field but `text` may be unknown (None)."""

    text: str
    title: str | None = None
    published: dt.date | None = None
    publisher: str | None = None
    url: str | None = None  # the canonical URL the page names, else the one it was read from
    language: str | None = None


@lru_cache(maxsize=1)
def _config():
    config = use_config()
    # The date must be one the page states (meta tags, JSON-LD, <time>, the URL), not a guess
    # from any date-like text in it: a page without one is reported as "no date found".
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    # Short texts (a JSON record's HTML, a brief wire item) are still text, and a short main
    # text is kept rather than replaced by a fallback that reads the whole page, menus and all.
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def looks_like_html(text: str) -> bool:
    """Whether `text` holds HTML markup (a JSON record's text copied from a page)."""
    return bool(_HTML_TAG.search(text))


_PAGE_TAG = re.compile(r"<\s*(?:html|head|body)\b", re.I)
_LINE_TAGS = ("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
              "table", "section", "article", "header", "footer", "blockquote", "figure",
              "figcaption", "main", "aside", "nav", "title")


def text_with_markup(text: str) -> str:
    """The readable text of a text that holds HTML (`looks_like_html`): a whole page (it has an
    `<html>`, `<head>` or `<body>` tag) gives its main text as `extract` finds it; a fragment
    (a paragraph with `<b>`, a headline and lines with a stray `<script>`) is no page to find a
    main text in, so it gives all its visible text, after the same clean-up (scripts, styles,
    comments and hidden elements dropped), with block elements as line breaks. Empty if
    nothing readable is left."""
    if _PAGE_TAG.search(text):
        return extract(text).text
    tree = _tree(f"<html><body><div>{text}</div></body></html>")
    if tree is None:
        return ""
    for element in tree.xpath("//script"):  # JSON-LD is metadata, never a fragment's prose
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter(*_LINE_TAGS):
        element.tail = "\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n" + (element.text or "")
    lines = [" ".join(line.split()) for line in tree.body.text_content().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def extract(html: str | bytes, url: str | None = None) -> Page:
    """The main text (paragraphs separated by a blank line) and metadata of `html`.

    `url` is where the page was read from: it resolves a relative canonical link and is the
    page's URL when it names none. An empty `text` means no main text was found."""
    tree = _tree(html)
    if tree is None:
        return Page(text="", url=url)
    language = _language(tree)
    named = _canonical(tree, url)
    try:
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, config=_config(),
                                          include_comments=False, include_tables=False)
    # Pages are untrusted input: whatever the extractor trips on, the page has no text we can
    # read, which the callers report (never a traceback).
    except Exception:  # noqa: BLE001
        doc = None
    if doc is None:
        return Page(text="", url=url, language=language)
    text = "\n\n".join(_paragraphs(doc))
    return Page(text=text, title=_clean(doc.title), published=_date(doc.date),
                publisher=_clean(doc.sitename), url=named or _http(doc.url) or url,
                language=language)


def _paragraphs(doc) -> list[str]:
    """The main text's paragraphs, each on one line: a page's source line breaks inside a
    paragraph are layout, not text."""
    body = doc.body
    if body is None:
        return [" ".join(line.split()) for line in (doc.text or "").splitlines()
                if line.strip()]
    found = []
    for element in body.iter(*_BLOCKS):
        if any(child.tag in _BLOCKS for child in element.iterdescendants()):
            continue
        text = " ".join("".join(element.itertext()).split())
        if text:
            found.append(text)
    return found


def _tree(html: str | bytes):
    if isinstance(html, str):
        # lxml refuses str input that declares its own encoding.
        html = html.encode("utf-8", "replace")
    if not html.strip():
        return None
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for element in tree.xpath(_HIDDEN) + tree.xpath("|".join(_NEVER_PROSE)):
        if element.getparent() is not None:
            element.drop_tree()
    return tree


def _canonical(tree, url: str | None) -> str | None:
    """The page's `<link rel="canonical">` (or `og:url`), made absolute against `url`."""
    for href in (*tree.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), "
                             "' canonical ')]/@href"),
                 *tree.xpath("//meta[@property='og:url']/@content")):
        href = (href or "").strip()
        if href:
            try:
                return _http(urljoin(url or "", href))
            except ValueError:  # a hostile page's link that does not parse is no link
                return None
    return None


def _language(tree) -> str | None:
    for value in (tree.get("lang"), *tree.xpath("//meta[@property='og:locale']/@content"),
                  *tree.xpath("//meta[@http-equiv='content-language']/@content")):
        match = _LANG.match((value or "").strip().lower())
        if match:
            return match.group(0)
    return None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _http(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("http://", "https://")) else None
