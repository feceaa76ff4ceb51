"""An ingest while the app serves: the page keeps answering during the ingest and shows the
new data on the next rerun after it, with no exception shown."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from dashboard.store import ingest
from tests.security.server import CHROMIUM, ROOT, exception_boxes, launch, serve, wait_idle

pytestmark = pytest.mark.e2e

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _articles(page) -> int:
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Articles").first
    metric.wait_for(timeout=30_000)
    return int(metric.locator("[data-testid='stMetricValue']").inner_text().replace(",", ""))


def test_ingest_while_serving(tmp_path):
    db = tmp_path / "atlas.duckdb"
    assert ingest([ROOT / "tests" / "fixtures" / "app"], db).added
    more = tmp_path / "more"
    shutil.copytree(ROOT / "data" / "demo", more)
    extra = json.loads((ROOT / "tests" / "fixtures" / "app" / "fx-001.json").read_text())
    (more / "zz-new.json").write_text(json.dumps({**extra, "id": "zz-new",
                                                  "title": "A brand-new article"}))
    with serve(db, tmp_path / "server.log") as url, sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{url}/data")
            before = _articles(page)
            proc = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "ingest", "--db",
                                     str(db), "--quiet", str(more)], cwd=ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            answered = 0
            while proc.poll() is None:  # the app answers while the ingest runs
                page.reload()
                assert _articles(page) in (before, before + len(list(more.glob("*.json"))))
                answered += 1
            out = proc.communicate()[0].decode()
            assert proc.returncode == 0, out
            page.reload()
            wait_idle(page, started_ms=3_000)
            after = _articles(page)
            assert after == before + len(list(more.glob("*.json"))), (before, after, out)
            page.goto(f"{url}/articles?article=zz-new")
            page.get_by_text("A brand-new article").first.wait_for(timeout=30_000)
            assert not exception_boxes(page)
            print(f"the page answered {answered} times during the ingest")
        finally:
            browser.close()
