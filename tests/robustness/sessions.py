"""Many browser sessions using the app at once (Playwright's async API, one Chromium, one
context per session): each changes a filter several times and clicks an export button when
the page has one. A rerun is timed from the widget change until the app's script state is
idle again. Used by `test_concurrency.py` (5 sessions) and `bench_robustness.py` (25)."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

from tests.security.server import ARGS, CHROMIUM, STATE_JS


@dataclass
class Outcome:
    reruns: list[float] = field(default_factory=list)   # seconds
    downloads: int = 0
    errors: list[str] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        if not self.reruns:
            return float("nan")
        ordered = sorted(self.reruns)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def median(self) -> float:
        return statistics.median(self.reruns) if self.reruns else float("nan")


# A filter change is over when the page shows the new filter and the script state is idle. The
# state alone is not enough: under load React can batch a whole run into one render, so
# "running" never shows, and widgets bound to the query string change the URL before the run
# starts. A download clicked while that run is still going fails (Streamlit revokes the
# previous run's buttons), so a session must wait for the run's own output.
_SHOWN = """([text, present]) => {
  const app = document.querySelector("[data-testid='stApp']");
  const state = app && app.getAttribute('data-test-script-state');
  if (!state || state === 'running' || state === 'rerunRequested') return false;
  const captions = [...document.querySelectorAll("[data-testid='stCaptionContainer']")];
  return captions.some(c => c.innerText.includes(text)) === present;
}"""
MIN_TWO = "at least 2 articles per edge"  # how the Network page's caption states minimum 2


async def _idle(page, timeout_ms: int = 120_000) -> None:
    """Until the page's first run has ended."""
    await page.wait_for_function(f"() => {{ const s = ({STATE_JS})(); "
                                 "return s !== null && s !== 'running'; }", timeout=timeout_ms)


async def _session(browser, url: str, rounds: int, out: Outcome, index: int) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900},
                                        accept_downloads=True)
    page = await context.new_page()
    page.on("pageerror", lambda exc: out.errors.append(f"session {index}: {exc}"))
    try:
        await page.goto(url, timeout=120_000)
        await page.locator("[data-testid='stApp']").wait_for(timeout=120_000)
        await _idle(page)
        number = page.locator("[data-testid='stNumberInput']").filter(
            has_text="Minimum articles").first
        # On a loaded 2-core machine the first run of 25 sessions takes a while.
        await number.wait_for(timeout=300_000)
        for r in range(rounds):
            step = "stNumberInputStepUp" if r % 2 == 0 else "stNumberInputStepDown"
            started = time.monotonic()
            await number.locator(f"[data-testid='{step}']").click(timeout=180_000)
            await page.wait_for_function(_SHOWN, arg=[MIN_TWO, r % 2 == 0], timeout=180_000)
            out.reruns.append(time.monotonic() - started)
            boxes = await page.locator("[data-testid='stException']").count()
            if boxes:
                out.errors.append(f"session {index}: an exception box after round {r}")
        buttons = page.locator("[data-testid='stDownloadButton'] button")
        if await buttons.count():
            async with page.expect_download(timeout=120_000) as info:
                await buttons.first.click()
            download = await info.value
            if await download.failure():
                out.errors.append(f"session {index}: download failed")
            else:
                out.downloads += 1
    except Exception as exc:  # noqa: BLE001 - every failure is a finding, reported
        out.errors.append(f"session {index}: {type(exc).__name__}: {exc}"[:400])
    finally:
        await context.close()


async def _run(url: str, sessions: int, rounds: int) -> Outcome:
    from playwright.async_api import async_playwright

    out = Outcome()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            await asyncio.gather(*(_session(browser, url, rounds, out, i)
                                   for i in range(sessions)))
        finally:
            await browser.close()
    return out


def run_sessions(url: str, sessions: int, rounds: int = 4) -> Outcome:
    return asyncio.run(_run(url, sessions, rounds))
