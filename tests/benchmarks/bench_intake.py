"""News intake throughput: pages fetched from a local server, extracted, annotated and
ingested (`fetch`, rate limit off), and web-archive records ingested (`ingest x.warc.gz`).

    nice .venv/bin/python tests/benchmarks/bench_intake.py [--pages 1000] [--records 10000]
                                                           [--only fetch|warc]

The pages are the fixture layouts of tests/intake/fixtures/ (menus, cookie banners, trending
lists, related links, footers, JSON-LD and Open Graph metadata), each made unique by a numbered
sentence, served from memory by tests/intake/site.py in a separate process and listed in one
RSS feed. The WARC file holds the same kind of pages (a request and a response record each),
written to a temporary folder first; its writing is not timed. Each part ingests into a new
store. Peak memory is the process's maximum resident set size so far (run one part with
--only for its own).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.intake.site import FIXTURES, Site, rss, serve  # noqa: E402

LAYOUTS = ("wire.html", "jsonld.html", "hidden.html")
HTML = "text/html; charset=utf-8"


def page(n: int) -> bytes:
    """Fixture layout n % 3, made unique: a numbered sentence and its own canonical URL."""
    body = (FIXTURES / LAYOUTS[n % 3]).read_bytes()
    unique = (f"<p>Officials gave briefing number {n} to reporters after the meeting, "
              f"and said talks would go on.</p>").encode()
    body = body.replace(b"</article>", unique + b"</article>", 1) if b"</article>" in body \
        else body.replace(b"</main>", unique + b"</main>", 1) if b"</main>" in body \
        else body.replace(b'<div class="para">', unique + b'<div class="para">', 1)
    body = body.replace(b'<link rel="canonical" href="/world/finland-joins-nato">', b"")
    body = body.replace(b'href="http://ledger.example/2024/03/sweden-nato"',
                        f'href="https://ledger.example/{n}"'.encode())
    return body.replace(b"<head>", f'<head><link rel="canonical" '
                                   f'href="https://news.example/story/{n}">'.encode(), 1)


def _server(pages: int, ready) -> None:
    site = Site()
    site.pages.update({f"/story/{n}": page(n) for n in range(pages)})
    with serve(site) as running:
        feed = rss(running.base, [f"/story/{n}" for n in range(pages)])
        running.pages["/all.rss"] = feed.encode()
        ready.send(running.base)
        ready.recv()  # until the benchmark is done


def _cpu() -> float:
    """CPU seconds (user + system) of this process: on a machine shared with other work, a
    measure of the work done that its load does not inflate. WARC worker processes are
    children of the forkserver, not of this process, and are not counted: run the WARC part
    with --workers 1 for the whole cost."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def bench_fetch(pages: int) -> None:
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=_server, args=(pages, child),
                                                         daemon=True)
    server.start()
    base = parent.recv()
    from dashboard.intake import run
    from dashboard.intake.http import Policy

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "atlas.duckdb"
        t0 = time.perf_counter()
        from dashboard.annotator.cli import _annotator

        _annotator()
        t1, c1 = time.perf_counter(), _cpu()
        summary = run.fetch([base + "/all.rss"], db=db,
                            options=run.Options(policy=Policy(interval=0.0)))
        t2, c2 = time.perf_counter(), _cpu()
        again = run.fetch([base + "/all.rss"], db=db,
                          options=run.Options(policy=Policy(interval=0.0)))
        t3 = time.perf_counter()
    parent.send("done")
    server.join(5)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"fetch: annotator start-up {t1 - t0:.1f} s")
    print(f"fetch: {pages} pages from a local server in {t2 - t1:.1f} s "
          f"({pages / (t2 - t1):.0f} pages/s; {c2 - c1:.1f} CPU s in this process): "
          f"{summary.text()}")
    print(f"fetch: the same feed again (conditional GETs) in {t3 - t2:.1f} s: {again.text()}")
    print(f"fetch: peak memory (max RSS) {peak:.0f} MiB")


def bench_warc(records: int, workers: int | None) -> None:
    from dashboard.intake import warc
    from dashboard.store import ingest_records
    from tests.intake.warcs import write

    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "news.warc.gz",
                     [(f"https://news.example/story/{n}", page(n), HTML)
                      for n in range(records)])
        size = path.stat().st_size / 2**20
        db = Path(tmp) / "atlas.duckdb"
        t0, c0 = time.perf_counter(), _cpu()
        report = ingest_records(warc.items([path], workers=workers), db)
        t1, c1 = time.perf_counter(), _cpu()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"warc: {records} pages ({2 * records} records, {size:.1f} MB .warc.gz) ingested in "
          f"{t1 - t0:.1f} s ({records / (t1 - t0):.0f} pages/s; {c1 - c0:.1f} CPU s in this "
          f"process; workers {workers or 'as ingest chooses'}): "
          f"{report.summary()}")
    print(f"warc: peak memory (max RSS) of this process {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--only", choices=("fetch", "warc"))
    parser.add_argument("--workers", type=int,
                        help="WARC worker processes (default: as `ingest` chooses)")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    if args.only in (None, "fetch"):
        bench_fetch(args.pages)
    if args.only in (None, "warc"):
        bench_warc(args.records, args.workers)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
