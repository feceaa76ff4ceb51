"""The briefing deck (python-pptx), 16:9: a title slide, one slide per view (network or blocs,
the comparison when periods are set, the timeline) each with the view's caption, the strongest
evidence sentences with their source and date, "what changed" when a comparison period is set,
and sources slides citing every article behind the edges shown.

Slide text is plain text from `data.plain` (python-pptx writes it verbatim, so markup in a
title would show as tags): the data's text, never its markup.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard import comparison, palette
from dashboard.export.data import ViewData, plain

SOURCES_PER_SLIDE = 12
# A deck cites every article up to this many; past it, a deck of hundreds of source slides
# helps no briefing, so it cites the most recent ones and points to the pack's sources.md,
# which always lists them all.
MAX_CITED_IN_DECK = 300
CHANGES_LISTED = 6
_W, _H = Emu(12192000), Emu(6858000)  # 16:9, PowerPoint's widescreen (13.333 x 7.5 in)
_TEXT = RGBColor.from_string(palette.TEXT_COLOUR.lstrip("#"))
_MUTED = RGBColor.from_string("5D6D7E")


def _text(frame, lines: list[str], size: int, colour=_TEXT, bold_first: bool = False) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.color.rgb = colour
        run.font.bold = bold_first and i == 0


def _slide(deck, title: str, subtitle: str = ""):
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = title
    slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(32)
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.5), Inches(0.25)
    slide.shapes.title.width, slide.shapes.title.height = _W - Inches(1), Inches(0.9)
    if subtitle:
        box = slide.shapes.add_textbox(Inches(0.5), Inches(1.05), _W - Inches(1), Inches(0.5))
        _text(box.text_frame, [subtitle], 14, _MUTED)
    return slide


def _picture(slide, png: bytes) -> None:
    # Images are 16:9 like the slide: fit the width under the title.
    top = Inches(1.5)
    height = _H - top - Inches(0.2)
    width = Emu(int(height * 16 / 9))
    slide.shapes.add_picture(io.BytesIO(png), int((_W - width) / 2), top, width, height)


def _pair(names: dict, a: str, b: str) -> str:
    return f"{names.get(a, a)} and {names.get(b, b)}"


def _changes(data: ViewData) -> list[str]:
    diff = data.diff
    lines = []
    for status, heading, weight in (("new", "New ties", "weight_after"),
                                    ("lost", "Lost ties", "weight_before"),
                                    ("flipped", "Changed sign", "weight_after")):
        rows = diff[diff["status"] == status]
        if rows.empty:
            continue
        lines.append(f"{heading} ({len(rows)}):")
        for r in rows.head(CHANGES_LISTED).itertuples(index=False):
            stance = (f"{r.stance_before} → {r.stance_after}" if status == "flipped"
                      else (r.stance_after if status == "new" else r.stance_before))
            lines.append(f"  • {_pair(data.names, r.a, r.b)}: {stance}, "
                         f"{int(getattr(r, weight))} articles")
        if len(rows) > CHANGES_LISTED:
            lines.append(f"  • … and {len(rows) - CHANGES_LISTED} more")
    return lines


def source_lines(sources: pd.DataFrame) -> list[tuple[str, str]]:
    """(citation, url) per article: 'YYYY-MM-DD · Publisher · Title'."""
    out = []
    for r in sources.itertuples(index=False):
        day = pd.Timestamp(r.published).date().isoformat() if pd.notna(r.published) else "n.d."
        out.append((f"{day} · {plain(r.publisher)} · {plain(r.title) or '(untitled)'}",
                    plain(r.url)))
    return out


def _widescreen(prs) -> None:
    """16:9 at PowerPoint's widescreen size, declared as such: python-pptx's template says
    4:3 ("screen4x3") whatever size is set, and some viewers letterbox by the declaration."""
    prs.slide_width, prs.slide_height = _W, _H
    size = prs.part._element.find(qn("p:sldSz"))
    if size is not None and "type" in size.attrib:
        del size.attrib["type"]


def _title_slide(prs, data: ViewData, made: dt.date) -> None:
    first = prs.slides.add_slide(prs.slide_layouts[0])
    title, sub = first.shapes.title, first.placeholders[1]
    # Every placeholder gets all four of its coordinates: setting only some writes zeros for
    # the others (a title of height 0).
    title.left, title.top, title.width, title.height = (Inches(0.8), Inches(2.0),
                                                        _W - Inches(1.6), Inches(1.5))
    sub.left, sub.top, sub.width, sub.height = (Inches(0.8), Inches(3.7), _W - Inches(1.6),
                                                Inches(2.0))
    title.text = plain(data.view.title) or "Alliance Atlas briefing"
    title.text_frame.paragraphs[0].runs[0].font.size = Pt(40)
    sub.text_frame.word_wrap = True
    lines = [data.subtitle(), f"{data.articles} articles from {data.publishers} publishers "
             f"· made {made.isoformat()}"]
    _text(sub.text_frame, lines, 20, _MUTED)


def quote_lines(evidence: pd.DataFrame | None, names: dict) -> list[tuple[str, str]]:
    """(quoted sentence, 'Actor → Target: relation · Publisher · YYYY-MM-DD · title') per
    strongest evidence row, plain text."""
    if evidence is None or evidence.empty:
        return []
    out = []
    for r in evidence.itertuples(index=False):
        day = pd.Timestamp(r.date).date().isoformat() if pd.notna(r.date) else "n.d."
        arrow = "\u2192" if bool(r.directed) else "\u2194"
        who = f"{names.get(r.source_id, r.source_id)} {arrow} {names.get(r.target_id, r.target_id)}"
        out.append((f"\u201c{plain(r.evidence)}\u201d",
                    f"{plain(who)}: {palette.label(r.relation).lower()} · {plain(r.publisher)} · "
                    f"{day} · {plain(r.title) or '(untitled)'}"))
    return out


def _evidence_slide(prs, data: ViewData, caption: str) -> None:
    quotes = quote_lines(data.evidence, data.names)
    if not quotes:
        return
    slide = _slide(prs, "The evidence: strongest sentences", caption)
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.6), _W - Inches(1.2), Inches(5.7))
    frame = box.text_frame
    frame.word_wrap = True
    for i, (quote, source) in enumerate(quotes[:5]):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = quote
        run.font.size = Pt(15)
        run.font.color.rgb = _TEXT
        cite = frame.add_paragraph().add_run()
        cite.text = source
        cite.font.size = Pt(11)
        cite.font.color.rgb = _MUTED


def deck(data: ViewData, images: dict[str, bytes], made: dt.date) -> bytes:
    """The .pptx bytes; `images` maps 'network' (or 'blocs'), 'compare' and 'timeline' to PNG
    bytes: one slide each, captioned with the view's filters in words."""
    prs = Presentation()
    _widescreen(prs)
    _title_slide(prs, data, made)
    caption = data.subtitle()
    for key, heading in (("network", "Alliance and hostility network"),
                         ("blocs", "Blocs: who stands with whom"),
                         ("compare", "What changed: the two periods"),
                         ("timeline", "Events over time")):
        if key in images:
            _picture(_slide(prs, heading, caption), images[key])
    _evidence_slide(prs, data, caption)
    if data.diff is not None and data.view.period_a is not None:
        slide = _slide(prs, "What changed",
                       f"{data.view.period_a.label} compared with {data.view.period_b.label}")
        summary = comparison.summarize_diff(data.diff, data.names, data.view.period_a.label,
                                           data.view.period_b.label)
        box = slide.shapes.add_textbox(Inches(0.6), Inches(1.6), _W - Inches(1.2), Inches(5.6))
        _text(box.text_frame, [plain(summary), "", *_changes(data)], 15)
    every = source_lines(data.sources.sort_values("published", ascending=False))
    cites = every[:MAX_CITED_IN_DECK]
    if len(every) > len(cites):
        cites.append((f"... and {len(every) - len(cites)} older articles: the full list is "
                      "sources.md in the briefing pack (zip).", ""))
    pages = max(1, -(-len(cites) // SOURCES_PER_SLIDE))
    for page in range(pages):
        chunk = cites[page * SOURCES_PER_SLIDE:(page + 1) * SOURCES_PER_SLIDE]
        label = "Sources" if pages == 1 else f"Sources ({page + 1}/{pages})"
        slide = _slide(prs, label, f"Every article behind the {len(data.edges)} relations "
                                   f"shown ({len(every)} articles)")
        box = slide.shapes.add_textbox(Inches(0.6), Inches(1.6), _W - Inches(1.2), Inches(5.7))
        frame = box.text_frame
        frame.word_wrap = True
        for i, (cite, url) in enumerate(chunk):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = cite
            run.font.size = Pt(12)
            run.font.color.rgb = _TEXT
            if url:
                link = para.add_run()
                link.text = f"  {url}"
                link.font.size = Pt(11)
                link.font.color.rgb = _MUTED
                if url.startswith(("http://", "https://")):
                    link.hyperlink.address = url
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
