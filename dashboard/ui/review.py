"""Streamlit parts of the Annotate page: the document input, the metadata fields (prefilled
from the document), the highlighted article and the edge editor. The logic behind them is
`dashboard.annotator.review`, which has no Streamlit in it."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json

import pandas as pd
import streamlit as st

from dashboard.annotator import review
from dashboard.annotator.pipeline import Annotator
from dashboard.errors import InputError
from dashboard.marking import md
from dashboard.models import Mention, Relation
from dashboard.palette import LEGEND_ORDER, colour, label
from dashboard.registry import Registry
from dashboard.taxonomy import RelationType
from dashboard.ui import intake

FIELDS = ("title", "publisher", "published", "url", "id")
_PREFILLED = "_ann_prefilled"
_PREFILLED_FOR = "_ann_prefilled_for"

ARTICLE_CSS = """<style>
.aa-article {white-space: pre-wrap; line-height: 1.8; font-size: 1rem; color: #1c2833;}
.aa-article .aa-m {background: #d6eaf8; color: inherit; border-radius: 3px; padding: 1px 2px;
  box-shadow: inset 0 -2px 0 #1f6f8b;}
.aa-article .aa-c {border-bottom: 3px solid; font-weight: 600;}
.aa-article .aa-e {background: #fdf3d8;}
.aa-article .aa-s {color: #98a4ae; text-decoration: line-through;}
.aa-article .aa-n {color: #1f6f8b; font-weight: 700; padding: 0 2px;}
.aa-legend {display: flex; gap: 1.1rem; flex-wrap: wrap; align-items: center;
  font-size: .88rem; color: #1c2833; margin: 0 0 .3rem 0;}
.aa-legend span {white-space: nowrap;}
.aa-legend .aa-m {background: #d6eaf8; border-radius: 3px; padding: 1px 4px;
  box-shadow: inset 0 -2px 0 #1f6f8b;}
.aa-legend .aa-e {background: #fdf3d8; padding: 1px 4px;}
.aa-legend .aa-s {color: #98a4ae; text-decoration: line-through;}
.aa-legend .aa-c {border-bottom: 3px solid; font-weight: 600;}
.aa-legend .aa-n {color: #1f6f8b; font-weight: 700;}
</style>"""


@st.cache_resource(show_spinner="Loading the annotator…")
def annotator() -> Annotator:
    # Loading the registry, the cue table and spaCy is slow: once per server.
    return Annotator()


@st.cache_resource(show_spinner=False)
def actor_names() -> dict[str, str]:
    return review.actor_choices(Registry.load())


@st.cache_data(show_spinner="Finding actors and relations…", max_entries=32)
def _proposal(text: str, published: dt.date, native: str | None) -> review.Proposal:
    draft = review.Draft(text=text)
    if native is not None:
        data = json.loads(native)
        draft = review.Draft(text=text, relations=[Relation.model_validate(r)
                                                   for r in data["relations"]],
                             mentions=[Mention.model_validate(m)
                                       for m in data["mentions"]])
    return review.propose(annotator(), draft, published)


def proposal(draft: review.Draft, published: dt.date) -> review.Proposal:
    """Cached per text, date and (for a native article) its own annotations: every edit in
    the table reruns the page, and annotating again each time would make editing sluggish."""
    native = None
    if draft.relations is not None:
        native = json.dumps({"relations": [r.model_dump(mode="json") for r in draft.relations],
                             "mentions": [m.model_dump(mode="json") for m in draft.mentions]})
    return _proposal(draft.text, published, native)


def document_input() -> tuple[review.Draft | None, str | None]:
    """The document to review and a key that changes when another document is loaded
    (None, None: nothing given yet; None, "refused": an upload was refused and said so)."""
    how = st.radio("Article", ["Paste text", "Upload a file", "Add articles from links"],
                   horizontal=True, key="ann_source", label_visibility="collapsed")
    if how == "Add articles from links":
        return intake.fetch_input()
    if how == "Paste text":
        text = st.text_area(
            "Article text", key="ann_text", height=200,
            placeholder="Paste the article here: a headline on the first line, then the "
                        "text. A line such as 'Published: 3 May 2024' fills in the date.")
        if not text.strip():
            return None, None
        try:
            draft = review.from_text(text)  # pasted HTML is read as its page
        except InputError as exc:
            st.error(md(exc), icon=":material/error:")
            return None, "refused"
        return draft, "paste:" + _digest(text.encode())
    limit = float(st.get_option("server.maxUploadSize"))
    upload = st.file_uploader(
        "Article file", type=list(review.UPLOAD_TYPES), key="ann_upload",
        help="Plain text, Markdown, HTML, a raw JSON record {\"id\", \"text\", "
             "\"published\", …} or a native annotated article (its relations are shown "
             f"for review). Up to {limit:g} MB.")
    st.caption(f"Accepted: {', '.join('.' + t for t in review.UPLOAD_TYPES)} · up to "
               f"{limit:g} MB. A file of another type is refused (marked red).")
    if upload is None:
        return None, None
    data = upload.getvalue()
    try:
        drafts = review.read_upload(upload.name, data, limit)
    except InputError as exc:
        # Shown here rather than by the page's guard, so the rest of the form stays usable.
        st.error(md(exc), icon=":material/error:")
        return None, "refused"
    index = 0
    if len(drafts) > 1:
        index = st.selectbox(f"The file holds {len(drafts)} articles: review", range(len(drafts)),
                             format_func=lambda i: f"{i + 1}. {drafts[i].title or drafts[i].id}",
                             key="ann_record")
    return drafts[index], f"file:{upload.name}:{_digest(data)}:{index}"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def prefill(draft: review.Draft, key: str) -> None:
    """Fill the metadata fields from a newly loaded document, but never over what the analyst
    typed: a field is replaced only while it is empty or still holds the last prefilled value."""
    state = st.session_state
    if state.get(_PREFILLED_FOR) == key:
        return
    before = state.get(_PREFILLED, {})
    for name in FIELDS:
        current = state.get(f"ann_{name}")
        if current in (None, "") or current == before.get(name):
            state[f"ann_{name}"] = getattr(draft, name) or (None if name == "published" else "")
    state[_PREFILLED] = {name: getattr(draft, name) for name in FIELDS}
    state[_PREFILLED_FOR] = key


def metadata_inputs() -> dict:
    """The article's metadata as the analyst left it (prefilled by `prefill`)."""
    # Empty until a document says otherwise: a default of today would look like a real date
    # and would not be replaced by the document's own.
    st.session_state.setdefault("ann_published", None)
    title = st.text_input("Title", key="ann_title")
    publisher = st.text_input("Publisher", key="ann_publisher", placeholder="e.g. Reuters")
    left, right = st.columns(2)
    with left:
        published = st.date_input("Published", key="ann_published", format="YYYY-MM-DD",
                                  min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1),
                                  help="Relative dates in the text ('on Friday') count from it.")
    with right:
        generated = (review.article_id(published, title) if published and title.strip()
                     else "from the date and title")
        article_id = st.text_input("Article id", key="ann_id", placeholder=generated,
                                   help="Letters, digits and . _ : - . Saving an id that is "
                                        "already in the store replaces that article.")
    url = st.text_input("URL", key="ann_url", placeholder="https://…")
    return {"title": title.strip(), "publisher": publisher.strip(), "published": published,
            "url": url.strip() or None,
            "id": article_id.strip() or (generated if published and title.strip() else "")}


def legend_html(proposal: review.Proposal) -> str:
    shown = [r for r in LEGEND_ORDER if r in {c[2] for c in proposal.cues}]
    cues = "".join(f'<span class="aa-c" style="border-bottom-color:{colour(r)}">'
                   f"{html.escape(label(r))}</span>" for r in shown)
    return ('<div class="aa-legend"><span class="aa-m">actor</span>'
            '<span><span class="aa-e">evidence sentence</span><span class="aa-n">1</span> '
            '= edge 1</span>'
            + (f"<span>cues:</span>{cues}" if cues else "")
            + '<span class="aa-s">skipped (boilerplate)</span></div>')


def article_view(proposal: review.Proposal, height: int) -> None:
    st.html(ARTICLE_CSS + legend_html(proposal))
    with st.container(height=height, border=True):
        st.html(review.highlight_html(proposal, actor_names()))


def edge_editor(table: pd.DataFrame, proposal: review.Proposal, key: str) -> pd.DataFrame:
    names = actor_names()
    ids = list(names)
    sentence_ids = list(range(len(proposal.sentences)))
    relations = [r.value for r in RelationType]
    return st.data_editor(
        table, key=key, num_rows="dynamic", hide_index=True, width="stretch", placeholder="",
        height=min(56 + 35 * (len(table) + 2), 480),
        column_order=["n", "keep", "source", "relation", "target", "date", "evidence",
                      "confidence", "rule"],
        disabled=["n", "confidence", "rule"],
        column_config={
            "n": st.column_config.NumberColumn("#", width=40,
                                               help="The number shown after its sentence"),
            "keep": st.column_config.CheckboxColumn(
                "Keep", default=True, width=64, help="Untick to reject a proposed edge"),
            "source": st.column_config.SelectboxColumn(
                "Source", options=ids, format_func=lambda a: names.get(a, a), required=True,
                width=160),
            "relation": st.column_config.SelectboxColumn(
                "Relation", options=relations, format_func=label, required=True, width=120),
            "target": st.column_config.SelectboxColumn(
                "Target", options=ids, format_func=lambda a: names.get(a, a), required=True,
                width=160),
            "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD",
                                                default=proposal.published, width=100),
            "evidence": st.column_config.SelectboxColumn(
                "Evidence sentence", options=sentence_ids, required=True, width=420,
                format_func=lambda i: review.sentence_label(proposal, i)),
            "confidence": st.column_config.ProgressColumn(
                "Confidence", min_value=0.0, max_value=1.0, format="%.2f", width=90,
                help="The annotator's; a saved edge gets 1.0"),
            "rule": st.column_config.TextColumn("Rule", width=150,
                                                help="The pattern that proposed it"),
        })
