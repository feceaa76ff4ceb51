"""App benchmark on a store of about a million edges: page data, server-side reruns, browser.

    python tests/benchmarks/bench_app.py [--articles 100000 --extra 5000] [--repeat 5]
                                         [--store PATH] [--no-browser] [--no-apptest]

The store is built once from the synthetic corpus (tests/benchmarks/synth.py, cached like the
ingest benchmark's: 100k articles of seed 1 plus 5k of seed 2, about 1.01M edges) and kept in
the same cache folder; `--store` uses an existing store instead. Then it prints:

  open     the time to open the store and read the first page's edge summary (the rollups
           are built by the ingest, so nothing is built here). Target: 2 s.
  data     per page, the time from a filter change to all of the page's data, uncached: the
           page's `queries` builders run on the store's read-only connection
           (`queries.connect`) and the pure analytics the page runs on their results (the
           blocs too, on every page that colours actors by bloc, and the mentions that
           evidence cards mark), with what the page prefetches
           (`dashboard.ui.connection.prefetch`) running on two worker threads as in the app.
           Median and worst over the filter changes in CHANGES; then the medians of the SQL
           and of the analytics, each summed over the page's threads (they overlap, so they
           add up to more than the time). Target: 50 ms. Then the peak memory of this process
           (the data path of one user, without Streamlit).
  rerun    per page, the full server-side run of the page through AppTest after a filter
           change (the relation types), with Streamlit's caches warm for everything else.
           Target: 1 s. The first run of a session is reported apart.
  reference  a fixed workload (DuckDB aggregate, numpy sort, pandas group-by) timed before
           and after the page data: how fast the machine ran meanwhile.
  browser  time from navigation to an interactive network (vis-network drawn, positions set)
           at the default node budget in Debian's Chromium, first visit,
           later visits in a new browser profile (nothing cached), and visits in a profile on
           disk whose caches earlier visits filled, as an analyst's browser is (and, as rounds
           1-5 measured them, in a private context, which keeps little of V8's code cache).
           Target: 2 s. Then the Streamlit server's peak memory (VmHWM) over all the visits.
           Target: 500 MiB.

Numbers depend on the machine and on what else runs: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import bench_ingest  # noqa: E402
import synth  # noqa: E402

from dashboard import (  # noqa: E402
    actor_profile,
    analytics,
    article_queries,
    comparison,
    layout,
    queries,
)
from dashboard.export.data import trimmed  # noqa: E402
from dashboard.queries import Filters  # noqa: E402
from dashboard.store import SCHEMA_VERSION, ingest  # noqa: E402

D = dt.date
BUDGET = 60
# The filter changes measured: what an analyst clicks through.
CHANGES = [
    ("all events", Filters()),
    ("hostile only", Filters(stances=("hostile",))),
    ("one year", Filters(date_from=D(2023, 1, 1), date_to=D(2023, 12, 31))),
    ("three relation types", Filters(relations=("alliance", "sanction", "attack"))),
    ("actor filter", Filters(actors=("IRN", "ISR"))),
    ("min 5 articles", Filters(min_weight=5)),
    ("publisher + confidence", Filters(publishers=("Reuters", "AFP"), min_confidence=0.8)),
]


def build_store(articles: int, extra: int, seed: int) -> Path:
    cache = bench_ingest.cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    db = cache / f"app-v{synth.VERSION}-s{SCHEMA_VERSION}-seed{seed}-{articles}+{extra}.duckdb"
    if db.is_file():
        return db
    sources = [bench_ingest.corpus(articles, seed, cache)]
    if extra:
        sources.append(bench_ingest.corpus(extra, seed + 1, cache))
    tmp = db.with_name(db.name + ".building")
    tmp.unlink(missing_ok=True)
    began = time.perf_counter()
    report = ingest(sources, tmp)
    os.replace(tmp, db)
    print(f"  built {db} in {time.perf_counter() - began:.0f} s: {report.summary()}",
          flush=True)
    return db


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - began)
    return best, result


# -- page data: what each page fetches (SQL) and computes (analytics) after a filter change ----


class _Workers:
    """The app's prefetch workers (`dashboard.ui.connection.prefetch`): two threads, each with
    its own cursor on the store, as the app's worker threads have."""

    def __init__(self, con) -> None:
        self._local = threading.local()
        self._con = con
        self._pool = ThreadPoolExecutor(max_workers=2)

    def cursor(self):
        if not hasattr(self._local, "cursor"):
            self._local.cursor = self._con.cursor()
        return self._local.cursor

    def submit(self, fn, *args):
        return self._pool.submit(fn, *args)


