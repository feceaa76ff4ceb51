"""End to end: click an export download button on the Overview page and check the file.

The buttons come from `dashboard.ui.downloads.download_buttons`, which the pages call; until a
page does, this test skips and says so."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.e2e.test_browser import CHROMIUM, server  # noqa: F401 - the shared app fixture

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api")


def test_download_button_delivers_the_file(server, tmp_path):  # noqa: F811
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000},
                                    accept_downloads=True)
            page.goto(server)
            # The pages are being reworked: wait for whatever the Overview draws first, then
            # give the rest of the script run time to finish.
            page.wait_for_selector("[data-testid='stDownloadButton'], .js-plotly-plot, "
                                   "iframe[title^='Network'], [data-testid='stAlert']",
                                   timeout=60_000)
            page.wait_for_timeout(3000)
            buttons = page.locator("[data-testid='stDownloadButton']")
            if buttons.count() == 0:
                pytest.skip("no download button on the Overview page yet: call "
                            "dashboard.ui.downloads.download_buttons from the page")
            csv = buttons.filter(has_text="Edges (CSV)")
            with page.expect_download(timeout=60_000) as info:
                csv.first.click()
            download = info.value
            assert download.suggested_filename.startswith("alliance-atlas_network_")
            assert download.suggested_filename.endswith(".csv")
            path = tmp_path / download.suggested_filename
            download.save_as(path)
            assert path.read_text().startswith("source,target,source_name")

            zipped = buttons.filter(has_text="Briefing pack")
            with page.expect_download(timeout=120_000) as info:
                zipped.first.click()
            data = (tmp_path / "pack.zip")
            info.value.save_as(data)
            names = zipfile.ZipFile(io.BytesIO(data.read_bytes())).namelist()
            assert {"network.png", "edges.csv", "sources.md"} <= set(names)
        finally:
            browser.close()
