"""The app shell's two numbers on the million-edge store of bench_app.py:

    python tests/benchmarks/bench_shell.py [--store PATH] [--visits 8] [--no-rerun]
                                           [--no-browser] [--also CHECKOUT]

  rerun    per page, the full server-side run through AppTest (app.py, the sidebar, the page
           and its figures) after a filter change (the relation types), twice, with
           Streamlit's caches warm for everything else. Target: 0.3 s.
  browser  from navigation until the network is drawn (its frame's `data-stabilized`) in
           Debian's Chromium, at the default node budget, against the same measurement of a
           one-line Streamlit app (a title and an iframe that says it is drawn) in the same
           run: both servers run side by side, as `alliance-atlas serve` runs them (no source
           watcher), and visits alternate between them, each in its own profile on disk
           whose caches two earlier visits filled (as an analyst's browser is). Prints each
           pair of visits, the medians and the median of the differences. Target: the
           difference at most 1 s.

Numbers depend on the machine and on what else runs: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_app import PAGES, build_store  # noqa: E402

from tests.security.server import ARGS, CHROMIUM, free_port  # noqa: E402

ONE_LINE_APP = """import streamlit as st
st.title("One line")
st.iframe("<html><body data-stabilized='true'>x</body></html>", height=80, alt="Network")
"""
DRAWN = ("() => { const f = document.querySelector(\"iframe[title^='Network']\");"
         " const b = f && f.contentDocument && f.contentDocument.body;"
         " return b && b.dataset.stabilized === 'true'; }")
VIEWPORT = {"width": 1600, "height": 1000}


def bench_rerun(db: Path) -> None:
    from streamlit.testing.v1 import AppTest

    from dashboard import palette

    os.environ["ALLIANCE_ATLAS_DB"] = str(db)
    os.chdir(ROOT)  # .streamlit/config.toml
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    print(f"  {'rerun after a filter change':<28} {'1st':>6} {'2nd':>6}   (s)")
    worst = 0.0
    for page in PAGES:
        at.switch_page(f"views/{page}.py")
        at.run()
        times = []
        for relations in (["condemnation", "sanction", "threat", "attack"],
                          ["alliance", "cooperation", "support", "attack"]):
            at.multiselect(key="rel").set_value(relations)
            began = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - began)
            assert not at.exception, [e.value for e in at.exception]
        at.multiselect(key="rel").set_value(list(palette.LEGEND_ORDER))
        at.run()
        worst = max(worst, *times)
        print(f"  {page:<28} {times[0]:>6.2f} {times[1]:>6.2f}", flush=True)
    print(f"  worst: {worst:.2f} s (target 0.3 s)")


@contextmanager
def served(script: Path, db: Path, checkout: Path = ROOT):
    """`script` served on a free port, with `checkout`'s package and .streamlit/config.toml."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none"],
        cwd=checkout, env=dict(os.environ, ALLIANCE_ATLAS_DB=str(db),
                               PYTHONPATH=str(checkout)),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:  # until the server answers its health check
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield url
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _visit(context, url: str) -> float:
    page = context.new_page()
    began = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN, timeout=180_000, polling=50)
    took = time.perf_counter() - began
    page.close()
    return took


def bench_browser(db: Path, visits: int, also: Path | None = None) -> None:
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        one_line = folder / "one_line.py"
        one_line.write_text(ONE_LINE_APP)
        urls = {"one-line": stack.enter_context(served(one_line, db)),
                "atlas": stack.enter_context(served(ROOT / "dashboard" / "app.py", db))}
        if also:
            urls["other"] = stack.enter_context(
                served(also / "dashboard" / "app.py", db, also))
        p = stack.enter_context(sync_playwright())
        contexts = {name: p.chromium.launch_persistent_context(
            str(folder / f"profile-{name}"), executable_path=str(CHROMIUM), args=ARGS,
            viewport=VIEWPORT) for name in urls}
        for name, url in urls.items():  # the first visit fills the server's caches
            for _ in range(3):
                _visit(contexts[name], url)
        times: dict[str, list[float]] = {name: [] for name in urls}
        print(f"  {'visit':<6} {'one-line':>9} {'atlas':>7} {'difference':>11}"
              + (f" {'--also':>7}" if also else "") + "   (s)")
        for visit in range(visits):
            for name in (list(urls) if visit % 2 == 0 else list(reversed(urls))):
                times[name].append(_visit(contexts[name], urls[name]))
            a, b = times["one-line"][-1], times["atlas"][-1]
            print(f"  {visit + 1:<6} {a:>9.2f} {b:>7.2f} {b - a:>11.2f}"
                  + (f" {times['other'][-1]:>7.2f}" if also else ""), flush=True)
        for context in contexts.values():
            context.close()
    differences = [b - a for a, b in zip(times["one-line"], times["atlas"], strict=True)]
    print(f"  medians: one-line app {statistics.median(times['one-line']):.2f} s, "
          f"network drawn {statistics.median(times['atlas']):.2f} s; difference "
          f"{statistics.median(differences):.2f} s (quartiles "
          f"{statistics.quantiles(differences, n=4)[0]:.2f}-"
          f"{statistics.quantiles(differences, n=4)[2]:.2f}; target 1 s)")
    if also:
        beyond = [b - a for a, b in zip(times["one-line"], times["other"], strict=True)]
        print(f"  {also}: network drawn {statistics.median(times['other']):.2f} s, "
              f"{statistics.median(beyond):.2f} s beyond the one-line app")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="this store instead of bench_app.py's")
    parser.add_argument("--visits", type=int, default=8)
    parser.add_argument("--no-rerun", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--also", type=Path, metavar="CHECKOUT",
                        help="also time another checkout's app (e.g. the main branch's "
                             "worktree), alternated with the others")
    args = parser.parse_args()
    db = args.store or build_store(100_000, 5_000, 1)
    print(f"Shell benchmark: {db}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    if not args.no_rerun:
        bench_rerun(db)
    if not args.no_browser:
        bench_browser(db, args.visits, args.also)
    print(f"  load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