def page_data(con, page: str, f: Filters, workers: _Workers,
              bounds: tuple) -> tuple[float, float, float, float]:
    """(seconds from the filter change to all of the page's data, seconds of SQL, seconds of
    analytics, CPU seconds of this process meanwhile) for one page under filters `f`, calling
    what the page calls: the `queries` builders (as `dashboard.ui.connection.fetch` runs them)
    and the pure analytics on their results. What a page prefetches runs on `workers` here too,
    so the first number is shorter than the sum of the other two when a query runs while Python
    computes. `bounds` are the store's first and last dates (the Compare page's default
    periods)."""
    sql = ana = 0.0
    lock = threading.Lock()
    cache: dict = {}  # as Streamlit's caches: one computation per key within a page's run

    def q(query, cursor=None):
        nonlocal sql
        key = (query[0], repr(query[1]))
        if key in cache:
            return cache[key]
        began = time.perf_counter()
        out = queries.run(cursor or con, query)
        with lock:
            sql += time.perf_counter() - began
        cache[key] = out
        return out

    def a(fn, *args, **kwargs):
        nonlocal ana
        began = time.perf_counter()
        out = fn(*args, **kwargs)
        with lock:
            ana += time.perf_counter() - began
        return out

    def cards(query, cursor=None):  # evidence cards, and the actors' mentions they mark
        rows = q(query, cursor)
        q(queries.mentions_in(sorted(set(rows["article_id"]))), cursor)
        return rows

    def summary(filters=f, cursor=None):  # as `ui.network.summary`
        return q(queries.edge_summary(filters), cursor)

    def signed(filters=f, cursor=None):  # as `ui.network.pairs`
        return a(analytics.signed_weights, summary(filters, cursor))

    def colour_blocs(cursor=None):  # as `ui.network.blocs`
        edges = summary(f, cursor)
        return a(analytics.blocs, edges, pairs=signed(f, cursor))

    def on_worker(fn, *args):
        return workers.submit(lambda: fn(*args, cursor=workers.cursor()))

    began, cpu = time.perf_counter(), time.process_time()
    if page == "network":
        edges = summary()
        colours = on_worker(colour_blocs)  # prefetched: Python on a worker
        drawn = a(trimmed, edges, None, 1, BUDGET)[0]
        if not drawn.empty:  # the strongest pair's newest evidence, as the page reads it
            top = drawn.iloc[0]
            cards(queries.evidence(f, 30, pair=(top.source, top.target)))
        colours.result()
    elif page == "timeline":
        q(queries.timeline(f, "month"))
    elif page == "actor":
        edges = summary()
        actor = None if edges.empty else a(lambda: layout.weighted_degree(edges).index[0])
        if actor is not None:
            mine = q(queries.edge_summary(f, involving=actor))
            # Prefetched: the timeline and the strongest evidence, read by the workers.
            timeline = on_worker(lambda cursor: q(queries.timeline(f, "month",
                                                                   involving=actor), cursor))
            best = on_worker(lambda cursor: cards(queries.evidence(
                f, 10, strongest=True, involving=actor), cursor))
            a(actor_profile.net_stance, mine, actor)
            a(actor_profile.relation_mix, mine, actor)
            colour_blocs()  # the actor's bloc and its members
            timeline.result()
            best.result()
    elif page == "blocs":
        edges = summary()
        pairs = signed()
        blocs = a(analytics.blocs, edges, pairs=pairs)
        census = a(analytics.balance, edges, pairs=pairs)
        a(census.patterns)
        a(census.first_unbalanced, 200)
        a(analytics.surprises, edges, pairs=pairs)
        a(analytics.frustration, edges, blocs, pairs=pairs)
    elif page == "compare":
        colours = on_worker(colour_blocs)  # prefetched: Python on a worker
        first, last = bounds
        mid = first + (last - first) / 2
        one = f.replace(date_from=first.date(), date_to=mid.date())
        two = f.replace(date_from=mid.date(), date_to=last.date())
        later = on_worker(lambda cursor: signed(two, cursor))  # as `ui.network.periods`
        before, after = signed(one), later.result()
        diff = a(comparison.pair_diff, before, after)
        a(comparison.summarize_diff, diff, {}, "A", "B")
        colours.result()
    elif page == "articles":
        q(article_queries.article_search(f, ""))
    return time.perf_counter() - began, sql, ana, time.process_time() - cpu


PAGES = ("network", "timeline", "actor", "blocs", "compare", "articles")


def reference_ms(con) -> float:
    """A fixed workload of the same kind as the page data (a DuckDB aggregate, a numpy sort,
    a pandas group-by), best of five, so that runs at different moments or on different
    machines can be compared: this machine's speed moves by a quarter from minute to minute."""
    import numpy as np
    import pandas as pd
    values = np.random.default_rng(0).random(1_000_000)
    frame = pd.DataFrame({"k": (values * 1000).astype(np.int64), "v": values})

    def work():
        con.execute("SELECT count(*), sum(hash(i) % 7) FROM range(2000000) t(i)").fetchall()
        np.sort(values)
        frame.groupby("k")["v"].sum()

    took, _ = _timed(work, 5)
    return took * 1000


