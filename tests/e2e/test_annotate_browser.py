"""End to end: paste an article on the Annotate page of the real app in Debian's Chromium,
keep the proposed edges, save, and find the new actors in the network."""

from __future__ import annotations

import pytest

from tests.security.server import ARGS, CHROMIUM, network_html, serve_good_store

pytestmark = pytest.mark.e2e

ARTICLE = """Fiji and Tonga sign defence pact

Published: 3 May 2024

Fiji and Tonga signed a defence pact on Friday, their leaders said."""

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def server(tmp_path):
    with serve_good_store(tmp_path) as served:
        yield served


def test_annotate_save_and_see_it_in_the_network(server, tmp_path):
    url, db = server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(url)
            assert "Tonga" not in network_html(page)

            page.locator("[data-testid='stSidebarNav']").get_by_text("Annotate").click()
            page.get_by_role("heading", name="Annotate").wait_for(timeout=30_000)
            page.get_by_label("Article text").fill(ARTICLE)
            page.get_by_label("Article text").press("Control+Enter")
            page.locator(".aa-article mark", has_text="Tonga").first.wait_for(timeout=30_000)
            page.get_by_label("Publisher", exact=True).fill("Pacific Wire")
            page.get_by_label("Publisher", exact=True).press("Enter")
            # Headline and body both state the pact: two proposed edges, both kept.
            # While Streamlit reruns, the stale (disabled) button can still be on screen
            # beside the new one: wait for the enabled one.
            save = page.locator("button:enabled", has_text="Save 2 edges")
            save.wait_for(timeout=30_000)
            page.screenshot(path=str(tmp_path / "annotate.png"))
            save.click()
            page.get_by_text("added to the store").wait_for(timeout=60_000)
            assert (db.parent / "reviewed"
                    / "2024-05-03-fiji-and-tonga-sign-defence-pact.json").is_file()

            page.get_by_text("See it in the network").click()
            page.get_by_role("heading", name="Network").wait_for(timeout=30_000)
            assert "Fiji" in network_html(page, "Tonga")
        finally:
            browser.close()
