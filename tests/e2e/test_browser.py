"""End to end: the real app in Debian's Chromium. A deep link reproduces a view (page, filters,
focus and node budget); a changed filter reaches the address bar and keeps everyone else in
place; the presenter story steps through two bookmarks; and across all of it the page requests
nothing from another host and logs no error in the console.

The server (tests/e2e/conftest.py) starts once per module on a copy of the demo store."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard import figures
from tests.security.server import ARGS, CHROMIUM

pytestmark = pytest.mark.e2e

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "about", "blob"}
# Opening a deep link to a page (/timeline), Streamlit's frontend first probes whether the app
# is served under that path (GET /timeline/_stcore/health and /host-config), gets a 404 and
# connects at /. Chromium logs each 404 as a console error; nothing else may.
_BASE_PATH_PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _complaint(message) -> bool:
    # Console errors, and plotly.js's warnings (it logs them as traces, e.g. a colour it cannot
    # read, after which it draws in black).
    return message.type == "error" or (message.type == "trace"
                                       and message.text.startswith("WARN:"))


class Watch:
    """Everything the browser asked for, failed to load, or complained about."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.failed: list[tuple[int, str]] = []
        self.console: list[str] = []
        self.page_errors: list[str] = []

    def attach(self, page) -> None:
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("response", lambda r: self.failed.append((r.status, r.url))
                if r.status >= 400 else None)
        page.on("console", lambda m: self.console.append(m.text) if _complaint(m) else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def outside(self) -> list[str]:
        return sorted({u for u in self.requests if not _is_local(u)})

    def errors(self) -> list[str]:
        """Console errors that are not Streamlit's base-path probe."""
        probes = [u for s, u in self.failed if s == 404 and
                  _BASE_PATH_PROBE.match(urlparse(u).path)]
        unexplained = [(s, u) for s, u in self.failed if u not in probes]
        expected = len(probes)
        errors = []
        for text in self.console:
            if text.startswith("Failed to load resource") and "404" in text and expected:
                expected -= 1
                continue
            errors.append(text)
        return errors + [f"{s} {u}" for s, u in unexplained] + self.page_errors


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    tab = context.new_page()
    tab.watch = Watch()
    tab.watch.attach(tab)
    yield tab
    try:
        assert not tab.watch.outside(), f"requests to other hosts: {tab.watch.outside()}"
        assert tab.watch.requests, "no requests were recorded"
        assert not tab.watch.errors(), f"errors in the browser console: {tab.watch.errors()}"
    finally:
        context.close()


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS


def _network(page, expect: tuple[int, int] | None = None, index: int = 0) -> dict:
    """Counts and positions of a drawn network (waits until it is drawn, with `expect` nodes
    and edges when given)."""
    page.wait_for_function(
        "([i, want]) => { const f = document.querySelectorAll(\"iframe[title^='Network']\")[i];"
        " const b = f && f.contentDocument && f.contentDocument.body;"
        " if (!b || b.dataset.stabilized !== 'true' || !b.dataset.positions) return false;"
        " return !want || (b.dataset.nodes === String(want[0])"
        "   && b.dataset.edges === String(want[1])); }",
        arg=[index, list(expect) if expect else None], timeout=30_000)
    frame = page.frame_locator("iframe[title^='Network']").nth(index)
    body = frame.locator("body")
    return {"nodes": int(body.get_attribute("data-nodes")),
            "edges": int(body.get_attribute("data-edges")),
            "positions": json.loads(body.get_attribute("data-positions") or "{}")}


def _expected(db: Path, budget: int = 60, focus: str | None = None, steps: int = 1,
              **filters) -> tuple[int, int]:
    from dashboard import layout, queries
    from dashboard.ui.network import MAX_EDGES
    con = queries.connect(db)
    try:
        edges = queries.run(con, queries.edge_summary(queries.Filters(**filters)))
    finally:
        con.close()
    if focus:
        edges = layout.neighbourhood(edges, focus, steps)
    drawn, _, _ = layout.top_actors(edges, budget)
    drawn = drawn.head(MAX_EDGES)
    return len(set(drawn["source"]) | set(drawn["target"])), len(drawn)


def test_deep_link_reproduces_page_filters_focus_and_budget(server, page):
    # The first request of this server is a deep link: the app must come up with its own
    # navigation and the exact view.
    page.goto(f"{server}/?rel=Condemnation&rel=Sanction&rel=Attack&focus=Russia&steps=2+steps"
              "&budget=20")
    drawn = _network(page)
    nodes, edges = _expected(server.db, budget=20, focus="RUS", steps=2,
                             relations=("condemnation", "sanction", "attack"))
    assert (drawn["nodes"], drawn["edges"]) == (nodes, edges)
    assert nodes <= 20
    assert page.get_by_text("Showing").first.inner_text().startswith(f"Showing {nodes} of")
    assert page.get_by_role("combobox", name="Focus actor").input_value() == "Russia"
    nav = page.locator("[data-testid='stSidebarNav']")
    assert nav.get_by_text("Network").count() == 1 and nav.get_by_text("app").count() == 0
    assert "focus=Russia" in page.url and "budget=20" in page.url

    page.goto(f"{server}/timeline?freq=Per+week&who=Russia&rel=Attack")
    page.get_by_role("heading", name="Timeline", exact=True).wait_for(timeout=30_000)
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30_000)
    page.get_by_role("radio", name="Per week", checked=True).wait_for(timeout=10_000)
    assert "Attack" in page.locator("[data-testid='stMultiSelect']").filter(
        has_text="Relation types").inner_text()

    # A range dragged on the chart becomes the date filter of every page.
    area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    y = area["y"] + area["height"] / 2
    page.mouse.move(area["x"] + area["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.45, y + 5, steps=4)
    page.mouse.move(area["x"] + area["width"] * 0.6, y + 10, steps=4)
    page.mouse.up()
    use = page.get_by_role("button", name="as the date filter")
    use.wait_for(timeout=30_000)
    use.click()
    page.wait_for_function("() => location.search.includes('dates=')", timeout=30_000)


# Where the network's frame is on every animation frame, from the moment it appears until the
# controls above it and the filters beside it are there too.
_TRACK_GRAPH = """
window.atlasGraphTops = [];
(function track() {
  if (window !== window.top) return;
  const frame = document.querySelector("iframe[title^='Network']");
  if (frame) window.atlasGraphTops.push(frame.getBoundingClientRect().top);
  const done = frame && document.querySelector("[data-testid='stMain'] [data-testid='stSlider']")
    && document.querySelector("[data-testid='stSidebar'] [data-testid='stNumberInput']");
  if (!done) requestAnimationFrame(track);
})();
"""


def test_the_graph_stays_put_while_the_rest_arrives(server, page):
    # The Network page's controls are drawn before the graph, so nothing arrives above it
    # later to push it down.
    page.add_init_script(_TRACK_GRAPH)
    page.goto(f"{server}/?focus=Russia")
    _network(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stNumberInput").wait_for(timeout=30_000)
    tops = page.evaluate("window.atlasGraphTops")
    assert tops and max(tops) - min(tops) < 1, sorted(set(tops))
    assert page.get_by_role("combobox", name="Focus actor").input_value() == "Russia"


def test_a_filter_change_reaches_the_url_and_draws_the_views_picture(server, page, browser):
    page.goto(server)
    before = _network(page)
    assert before["nodes"] > 1 and before["edges"] > 0
    # vis-network comes from the app's own static folder, not inlined in every rerun.
    assert any(urlparse(u).path == f"/app/static/{figures.ASSETS[0]}"
               for u in page.watch.requests), page.watch.requests
    page.screenshot(path=str(server.db.parent / "network.png"))
    select = page.locator("[data-testid='stMultiSelect']").filter(has_text="Relation types")
    for label in ("Alliance", "Cooperation", "Support"):
        select.get_by_role("button", name=f"Remove {label}").click()
        # The choice has reached the app once the address bar has it.
        page.wait_for_function("label => location.search.includes('rel=') &&"
                               " !location.search.includes(label)", arg=label, timeout=30_000)
    expected = _expected(server.db, relations=("condemnation", "sanction", "threat", "attack"))
    after = _network(page, expected)
    assert after["edges"] < before["edges"]
    # One view, one picture: a fresh tab opened on the address the page now shows draws the
    # same picture, fitted the same way.
    fresh = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    try:
        fresh.goto(page.url)
        again = _network(fresh, expected)
        assert again["positions"] == after["positions"]
        scales = [p.frame_locator("iframe[title^='Network']").first.locator("body")
                  .get_attribute("data-scale") for p in (page, fresh)]
        assert scales[0] and scales[0] == scales[1]
    finally:
        fresh.context.close()


def test_a_click_on_an_actor_focuses_it_and_on_a_line_opens_its_evidence(server, page):
    page.goto(f"{server}/?budget=20")
    _network(page)
    frame = page.frame_locator("iframe[title^='Network']").first
    # Where vis-network drew Russia, in the page's coordinates.
    box = page.locator("iframe[title^='Network']").first.bounding_box()
    point = frame.locator("body").evaluate(
        "() => network.canvasToDOM(network.getPositions(['RUS']).RUS)")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function("() => location.search.includes('focus=Russia')", timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('input')].some(i => i.value === 'Russia')",
        timeout=30_000)
    _network(page)
    frame = page.frame_locator("iframe[title^='Network']").first
    box = page.locator("iframe[title^='Network']").first.bounding_box()
    # The middle of the line between Russia and its strongest partner.
    middle = frame.locator("body").evaluate("""() => {
        const e = edges.get().find(x => x.from === 'RUS' || x.to === 'RUS');
        const p = network.getPositions([e.from, e.to]);
        const a = network.canvasToDOM(p[e.from]), b = network.canvasToDOM(p[e.to]);
        return {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2};
    }""")
    page.mouse.click(box["x"] + middle["x"], box["y"] + middle["y"])
    page.wait_for_function("() => location.search.includes('edge=')", timeout=30_000)
    # The whole view stays in the address bar.
    page.wait_for_function("() => location.search.includes('focus=Russia')", timeout=30_000)


@pytest.mark.parametrize("path, main", [
    ("/?focus=Russia", "iframe[title^='Network']"),
    ("/timeline?pair=Russia&pair=Ukraine", ".js-plotly-plot"),
    ("/actor?who=Russia", ".js-plotly-plot"),
])
def test_presenter_mode_fits_a_1080p_projector(server, browser, path, main):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    tab = context.new_page()
    try:
        sep = "&" if "?" in path else "?"
        tab.goto(f"{server}{path}{sep}present=1")
        tab.get_by_test_id("atlas-story").wait_for(timeout=30_000)
        sync_api.expect(tab.locator("section[data-testid='stSidebar']")).to_be_hidden(
            timeout=30_000)
        if main.startswith("iframe"):
            _network(tab)
        shown = tab.locator(main).first
        shown.wait_for(timeout=30_000)
        box = shown.bounding_box()
        name = path.split("?")[0].strip("/") or "network"
        tab.screenshot(path=str(server.db.parent / f"present-{name}.png"))
        assert box["y"] >= 0 and box["y"] + box["height"] <= 1080, box
    finally:
        context.close()


def test_presenter_story_steps_through_two_bookmarks(server, page):
    from dashboard import bookmarks
    path = bookmarks.sidecar(server.db)
    path.unlink(missing_ok=True)
    bookmarks.add(path, "Hostility only", "network", "stance=Hostile&budget=40")
    bookmarks.add(path, "Russia's profile", "actor", "who=Russia")
    try:
        page.goto(f"{server}/?present=1")
        story = page.get_by_test_id("atlas-story")
        story.wait_for(timeout=30_000)
        assert "2 saved views" in story.inner_text()
        # Presenter mode hides the sidebar with CSS the page injects: wait for it to apply.
        sync_api.expect(page.locator("section[data-testid='stSidebar']")).to_be_hidden(
            timeout=30_000)
        page.get_by_role("button", name="Next").click()
        page.wait_for_function("() => document.body.innerText.includes('1 / 2')",
                               timeout=30_000)
        expected = _expected(server.db, budget=40, stances=("hostile",))
        drawn = _network(page, expected)
        assert (drawn["nodes"], drawn["edges"]) == expected
        page.wait_for_function("() => location.search.includes('stance=Hostile')",
                               timeout=10_000)
        assert "present=1" in page.url
        page.get_by_role("button", name="Next").click()
        page.get_by_role("heading", name="Actor", exact=True).wait_for(timeout=30_000)
        page.wait_for_function("() => location.pathname.endsWith('/actor')", timeout=10_000)
        # The address bar holds the whole saved view, not just its page.
        page.wait_for_function("() => location.search.includes('who=Russia')", timeout=10_000)
        page.wait_for_function("() => document.body.innerText.includes('2 / 2')",
                               timeout=30_000)
        assert page.get_by_role("combobox", name="Actor").input_value() == "Russia"
        # The stance and relation-mix charts (hatched bars) drawn, without a warning.
        page.locator(".js-plotly-plot .barlayer").nth(1).wait_for(timeout=30_000)
        page.get_by_role("button", name="Previous").click()
        page.get_by_role("heading", name="Network", exact=True).wait_for(timeout=30_000)
        assert "1 / 2" in story.inner_text()
        page.screenshot(path=str(server.db.parent / "presenter.png"))
    finally:
        path.unlink(missing_ok=True)


def test_a_link_in_other_words_stays_in_the_address_bar(server, page):
    """Values written as `resolve` and the exports accept them (an alias, lower case, a bare
    number) are applied and stay in the address bar, as the widgets write them."""
    page.goto(f"{server}/?focus=DPRK&stance=hostile&rel=condemnation&rel=Threat&steps=2")
    page.wait_for_function("""() => ['focus=North+Korea', 'stance=Hostile', 'rel=Condemnation',
        'rel=Threat', 'steps=2+steps'].every(p => location.search.includes(p))""",
                           timeout=30_000)
    expected = _expected(server.db, focus="PRK", steps=2, stances=("hostile",),
                         relations=("condemnation", "threat"))
    assert (_network(page, expected)["nodes"], ) == expected[:1]