def bench_data(db: Path, repeat: int) -> None:
    began = time.perf_counter()
    con = queries.connect(db)
    first = queries.run(con, queries.edge_summary(Filters()))
    print(f"  store opened and the first page's edge summary read in "
          f"{time.perf_counter() - began:.2f} s ({len(first):,} edges of "
          f"{queries.run(con, queries.overview_counts()).iloc[0]['edge_rows']:,} rows)")
    bounds = tuple(queries.run(con, queries.date_bounds()).iloc[0])
    before = reference_ms(con)
    workers = _Workers(con)
    print(f"\n  {'page data':<10} {'median':>7} {'worst':>6}   {'SQL':>5} {'analytics':>9} "
          f"{'CPU':>5}   (ms over {len(CHANGES)} filter changes, best of {repeat}; SQL and "
          f"analytics: medians of their sums; CPU: median of the process's CPU time, which a "
          f"loaded machine inflates less than wall time)")
    by_change = {}
    for page in PAGES:
        walls, sqls, anas, cpus = [], [], [], []
        by_change[page] = walls
        for _, f in CHANGES:
            results = [page_data(con, page, f, workers, bounds) for _ in range(repeat)]
            best = min(results)
            walls.append(best[0] * 1000)
            sqls.append(best[1] * 1000)
            anas.append(best[2] * 1000)
            cpus.append(best[3] * 1000)
        print(f"  {page:<10} {statistics.median(walls):>7.1f} {max(walls):>6.1f}   "
              f"{statistics.median(sqls):>5.1f} {statistics.median(anas):>9.1f} "
              f"{statistics.median(cpus):>5.1f}", flush=True)
    print(f"  reference workload (how fast the machine ran): {before:.0f} ms before the page "
          f"data, {reference_ms(con):.0f} ms after")
    print(f"  peak memory of this process (one user's data path): {_peak_mib(os.getpid()):.0f} "
          "MiB")
    # Which change is a page's worst: the medians above hide it.
    print(f"\n  {'per change':<10} " + " ".join(f"{i:>6}" for i in range(1, len(CHANGES) + 1))
          + "   (ms; " + ", ".join(f"{i} {label}" for i, (label, _) in
                                    enumerate(CHANGES, 1)) + ")")
    for page, walls in by_change.items():
        print(f"  {page:<10} " + " ".join(f"{w:>6.1f}" for w in walls))
    drawn = trimmed(first, None, 1, BUDGET)[0]
    took, _ = _timed(lambda: layout.positions(drawn), repeat)
    print(f"  layout of the drawn network ({len(drawn)} relations): {took * 1000:.0f} ms")
    con.close()


# -- full server-side reruns through AppTest ---------------------------------------------------


def bench_apptest(db: Path) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["ALLIANCE_ATLAS_DB"] = str(db)
    os.chdir(ROOT)  # .streamlit/config.toml
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=300)
    took, _ = _timed(at.run)
    assert not at.exception, at.exception
    print(f"\n  first run of a session: {took:.2f} s")
    print(f"  {'rerun':<10} {'warm':>8} {'filter change':>14} {'2nd change':>11}   (s)")
    for page in PAGES:
        at.switch_page(f"views/{page}.py")
        warm, _ = _timed(at.run)
        changes = []
        for relations in (["condemnation", "sanction", "threat", "attack"],
                          ["alliance", "cooperation", "support", "attack"]):
            at.multiselect(key="rel").set_value(relations)
            took, _ = _timed(at.run)
            assert not at.exception, [e.value for e in at.exception]
            changes.append(took)
        at.multiselect(key="rel").set_value(list(_all_relations()))
        at.run()
        print(f"  {page:<10} {warm:>8.2f} {changes[0]:>14.2f} {changes[1]:>11.2f}", flush=True)


def _all_relations():
    from dashboard import palette
    return palette.LEGEND_ORDER


# -- the browser -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_DRAWN = ("() => { const f = document.querySelector(\"iframe[title^='Network']\");"
          " const b = f && f.contentDocument && f.contentDocument.body;"
          " return b && b.dataset.stabilized === 'true'; }")


_BASELINE_APP = """import streamlit as st
st.title("Baseline")
st.iframe("<html><body data-stabilized='true'>x</body></html>", height=80, alt="Network")
"""


