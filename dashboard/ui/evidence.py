"""Evidence cards: the sentences behind an edge with the two actors and the cue marked, the
article's date, publisher and title, a link to the source and one to the article in the app.

Article text is escaped by `dashboard.marking` before any `<mark>` is added; only http(s)
URLs become links.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import marking, palette
from dashboard.ui import urlstate
from dashboard.ui.connection import mentions
from dashboard.ui.filters import Run


def _day(value) -> str:
    return "" if pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _chip(relation: str, source: str, target: str, directed: bool) -> str:
    arrow = "\u2192" if directed else "\u2194"
    return (f'<span style="border-left:5px {"dashed" if palette.dashed(relation) else "solid"} '
            f'{palette.colour(relation)};padding-left:6px;font-weight:600">'
            f"{html.escape(palette.label(relation))}</span> "
            f"{html.escape(str(source))} {arrow} {html.escape(str(target))}")


def card_html(row, mentions: Sequence[tuple[int, int, str]] = (), read_link: str = "") -> str:
    """One evidence row as HTML (escaped text, marked sentence, safe links). `mentions` are
    the (start, end, actor id) of the actor mentions in the row's article; `read_link` is the
    app-relative query of the Articles page for this article, or "" for no link."""
    # The edge's own actor spans when the annotation has them, else the article's mentions
    # of the two actors, else (in `sentence_html`) their names where they occur.
    spans = [(s, e) for s, e in ((row.source_start, row.source_end),
                                 (row.target_start, row.target_end))
             if pd.notna(s) and pd.notna(e)]
    if not spans:
        ends = (row.source_id, row.target_id)
        spans = [(start, end) for start, end, actor in mentions if actor in ends]
    sentence = marking.sentence_html(row.evidence, row.evidence_start,
                                     (row.cue_start, row.cue_end), spans,
                                     fallback_names=[str(row.source), str(row.target)])
    title = marking.link(row.url, str(row.title))
    meta = " \u00b7 ".join(html.escape(p) for p in (
        _day(row.date), str(row.publisher),
        f"confidence {float(row.confidence):.2f}" if pd.notna(row.confidence) else "",
        str(row.annotator or "")) if p)
    read = (f' <a class="atlas-read" href="{html.escape(read_link, quote=True)}" '
            f'target="_self">Read the article \u203a</a>' if read_link else "")
    return (f'<div class="atlas-ev">'
            f'<div class="atlas-meta">{meta}</div>'
            f'<div>{_chip(row.relation, row.source, row.target, bool(row.directed))}</div>'
            f'<div style="font-weight:600;margin-top:0.15rem">{title}</div>'
            f'<div class="atlas-sentence">\u201c{sentence}\u201d{read}</div></div>')


_CARDS_CSS = """
<style>
.atlas-ev { padding: 0.55rem 0 0.65rem 0; border-bottom: 1px solid #e3e8ec; }
.atlas-ev:last-child { border-bottom: 0; }
a.atlas-read { font-size: 0.9rem; white-space: nowrap; margin-left: 0.3rem; }
</style>
"""


def _read_link(article_id: str) -> str:
    """The Articles page with this article and the current filters (a plain link: the page
    reloads from the address, which holds the whole view)."""
    params = urlstate.link_params(article=article_id)
    query = urlencode([(k, v) for k, vs in params.items()
                       for v in (vs if isinstance(vs, list) else [vs])])
    return f"articles?{query}"


def show(rows: pd.DataFrame, run: Run, *, height: int | None = None,
         article_links: bool = True) -> None:
    """Evidence cards for `rows` of `queries.evidence`, in a scrolling box of `height`. One
    HTML block for all cards: a hundred small elements cost the browser more than one."""
    if rows.empty:
        st.caption("No sentences match.")
        return
    per_article = mentions(rows["article_id"], run.identity)
    cards = "".join(card_html(row, per_article.get(row.article_id, ()),
                              _read_link(row.article_id) if article_links else "")
                    for row in rows.itertuples(index=False))
    box = st.container(height=height, border=False) if height else st.container()
    box.html(marking.STYLE + _CARDS_CSS + cards)
