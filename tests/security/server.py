"""Start the real app on a free localhost port for browser tests and benchmarks (as
tests/e2e/test_browser.py does), and launch Debian's Chromium through Playwright."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, log: Path, *extra: str) -> Iterator[str]:
    """The app serving the store `db`; yields its base URL."""
    port = free_port()
    env = dict(os.environ, ALLIANCE_ATLAS_DB=str(db))
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
             "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *extra],  # as `alliance-atlas serve`
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.kill()
        proc.wait(timeout=10)


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)


# True once every iframe's document has loaded and every network in one has been drawn.
FRAMES_DRAWN_JS = """() => [...document.querySelectorAll('iframe')].every(f => {
  const d = f.contentDocument;
  if (!d || d.readyState !== 'complete' || !d.body) return false;
  return !d.getElementById('mynetwork') || d.body.dataset.stabilized === 'true';
})"""

# Resolves after `n` animation frames: what a page would draw next has been drawn by then.
FRAMES_JS = """n => new Promise(done => {
  const step = () => (--n <= 0 ? done(true) : requestAnimationFrame(step));
  requestAnimationFrame(step);
})"""

# True once the page's text (whitespace collapsed) holds every string of the argument.
SHOWS_JS = """want => {
  const text = document.body.innerText.split(/\\s+/).join(' ');
  return want.every(w => text.includes(w));
}"""


def wait_frames_drawn(page, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(FRAMES_DRAWN_JS, timeout=timeout_ms)


STATE_JS = ("() => { const a = document.querySelector(\"[data-testid='stApp']\");"
            " return a ? a.getAttribute('data-test-script-state') : null; }")


def wait_idle(page, timeout_ms: int = 60_000, started_ms: int = 1_500) -> None:
    """Until the script run an interaction started has finished: the app's script state goes
    to "running" (given `started_ms` to get there; a fast run may be missed) and back."""
    with contextlib.suppress(Exception):
        page.wait_for_function(f"() => ({STATE_JS})() === 'running'", timeout=started_ms)
    page.wait_for_function(f"() => {{ const s = ({STATE_JS})(); "
                           "return s !== null && s !== 'running'; }", timeout=timeout_ms)


def exception_boxes(page) -> list[str]:
    """Streamlit exception boxes (a traceback shown to the user) on the page."""
    return [e.inner_text()[:300] for e in page.locator("[data-testid='stException']").all()]


@contextlib.contextmanager
def serve_good_store(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The app served on a store of tests/fixtures/good: its address and the store's path."""
    from dashboard.store import ingest

    db = tmp_path / "store" / "atlas.duckdb"
    assert ingest([ROOT / "tests" / "fixtures" / "good"], db).ok
    with serve(db, tmp_path / "server.log") as url:
        yield url, db


# The HTML of the first drawn network whose page holds the argument, or null.
_NETWORK_JS = """want => {
  for (const f of document.querySelectorAll('iframe')) {
    const d = f.contentDocument;
    if (d && d.body && d.body.dataset.stabilized === 'true'
        && d.documentElement.outerHTML.includes(want)) return d.documentElement.outerHTML;
  }
  return null;
}"""


def network_html(page, holding: str = "vis.Network", timeout_ms: int = 30_000) -> str:
    """The HTML of the drawn network, once one holds `holding`."""
    return page.wait_for_function(_NETWORK_JS, arg=holding, timeout=timeout_ms).json_value()
