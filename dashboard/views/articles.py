"""Articles: search the articles, read one with its actor mentions and relation cues marked,
and go from an article to its edges on the network (evidence cards link back here).

URL: the global filters (dates and publishers select articles by publication; actors, relation
types and the rest select which of their edges count) plus `q` (search words), `full` (search
the body too) and `article` (the article shown).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import article_queries, marking, palette, queries
from dashboard.ui import urlstate
from dashboard.ui.connection import fetch
from dashboard.ui.page import guarded, nothing_matches, require_run
from dashboard.ui.urlstate import ARTICLE, BIND

RESULTS = 200


def _day(value) -> str:
    return "—" if pd.isna(value) else pd.Timestamp(value).strftime("%d %b %Y")


def _show_article(article_id: str, run) -> None:
    found = fetch(article_queries.article(article_id), run.identity)
    if found.empty:
        st.info("That article is not in the store (it may have been removed by a later "
                "ingest). Search for another one above.", icon=":material/search_off:")
        return
    art = found.iloc[0]
    edges = fetch(article_queries.article_edges(article_id), run.identity)
    mentions = fetch(queries.mentions_in([article_id]), run.identity)
    st.html(marking.STYLE)
    st.subheader(marking.md(art["title"]), anchor=False)
    source = marking.link(art["url"], "source")
    st.html(f'<div class="atlas-meta">{html.escape(_day(art["published"]))} \u00b7 '
            f'{html.escape(str(art["publisher"]))} \u00b7 {source} \u00b7 '
            f"{len(edges)} relation{'s' if len(edges) != 1 else ''} \u00b7 "
            f"{marking.KEY}</div>")
    text, side = st.columns([3, 2], gap="large")
    with text:
        spans = list(zip(mentions["start_offset"], mentions["end_offset"], strict=True))
        for lo, hi in (("source_start", "source_end"), ("target_start", "target_end")):
            spans += [(s, e) for s, e in zip(edges[lo], edges[hi], strict=True)
                      if pd.notna(s) and pd.notna(e)]
        cues = list(zip(edges["cue_start"], edges["cue_end"], strict=True))
        st.html(marking.article_html(str(art["text"]), spans, cues))
    with side:
        st.markdown("**Its relations**")
        if edges.empty:
            st.caption("No relation between two actors is annotated in this article.")
        for row in edges.itertuples(index=False):
            arrow = "\u2192" if row.directed else "\u2194"
            line = "dashed" if palette.dashed(row.relation) else "solid"
            st.html(
                f'<div style="border-left:5px {line} {palette.colour(row.relation)};'
                f'padding:0.1rem 0 0.1rem 0.6rem;margin-top:0.4rem">'
                f"<b>{html.escape(palette.label(row.relation))}</b> "
                f"{html.escape(str(row.source_name))} {arrow} {html.escape(str(row.target_name))}"
                f'<div class="atlas-meta">{html.escape(_day(row.date))} \u00b7 confidence '
                f"{float(row.confidence):.2f} \u00b7 {html.escape(str(row.annotator))}</div></div>")
            st.page_link(urlstate.PAGE_FILES["network"], label="On the network",
                         icon=":material/hub:", query_params=urlstate.link_params(
                             focus=run.labels.get(row.source, row.source),
                             edge=run.context.pair_label(
                                 urlstate.pair_key(row.source, row.target))))


st.title("Articles")
run = require_run()
with guarded():
    f = run.filters
    cols = st.columns([4, 2], vertical_alignment="bottom")
    q = cols[0].text_input("Search", key="q", bind=BIND, max_chars=200,
                           placeholder="Words in the title, e.g. sanctions")
    full = cols[1].toggle("Search the text too", key="full", bind=BIND,
                          help="Also look in the article bodies (slower on a big store).")
    results = fetch(article_queries.article_search(f, q, full_text=full, limit=RESULTS),
                    run.identity)
    chosen = st.query_params.get(ARTICLE)
    if results.empty and not chosen:
        nothing_matches(f"No article matches{f' “{marking.md(q)}”' if q else ''}", run)
        st.stop()
    st.caption(f"{len(results):,}{'+' if len(results) >= RESULTS else ''} articles, newest "
               "first. Click a row to read it.")
    picked = st.dataframe(
        results, hide_index=True, width="stretch", height=250, on_select="rerun",
        selection_mode="single-row", key=f"pick-{abs(hash((q, full, str(f))))}",
        column_order=["published", "title", "publisher", "edges"],
        column_config={"published": st.column_config.DateColumn("Published",
                                                                format="YYYY-MM-DD"),
                       "title": st.column_config.TextColumn("Title", width="large"),
                       "publisher": "Publisher",
                       "edges": st.column_config.NumberColumn(
                           "Relations", help="Relations that pass the filters")})
    rows = picked.selection.rows if picked is not None else []
    if rows:
        selected = str(results.iloc[rows[0]]["id"])
        if selected != chosen:
            st.query_params[ARTICLE] = selected
            chosen = selected
    if chosen:
        _show_article(chosen, run)
    else:
        st.caption("Pick an article above, or follow “Read the article” from the evidence on "
                   "the Network or Actor page.")
