"""The network page itself in Debian's Chromium, without the app: the vendored vis-network
build draws the graph once, fitted into view, and answers the mouse (tooltips as plain text,
a click selects an actor)."""

from __future__ import annotations

import json

import pytest

from dashboard import figures
from tests.edge_frames import NAMES, SAMPLE
from tests.security.server import ARGS, CHROMIUM, FRAMES_JS

pytestmark = pytest.mark.e2e

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

HOSTILE = "<b>Bold</b> & Co"

# Counts the network canvas's drawings: vis-network clears the whole canvas once per drawing.
COUNT_DRAWINGS = """
window.atlasDrawings = 0;
const clear = CanvasRenderingContext2D.prototype.clearRect;
CanvasRenderingContext2D.prototype.clearRect = function (...args) {
  if (this.canvas.closest && this.canvas.closest('#mynetwork')) window.atlasDrawings += 1;
  return clear.apply(this, args);
};
"""


@pytest.fixture(scope="module")
def tab(tmp_path_factory):
    names = dict(NAMES, KOR=HOSTILE)
    path = tmp_path_factory.mktemp("network") / "network.html"
    path.write_text(figures.network_html(SAMPLE, names, 500), encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 600})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.add_init_script(COUNT_DRAWINGS)
        page.goto(path.as_uri())
        page.wait_for_function("() => document.body.dataset.stabilized === 'true'",
                               timeout=30_000)
        page.evaluate(FRAMES_JS, 20)  # any second drawing would come within a few frames
        page.errors = errors
        yield page
        browser.close()


def _dom_positions(tab) -> dict[str, dict[str, float]]:
    return tab.evaluate("() => Object.fromEntries(Object.entries(network.getPositions())"
                        ".map(([id, p]) => [id, network.canvasToDOM(p)]))")


def test_drawn_once_and_fitted_into_view(tab):
    assert tab.evaluate("() => window.atlasDrawings") == 1
    assert tab.errors == []
    body = tab.locator("body")
    assert (body.get_attribute("data-nodes"), body.get_attribute("data-edges")) == ("3", "4")
    assert set(json.loads(body.get_attribute("data-positions"))) == {"USA", "PRK", "KOR"}
    box = tab.locator("#mynetwork canvas").bounding_box()
    for actor, point in _dom_positions(tab).items():
        assert 0 < point["x"] < box["width"] and 0 < point["y"] < box["height"], actor


def test_hover_shows_the_actor_as_plain_text_and_a_click_selects_it(tab):
    box = tab.locator("#mynetwork canvas").bounding_box()
    point = _dom_positions(tab)["KOR"]
    x, y = box["x"] + point["x"], box["y"] + point["y"]
    tab.mouse.move(x - 40, y - 40)
    tab.mouse.move(x, y, steps=5)
    tooltip = tab.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    assert tooltip.inner_text().startswith(HOSTILE)  # the markup shows, it is not parsed
    assert tooltip.locator("b").count() == 0
    tab.mouse.click(x, y)
    assert tab.evaluate("() => network.getSelectedNodes()") == ["KOR"]
    assert tab.errors == []


def _fitted(tab) -> tuple[float, float]:
    return tab.evaluate("""() => {
        const box = document.getElementById('mynetwork');
        const fw = Number(document.body.dataset.frameWidth);
        const fh = Number(document.body.dataset.frameHeight);
        return [network.getScale(), Math.min(box.clientWidth / fw, box.clientHeight / fh)];
    }""")


def test_the_picture_is_fitted_to_its_frame_and_refitted_when_the_frame_changes(tab):
    scale, wanted = _fitted(tab)
    assert scale == pytest.approx(wanted, rel=1e-3)
    centre = tab.evaluate("() => network.getViewPosition()")
    assert centre["x"] == pytest.approx(float(tab.locator("body").get_attribute(
        "data-frame-width")) / 2, abs=1)
    # A page laid out at another size (hidden, or the window resized while it loaded) is
    # fitted again, the same way.
    tab.set_viewport_size({"width": 1400, "height": 600})
    tab.wait_for_function("""() => { const box = document.getElementById('mynetwork');
        const s = Math.min(box.clientWidth / Number(document.body.dataset.frameWidth),
                           box.clientHeight / Number(document.body.dataset.frameHeight));
        return Math.abs(network.getScale() - s) < 1e-3; }""", timeout=10_000)
    tab.set_viewport_size({"width": 900, "height": 600})
