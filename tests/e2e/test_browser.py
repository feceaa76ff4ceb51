"""End to end: the real app in Debian's Chromium. Loads the Overview, waits for the network and
the timeline, changes a filter and sees the graph change, and checks that the page never
requests anything from another host (the app must work offline)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "about", "blob"}

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, request):
    demo_has_data = any((ROOT / "data" / "demo").glob("*.json"))
    db = request.getfixturevalue("demo_store" if demo_has_data else "app_store")
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = dict(os.environ, ALLIANCE_ATLAS_DB=str(db))
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
             "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in LOCAL_SCHEMES or parsed.hostname in LOCAL_HOSTS


def _graph_size(page) -> tuple[int, int]:
    frame = page.frame_locator("iframe[title^='Network']")
    body = frame.locator("body[data-stabilized='true']")
    body.wait_for(timeout=30_000)
    return int(body.get_attribute("data-nodes")), int(body.get_attribute("data-edges"))


def test_overview_renders_filters_and_stays_offline(server, tmp_path):
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.on("request", lambda r: requests.append(r.url))
            # The first request of the server is a deep link to a page: the app must still
            # come up with its own navigation and layout.
            page.goto(f"{server}/data")
            page.get_by_role("heading", name="Data", exact=True).wait_for(timeout=30_000)
            nav = page.locator("[data-testid='stSidebarNav']")
            assert nav.get_by_text("Overview").count() == 1
            assert nav.get_by_text("app", exact=True).count() == 0
            page.goto(server)
            nodes, edges = _graph_size(page)
            assert nodes > 1 and edges > 0
            frame = page.frame_locator("iframe[title^='Network']")
            assert frame.locator("#mynetwork canvas").count() == 1
            page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
            page.screenshot(path=str(tmp_path / "overview.png"))

            # Remove every cooperative type from the relation filter: fewer edges remain.
            select = page.locator("[data-testid='stMultiSelect']").filter(
                has_text="Relation types")
            for label in ("Alliance", "Cooperation", "Support"):
                select.get_by_role("button", name=f"Remove {label}").click()
                page.wait_for_timeout(300)
            page.wait_for_function(
                "([n, e]) => { const f = document.querySelector(\"iframe[title^='Network']\");"
                " const b = f && f.contentDocument && f.contentDocument.body;"
                " return b && b.dataset.stabilized === 'true' &&"
                " (b.dataset.edges !== String(e) || b.dataset.nodes !== String(n)); }",
                arg=[nodes, edges], timeout=30_000)
            after_nodes, after_edges = _graph_size(page)
            assert after_edges < edges
            assert "rel=" in page.url  # the view is in the address bar
        finally:
            browser.close()
    outside = sorted({u for u in requests if not _is_local(u)})
    assert not outside, f"the app fetched from other hosts: {outside}"
    assert requests, "no requests were recorded"
