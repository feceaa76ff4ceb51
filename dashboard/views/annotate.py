"""Annotate: paste or upload a raw article, review the edges the annotator proposes, save them.

Saving writes a native article (every kept relation `annotator: "reviewed"`) to
`<store folder>/reviewed/<id>.json` and ingests it, so it shows up on the other pages at once.
The decisions behind the table (evidence is a sentence picked from a list, what an edit does
to the cue and actor spans) are in `dashboard.annotator.review`.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from dashboard.annotator import review
from dashboard.marking import md
from dashboard.ui import review as ui
from dashboard.ui.connection import store_path
from dashboard.ui.page import guarded

ARTICLE_HEIGHT = 300

st.title("Annotate")
st.caption("Paste or upload an article (or add articles from links and feeds), check the "
           "edges the annotator proposes, fix or add what it missed, and save: the reviewed "
           "article joins the network on the other pages.")


with guarded():
    text_col, meta_col = st.columns([3, 2], gap="large")
    with text_col:
        st.subheader("1 · Article")
        draft, doc_key = ui.document_input()
    with meta_col:
        st.subheader("2 · Details")
        if draft is not None:
            ui.prefill(draft, doc_key)
        meta = ui.metadata_inputs()

    if draft is None:
        if doc_key is None:
            st.info("Paste an article's text, upload a file (.txt, .md, .html or .json) or "
                    "add articles from links to see the actors and relations the annotator "
                    "finds in them.",
                    icon=":material/edit:")
        st.stop()
    if meta["published"] is None:
        st.info("Choose the published date: the annotator dates events ('on Friday', 'last "
                "week') relative to it.", icon=":material/event:")
        st.stop()

    proposal = ui.proposal(draft, meta["published"])
    st.subheader("3 · Review")
    st.caption(f"{len(proposal.mentions)} actor mentions · {len(proposal.cues)} relation cues "
               f"· {len(proposal.relations)} proposed edges. Hover a highlight to see the "
               "actor or the relation it signals.")
    ui.article_view(proposal, ARTICLE_HEIGHT)

    st.markdown("**Proposed edges** — untick *Keep* to reject one, change its actors, relation "
                "or sentence, delete rows, or add a missing edge in the last row (pick its "
                "evidence sentence from the list).")
    table = review.edge_table(proposal, ui.annotator().registry)
    # A new document or date gets a fresh editor; the same one keeps the analyst's edits.
    editor_key = "ann_edges_" + hashlib.sha256(
        f"{doc_key}|{meta['published']}".encode()).hexdigest()[:12]
    edited = ui.edge_editor(table, proposal, editor_key)
    relations, problems = review.reviewed_relations(edited, proposal)

    missing = [name for name in ("title", "publisher") if not meta[name]]
    for problem in problems:
        st.warning(md(problem), icon=":material/warning:")
    if missing:
        st.warning(f"Fill in the {' and the '.join(missing)} to save.",
                   icon=":material/warning:")
    # Only our own earlier saves are checked, not the store: the page stays independent of
    # how the other pages query it. The id's help text warns about ids in the store.
    if meta["id"] and (review.reviewed_dir(store_path()) / f"{meta['id']}.json").is_file():
        st.caption(f"An article with the id {md(meta['id'])} was saved here before: saving "
                   "again replaces it.")

    save_col, hint_col = st.columns([1, 4], vertical_alignment="center")
    with save_col:
        clicked = st.button(f"Save {len(relations)} edge{'s' if len(relations) != 1 else ''}",
                            type="primary", key="ann_save", disabled=bool(problems or missing),
                            icon=":material/save:", width="stretch")
    with hint_col:
        st.caption(f"Writes `{review.reviewed_dir(store_path())}/<id>.json` and adds it to "
                   f"the store `{store_path()}`.")
    if clicked:
        article = review.reviewed_article(proposal, relations, id=meta["id"],
                                          title=meta["title"], publisher=meta["publisher"],
                                          url=meta["url"])
        with st.spinner("Saving and adding to the store…"):
            path, report = review.save(article, store_path(), ui.annotator().registry)
        verb = "updated in" if report.updated else "added to" if report.added else "already in"
        st.success(f"Saved “{md(article.title)}” with {len(relations)} reviewed edges to "
                   f"{md(path)} and {verb} the store.", icon=":material/check_circle:")
        st.page_link("views/network.py", label="See it in the network",
                     icon=":material/hub:")
