"""Rendered images: valid, at least 1920 px wide, not blank, captioned, no markup leaking."""

from __future__ import annotations

import argparse
import dataclasses
import io

import pandas as pd
import pytest
from PIL import Image, ImageStat

from dashboard.export import build, images, render
from dashboard.export.cli import register

from .conftest import MADE

pytestmark = [pytest.mark.e2e, pytest.mark.render, pytest.mark.usefixtures("chromium")]


def _png_ok(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    img = Image.open(io.BytesIO(data))
    img.load()
    assert img.width >= 1920 and img.width == render.WIDTH * render.SCALE
    # Not blank: a white canvas has no variance; a drawn network has plenty.
    assert max(ImageStat.Stat(img.convert("L")).var) > 200
    return img


@pytest.mark.parametrize("view", ["network", "timeline", "blocs"])
def test_png_of_each_view(network, view):
    _png_ok(render.render(images.figure(network, view, MADE), "png"))


def test_png_of_the_comparison(compared):
    _png_ok(render.render(images.figure(compared, "compare", MADE), "png"))


def test_svg_carries_title_subtitle_legend_and_footer(network):
    svg = render.render(images.figure(network, "network", MADE), "svg").decode()
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:300]
    for text in ("Alliance and hostility network", str(network.first), "Condemnation",
                 "Cooperation", f"{network.articles} articles from", "made 2025-06-01",
                 "Russia"):
        assert text in svg, text


def test_pdf_is_a_pdf(network):
    assert render.render(images.figure(network, "timeline", MADE), "pdf")[:4] == b"%PDF"


def test_html_in_names_and_titles_does_not_leak(network):
    evil = "<b>Evil</b><br><a href='x'>click</a>"
    names = {**network.names, "RUS": evil}
    view = dataclasses.replace(network.view, title="<i>Brief</i> &lt;b&gt;x")
    data = dataclasses.replace(network, names=names, view=view)
    fig = images.figure(data, "network", MADE)
    labels = [t for tr in fig.data if tr.text is not None for t in tr.text]
    assert "Evil click" in labels and not any("<" in t for t in labels)
    svg = render.render(fig, "svg").decode()
    assert "Evil click" in svg and "font-weight: bold" not in svg and "Brief x" in svg
    assert "<a " not in svg.split("</defs>", 1)[-1]


def test_cli_and_programmatic_images_are_identical(demo_store, con, tmp_path):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db")
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(), common)
    out = tmp_path / "net.png"
    args = parser.parse_args(["export", "--db", str(demo_store), "--format", "png", "--out",
                              str(out), "--made", MADE.isoformat(), "--url",
                              "http://localhost:8501/?rel=Condemnation&rel=Sanction&minw=1"])
    assert args.func(args, io.StringIO(), io.StringIO()) == 0
    from dashboard.export.view import from_url
    view = from_url("http://localhost:8501/?rel=Condemnation&rel=Sanction")
    direct = build.export_bytes(con, view, "png", MADE)
    a, b = Image.open(out).convert("RGB"), Image.open(io.BytesIO(direct)).convert("RGB")
    assert a.size == b.size and a.tobytes() == b.tobytes()


def test_missing_chromium_is_a_clear_error(monkeypatch, con):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(render.ExportError, match="needs Chromium"):
        build.export_bytes(con, network_view(), "png", MADE)


def network_view():
    from dashboard.export.view import ExportView
    return ExportView()


def test_every_partner_keeps_its_name_in_presenter_type():
    # Presenter mode's larger type crowds the Actor page's bars: plotly then drops every other
    # category label unless told to keep them all, which left bars without a name.
    from dashboard import charts, view_settings

    partners = [f"P{i:02d}" for i in range(16)]
    stance = pd.DataFrame({"partner": partners, "cooperative": [20 - i for i in range(16)],
                           "hostile": [i for i in range(16)],
                           "net": [20 - 2 * i for i in range(16)]})
    names = {p: f"Country {p}" for p in partners}
    fig = charts.enlarged(charts.stance_figure(
        stance, names, top=8, height_px=view_settings.PRESENT_CHART_HEIGHT),
        view_settings.PRESENT_SCALE)
    svg = fig.to_image(format="svg", width=1100).decode()
    shown = [n for n in names.values() if f">{n}<" in svg]
    assert len(shown) == len(fig.data[0].y) == 13  # 8 allies, 5 adversaries
