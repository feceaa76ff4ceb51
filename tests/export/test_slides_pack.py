"""The deck reads back with python-pptx; the zip holds the images, edges.csv, sources.md."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from dashboard.export import build, pack, slides

from .conftest import MADE

pytestmark = [pytest.mark.e2e, pytest.mark.render, pytest.mark.usefixtures("chromium")]


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_deck_with_comparison(compared):
    deck = Presentation(io.BytesIO(build.from_data(compared, "pptx", MADE)))
    titles = [s.shapes.title.text for s in deck.slides]
    n_sources = -(-compared.articles // slides.SOURCES_PER_SLIDE)
    assert titles[:6] == ["Alliance Atlas briefing", "Alliance and hostility network",
                          "What changed: the two periods", "Events over time",
                          "The evidence: strongest sentences", "What changed"]
    assert len(titles) == 6 + n_sources
    assert all(t.startswith("Sources") for t in titles[6:])
    changed = _texts(deck.slides[5])
    assert "appeared" in changed and "New ties" in changed
    cited = "\n".join(_texts(s) for s in list(deck.slides)[6:])
    for r in compared.sources.itertuples(index=False):
        assert r.title in cited and r.url in cited and r.publisher in cited
    pictures = [sh for s in list(deck.slides)[1:4] for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 3


def test_deck_is_16_9_with_a_title_slide_laid_out_and_evidence_quoted(network):
    deck = Presentation(io.BytesIO(build.from_data(network, "pptx", MADE)))
    assert deck.slide_width * 9 == deck.slide_height * 16
    size = deck.part._element.find(qn("p:sldSz"))
    assert size.get("type") in (None, "custom")  # never "screen4x3"
    first = deck.slides[0]
    for shape in first.placeholders:
        assert shape.height > 0 and shape.width > 0 and shape.top > 0
    assert first.placeholders[1].top >= first.shapes.title.top + first.shapes.title.height
    assert network.subtitle() in _texts(first)
    for slide in list(deck.slides)[1:3]:
        assert network.subtitle() in _texts(slide)  # one slide per view, captioned
    quoted = next(s for s in deck.slides
                  if s.shapes.title.text == "The evidence: strongest sentences")
    text = _texts(quoted)
    top = network.evidence.iloc[0]
    assert top["evidence"].split()[0] in text and top["publisher"] in text
    assert str(top["date"].date()) in text


def test_deck_without_comparison_has_no_what_changed_slide(network):
    deck = Presentation(io.BytesIO(build.from_data(network, "pptx", MADE)))
    titles = [s.shapes.title.text for s in deck.slides]
    assert "What changed" not in titles and titles[2] == "Events over time"


def test_markup_in_titles_stays_out_of_slides(network):
    sources = network.sources.copy()
    sources.loc[sources.index[0], "title"] = "<b>Breaking</b>: talks"
    data = dataclasses.replace(network, sources=sources)
    cites = [c for c, _ in slides.source_lines(data.sources)]
    assert any(c.endswith("Breaking: talks") for c in cites)


def test_zip_pack(network):
    with zipfile.ZipFile(io.BytesIO(build.from_data(network, "zip", MADE))) as zf:
        names = set(zf.namelist())
        assert names == {"network.png", "timeline.png", "edges.csv", "sources.md"}
        md = zf.read("sources.md").decode()
        assert md.count("\n- ") == network.articles
        assert zf.read("edges.csv").decode().count("\n") == len(network.edges) + 1
    assert "<https://" in pack.sources_markdown(network, MADE) or network.sources["url"].eq(
        "").all()
