"""End to end in Debian's Chromium: paste a link to a page of the local news site into the
Annotate page of the real app, review the proposed edges, save, and find the new edge on the
Network page."""

from __future__ import annotations

import re

import pytest

from tests.security.server import ARGS, CHROMIUM, network_html, serve_good_store

pytestmark = pytest.mark.e2e

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def app(tmp_path):
    with serve_good_store(tmp_path) as served:
        yield served


def test_paste_a_link_review_save_and_see_the_edge(app, site, tmp_path):
    url, db = app
    link = f"{site.base}/asia/pact"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url)
            assert "Philippines" not in network_html(page)

            page.locator("[data-testid='stSidebarNav']").get_by_text("Annotate").click()
            page.get_by_role("heading", name="Annotate").wait_for(timeout=30_000)
            page.get_by_test_id("stRadioGroup").get_by_text("Add articles from links").click()
            links = page.get_by_role("textbox", name="Links or a feed")
            links.fill(link)
            links.press("Control+Enter")
            page.locator("button:enabled", has_text="Fetch").click()
            # The page's own title and publisher fill the details; its edges are proposed.
            page.locator(".aa-article mark", has_text="Philippines").first.wait_for(
                timeout=60_000)
            assert page.get_by_label("Publisher", exact=True).input_value() == "Pacific Notes"
            save = page.locator("button:enabled", has_text=re.compile(r"Save \d+ edges?"))
            save.wait_for(timeout=30_000)
            page.screenshot(path=str(tmp_path / "fetched.png"))
            save.click()
            page.get_by_text("added to the store").wait_for(timeout=60_000)
            assert site.hits["/asia/pact"] == 1 and site.hits["/robots.txt"] == 1

            page.get_by_text("See it in the network").click()
            page.get_by_role("heading", name="Network").wait_for(timeout=30_000)
            assert "Japan" in network_html(page, "Philippines")
        finally:
            browser.close()
