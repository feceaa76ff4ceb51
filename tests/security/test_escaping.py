"""Every HTML-producing function, with every payload in every untrusted text field: the
payload never becomes markup (no element, handler attribute or script URL of its own) and is
shown as its literal text. Pure functions only; `test_xss_browser.py` checks the real pages."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import namedtuple

import pandas as pd
import pytest

from dashboard import figures, marking
from dashboard.models import Article, Relation, Span

from .htmlcheck import assert_inert, parse
from .payloads import HTTP_URL_PAYLOADS, PAYLOADS, URL_PAYLOADS

SAFE = "Harmless words"
IDS = [f"p{i:02d}" for i in range(len(PAYLOADS))]


def _norm(text: str) -> str:
    return " ".join(text.split())


# -- the network page (pyvis) ---------------------------------------------------------------

def _edges(a: str, b: str) -> pd.DataFrame:
    return pd.DataFrame([
        {"source": a, "target": b, "relation": "condemnation", "stance": "hostile",
         "directed": True, "weight": 3},
        {"source": b, "target": "USA", "relation": "alliance", "stance": "cooperative",
         "directed": False, "weight": 1}])


def _vis_data(page: str, name: str) -> list[dict]:
    found = re.search(rf"{name} = new vis\.DataSet\((.*?)\);\n", page)
    assert found, f"no {name} DataSet in the page"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def network_baseline() -> str:
    return figures.network_html(_edges("FRA", "DEU"), {"FRA": SAFE, "DEU": SAFE},
                                heading=SAFE)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_network_html_escapes_actor_ids_names_and_heading(payload, network_baseline):
    ids = (payload[:200], "DEU")  # an actor id is at most 200 characters (models.ActorRef)
    page = figures.network_html(
        _edges(*ids), {ids[0]: payload, "DEU": payload + " 2", "USA": SAFE},
        heading=payload)
    parsed = assert_inert(page, network_baseline, "network_html")
    # Inline scripts are pyvis's and ours; the payload's '<' never appears raw inside them,
    # so nothing can close a script element early.
    for body in parsed.scripts:
        assert "</script" not in body.lower().replace("<\\/script", "")
    nodes = _vis_data(page, "nodes")
    # Shown as written (runs of white space as one space): in full in the hover text, and as
    # the label (cut with an ellipsis when it is long).
    written = " ".join(payload.split())
    assert any(n["title"].startswith(written) for n in nodes)
    assert any(written.startswith(n["label"].rstrip("\u2026").rstrip()) for n in nodes)
    # Node ids of unsafe actor ids are replaced (pyvis writes ids raw in its select menu).
    assert all(re.fullmatch(r"[A-Za-z0-9_.~-]{1,64}", str(n["id"])) for n in nodes)
    assert SAFE not in parsed.plain() and payload not in parsed.plain()  # heading is dropped
    # Our template has no HTML tooltip mode (pyvis's own switches to innerHTML when a title
    # contains "href"): vis-network writes every title as text.
    assert "innerHTML" not in page.split("var nodes = new vis.DataSet")[1]


@pytest.mark.parametrize("payload", PAYLOADS[::3], ids=IDS[::3])
def test_compare_html_escapes_actor_names(payload, network_baseline):
    diff = pd.DataFrame([{"a": payload[:200], "b": "DEU", "status": "new", "weight_before": 0,
                          "weight_after": 2, "stance_before": None,
                          "stance_after": "hostile"}])
    positions = {payload[:200]: (0.0, 0.0), "DEU": (1.0, 1.0)}
    page = figures.compare_html(diff, "after", {payload[:200]: payload}, positions)
    assert_inert(page, network_baseline, "compare_html")
    assert payload in {n["label"] for n in _vis_data(page, "nodes")}


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_empty_network_and_legends(payload):
    page = figures.empty_html(payload, 300)
    parsed = assert_inert(page, figures.empty_html(SAFE, 300), "empty_html")
    assert payload in parsed.plain()


# -- article text, evidence sentences and links (dashboard.marking) -------------------------

@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_marked_text_is_escaped_and_literal(payload):
    text = f"France said {payload} and Germany {payload} agreed."
    n = len(text)
    spans = [(0, 6, marking.ACTOR), (12, 12 + len(payload), marking.CUE),
             (n - 20, n - 1, marking.ACTOR), (5, n + 50, marking.ACTOR)]
    for out, base in (
            (marking.mark(text, spans), marking.mark(SAFE, [(0, 4, marking.ACTOR),
                                                            (5, 8, marking.CUE)])),
            (marking.article_html(text, [(0, 6)], [(12, 20)]),
             marking.article_html(SAFE + "\n\nx\ny", [(0, 4)], [(5, 8)])),
            (marking.sentence_html(text, 100, (112, 118), [(100, 106)], [payload]),
             marking.mark(SAFE, [(0, 4, marking.ACTOR), (5, 8, marking.CUE)]))):
        parsed = assert_inert(out, base, "marking")
        assert _norm(parsed.plain()) == _norm(text)


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_fallback_name_marking_with_hostile_names(payload):
    # Actor display names are matched in the sentence and wrapped: the name is data too.
    sentence = f"{payload} met {payload}."
    out = marking.sentence_html(sentence, 0, None, [], fallback_names=[payload, "<mark", "'"])
    parsed = assert_inert(out, marking.mark(SAFE, [(0, 4, marking.ACTOR)]), "sentence_html")
    assert _norm(parsed.plain()) == _norm(sentence)


def test_marking_takes_missing_offsets_from_the_store():
    # A relation without a cue (the format's `cue` is optional) or without actor spans comes
    # out of DuckDB as <NA> in an Int64 column, not None or NaN.
    text = "France condemned Germany."
    assert "condemned" in marking.sentence_html(text, 0, (pd.NA, pd.NA), [(pd.NA, pd.NA)])
    assert "France" in marking.article_html(text, [(0, 6), (pd.NA, pd.NA)],
                                            [(pd.NA, pd.NA)])


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_unsafe_urls_never_become_links(url):
    assert marking.safe_url(url) is None
    out = marking.link(url, url)
    parsed = parse(out)
    assert "a" not in parsed.tag_set and not parsed.dangers()
    assert parsed.plain() == url


@pytest.mark.parametrize("url", HTTP_URL_PAYLOADS)
def test_http_urls_with_markup_stay_one_inert_link(url):
    out = marking.link(url, url)
    parsed = parse(out)
    assert parsed.tags == ["a"] and not parsed.dangers()
    href = dict((n, v) for _, n, v in parsed.attrs)["href"]
    assert href == url.strip() and parsed.plain() == url


@pytest.mark.parametrize("url", URL_PAYLOADS)
def test_article_model_refuses_non_http_urls(url):
    with pytest.raises(ValueError, match="http"):
        Article(id="a", title="t", published="2024-01-01", publisher="p", text="x", url=url)


@pytest.mark.parametrize("url", HTTP_URL_PAYLOADS)
def test_article_model_accepts_http_urls_verbatim(url):
    art = Article(id="a", title="t", published="2024-01-01", publisher="p", text="x", url=url)
    assert art.url == url


# -- evidence cards (dashboard.ui.evidence) -------------------------------------------------

_Row = namedtuple("_Row", "article_id source_id target_id source target relation directed "
                          "evidence evidence_start cue_start cue_end source_start source_end "
                          "target_start target_end url title date publisher confidence "
                          "annotator")


def _card(text: str, url: str | None):
    from dashboard.ui import evidence  # imports streamlit; the function itself is pure
    row = _Row("a1", "FRA", "DEU", text, text, "condemnation", True, f"{text} said {text}.",
               0, 0, 3, 0, 2, None, None, url, text, dt.date(2024, 1, 2), text, 0.9, text)
    return evidence.card_html(row, [(0, 2, "FRA"), (3, 5, "ITA")])


@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_evidence_card_escapes_every_field(payload):
    out = _card(payload, "https://example.org/a")
    parsed = assert_inert(out, _card(SAFE, "https://example.org/a"), "card_html")
    for part in (payload, f"{payload} said {payload}."):
        assert _norm(part) in _norm(parsed.plain())


@pytest.mark.parametrize("url", URL_PAYLOADS + HTTP_URL_PAYLOADS)
def test_evidence_card_links_only_http(url):
    parsed = parse(_card(SAFE, url))
    assert not parsed.dangers()
    hrefs = [v for _, n, v in parsed.attrs if n == "href"]
    assert all(h.startswith(("http://", "https://")) for h in hrefs)


# -- the Annotate page (dashboard.annotator.review) -----------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_annotate_highlighter_escapes_text_and_actor_names(payload):
    from dashboard.annotator.review import Proposal, highlight_html
    text = f"France condemned {payload}. Germany backed it."
    cut = text.index(".") + 1
    rel = Relation(source="FRA", target="DEU", relation="condemnation",
                   evidence=Span(start=0, end=cut), cue=Span(start=7, end=16))

    def proposal(t: str) -> Proposal:
        return Proposal(t, dt.date(2024, 1, 1), [(0, 6, "FRA"), (17, 20, "DEU")],
                        [(7, 16, "condemnation")], [(cut, len(t), "boilerplate")],
                        [(0, cut)], [rel])

    out = highlight_html(proposal(text), {"FRA": payload, "DEU": payload})
    base = highlight_html(proposal(f"France condemned {SAFE}. Germany backed it."),
                          {"FRA": SAFE, "DEU": SAFE})
    parsed = assert_inert(out, base, "highlight_html")
    assert parsed.plain().replace("1", "") == text.replace("1", "")
    assert payload in [v for _, n, v in parsed.attrs if n == "title"]


# -- exports --------------------------------------------------------------------------------

@pytest.mark.parametrize("payload", PAYLOADS, ids=IDS)
def test_export_plain_text_has_no_markup(payload):
    images = pytest.importorskip("dashboard.export.images")
    out = images.text(payload)
    assert "<" not in out and ">" not in out
    assert not re.search(r"&(?!amp;|lt;|gt;)", out)


def _sources(title: str, publisher: str, url: str):
    data = pytest.importorskip("dashboard.export.data")
    pack = pytest.importorskip("dashboard.export.pack")
    view = pytest.importorskip("dashboard.export.view")
    sources = pd.DataFrame([{"article_id": "a1", "published": dt.date(2024, 1, 2),
                             "publisher": publisher, "title": title, "url": url}])
    vd = data.ViewData(view=view.ExportView(), edges=pd.DataFrame(), names={},
                       actors_shown=0, actors_total=0, timeline=pd.DataFrame(),
                       sources=sources, first=dt.date(2024, 1, 1), last=dt.date(2024, 2, 1))
    return pack.sources_markdown(vd, dt.date(2024, 3, 1))


def _raw_html_in_markdown(md: str) -> list[str]:
    """Raw HTML a CommonMark renderer would pass through: an unescaped '<' followed by a tag
    name and a space, '/' or '>' (an autolink such as <https://...> is a link, not a tag)."""
    return [md[m.start():m.start() + 40]
            for m in re.finditer(r"(?<!\\)</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])", md)]


@pytest.mark.parametrize("payload", PAYLOADS[:40], ids=IDS[:40])
def test_export_sources_markdown_escapes_title_and_publisher(payload):
    md = _sources(payload, payload, "https://example.org/a")
    assert not _raw_html_in_markdown(md)


@pytest.mark.parametrize("url", HTTP_URL_PAYLOADS)
def test_export_sources_markdown_urls_stay_links(url):
    md = _sources(SAFE, SAFE, url)
    assert not _raw_html_in_markdown(md), md


# An http(s) URL may hold a space and '<' (the model accepts what urlparse accepts), or an
# entity that `plain` decodes into '<'. Wrapped in <...> as an autolink it is no autolink any
# more, and the '<img ...' inside it ends at the '>' the pack adds: raw HTML in sources.md.
@pytest.mark.parametrize("url", ("https://example.org/?q=&lt;img src=x onerror=alert(1)",
                                 "https://example.org/a b<img src=x onerror=alert(1)"))
def test_export_sources_markdown_url_cannot_open_a_tag(url):
    md = _sources(SAFE, SAFE, url)
    assert not _raw_html_in_markdown(md), md