def bench_browser(db: Path, visits: int = 3) -> None:
    """Time to an interactive network in Chromium; the same measurement on a one-line
    Streamlit app first, as the floor of this machine at this moment."""
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        baseline = Path(folder) / "baseline.py"
        baseline.write_text(_BASELINE_APP)
        floor = _browser_times(baseline, db, visits, filter_change=False)
    ours = _browser_times(ROOT / "dashboard" / "app.py", db, visits)
    print(f"\n  browser: network of {ours.nodes} actors interactive after {ours.new[0]:.2f} s on "
          f"the first visit; later visits "
          f"{statistics.median(ours.new[1:]):.2f} s in a new browser profile (a one-line "
          f"Streamlit app: {statistics.median(floor.new[1:]):.2f} s) and "
          f"{statistics.median(ours.warm):.2f} s in a profile whose caches are warm (one-line "
          f"app: {statistics.median(floor.warm):.2f} s); "
          f"{statistics.median(ours.warm_private):.2f} s warm in a private context, as rounds "
          f"1-5 measured it (one-line app: {statistics.median(floor.warm_private):.2f} s); "
          f"a filter change redraws it in {ours.change:.2f} s; the app's server peaked at "
          f"{ours.server_mib:.0f} MiB")


class BrowserTimes(NamedTuple):
    new: list[float]  # seconds per visit, each in a new profile; the first visit first
    warm: list[float]  # in one profile on disk whose caches earlier visits filled
    warm_private: list[float]  # the same in a private (off-the-record) context
    change: float  # seconds to redraw after a filter change
    nodes: str  # actors drawn
    server_mib: float  # the Streamlit server's peak resident memory (VmHWM)


def _visit(context, url: str) -> tuple[float, object]:
    page = context.new_page()
    began = time.perf_counter()
    page.goto(url)
    page.wait_for_function(_DRAWN, timeout=180_000, polling=50)
    return time.perf_counter() - began, page


def _warm_visits(context, url: str, visits: int) -> tuple[list[float], object]:
    """`visits` timed visits after two that fill the caches (Chromium keeps a script's
    compiled code from its second load on); the last page stays open."""
    times = []
    for visit in range(visits + 2):
        took, page = _visit(context, url)
        if visit >= 2:
            times.append(took)
        if visit < visits + 1:
            page.close()
    return times, page


_BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _browser_times(script: Path, db: Path, visits: int,
                   filter_change: bool = True) -> BrowserTimes:
    """Visits to the app of `script` in Chromium. Warm visits run twice: in a profile on
    disk, as an analyst's browser is, and in a private context as earlier rounds measured
    them. Playwright's `new_context()` is off the record: it keeps an HTTP cache but hardly
    any of V8's cache of compiled scripts, so Chromium parses Streamlit's hundred scripts
    again on every visit."""
    import tempfile

    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = dict(os.environ, ALLIANCE_ATLAS_DB=str(db))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port",
         str(port), "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none"],  # as `alliance-atlas serve` runs it
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    change, nodes = 0.0, "0"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=_BROWSER_ARGS)
            new = []
            for _ in range(visits):
                context = browser.new_context(viewport={"width": 1600, "height": 1000})
                took, page = _visit(context, url)
                new.append(took)
                context.close()
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            warm_private, page = _warm_visits(context, url, visits)
            context.close()
            browser.close()
            context = p.chromium.launch_persistent_context(
                profile, executable_path="/usr/bin/chromium", args=_BROWSER_ARGS,
                viewport={"width": 1600, "height": 1000})
            warm, page = _warm_visits(context, url, visits)
            nodes = page.frame_locator("iframe[title^='Network']").locator("body") \
                .get_attribute("data-nodes")
            if filter_change:
                select = page.locator("[data-testid='stMultiSelect']").filter(
                    has_text="Relation types")
                began = time.perf_counter()
                select.get_by_role("button", name="Remove Alliance").click()
                page.wait_for_function(
                    "() => location.search.includes('rel=')", timeout=60_000)
                page.wait_for_function(_DRAWN, timeout=60_000, polling=50)
                change = time.perf_counter() - began
            context.close()
        return BrowserTimes(new, warm, warm_private, change, nodes, _peak_mib(proc.pid))
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _peak_mib(pid: int) -> float:
    """The peak resident memory of a process (Linux), or NaN where /proc is missing."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    return kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--extra", type=int, default=5_000,
                        help="articles of a second seed on top (to pass a million edges)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, help="benchmark this store instead")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-apptest", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    db = args.store or build_store(args.articles, args.extra, args.seed)
    print(f"App benchmark: {db} ({db.stat().st_size / 2**20:.0f} MiB), "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    bench_data(db, args.repeat)
    if not args.no_apptest:
        bench_apptest(db)
    if not args.no_browser and Path("/usr/bin/chromium").exists():
        bench_browser(db)
    print(f"\n  load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
