"""`marking.md`, the one helper for untrusted text in Markdown-capable elements, against the
Markdown and HTML payload lists, rendered by the real Streamlit in Debian's Chromium: every
payload shows as its own characters, with no image, link, icon, colour, formula, table or
heading made from it, and the browser asks nothing of any host but localhost."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.marking import md

from .payloads import MARKDOWN_PAYLOADS, PAYLOADS
from .server import CHROMIUM, free_port, launch, wait_idle

CASES = ("plain words", *MARKDOWN_PAYLOADS, *PAYLOADS[:40])  # the first: what no payload adds


@pytest.mark.parametrize("payload", CASES)
def test_md_is_one_line_with_every_punctuation_escaped(payload):
    out = md(payload)
    assert "\n" not in out
    for i, ch in enumerate(out):
        if ch in "<>[]()!*_`#|$:&~" and (i == 0 or out[i - 1] != "\\"):
            pytest.fail(f"unescaped {ch!r} at {i} in {out!r}")


def test_md_of_nothing_and_of_other_types():
    assert md(None) == ""
    assert md(12) == "12"


def _shown(text: str) -> str:
    return " ".join(text.replace("\u2060", "").split())


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed")
def test_payloads_render_as_their_text(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    import contextlib
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    root = Path(__file__).resolve().parents[2]
    port = free_port()
    log = tmp_path / "log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(Path(__file__).with_name(
                "markdown_app.py")), "--server.port", str(port), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=root, env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as r:
                    if r.status == 200:
                        break
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        with sync_api.sync_playwright() as p:
            browser = launch(p)
            outside: list[str] = []
            try:
                page = browser.new_page()

                def route(r):
                    host = r.request.url.split("/")[2].split(":")[0]
                    if host not in ("127.0.0.1", "localhost"):
                        outside.append(r.request.url)
                        return r.abort()
                    return r.continue_()

                page.route("**/*", route)
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_selector(f".st-key-case_{len(CASES) - 1} button", timeout=90_000)
                wait_idle(page)
                problems, baseline = [], None
                for i, payload in enumerate(CASES):
                    box = page.locator(f".st-key-case_{i}")
                    made = box.evaluate(
                        "b => ({img: b.querySelectorAll('img').length,"
                        " a: [...b.querySelectorAll('a')].map(a => a.getAttribute('href'))"
                        "   .filter(h => !h.startsWith('#')).join(' '),"
                        " katex: b.querySelectorAll('.katex').length,"
                        " table: b.querySelectorAll('table').length,"
                        " code: b.querySelectorAll('code, pre, blockquote, li').length,"
                        " em: b.querySelectorAll('em, del, i, b').length,"
                        " icons: b.querySelectorAll('[data-testid=stIconMaterial]').length,"
                        " colour: b.querySelectorAll('[class*=colored], span[style]').length,"
                        " headings: b.querySelectorAll('h1,h2,h3,h4,h5,h6').length})")
                    baseline = baseline or made
                    if made != baseline:
                        problems.append((payload, made))
                    texts = [_shown(t) for t in box.locator(
                        "[data-testid=stMarkdownContainer]").all_inner_texts()]
                    want = _shown(payload)
                    if not texts or any(t not in (want, f"Case {want}") for t in texts):
                        problems.append((payload, texts))
                assert not problems, "\n".join(map(repr, problems))
                assert outside == []
                assert errors == []
            finally:
                browser.close()
    finally:
        proc.kill()
        proc.wait(timeout=10)
