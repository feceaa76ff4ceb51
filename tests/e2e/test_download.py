"""End to end: click the Network page's export download buttons and check the files."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.security.server import ARGS, CHROMIUM

pytestmark = pytest.mark.e2e
sync_api = pytest.importorskip("playwright.sync_api")


def test_download_button_delivers_the_file(server, tmp_path):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000},
                                    accept_downloads=True)
            page.goto(server)
            buttons = page.locator("[data-testid='stDownloadButton']")
            csv = buttons.filter(has_text="Edges (CSV)")
            csv.first.wait_for(timeout=60_000)
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
