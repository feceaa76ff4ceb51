"""Annotating into a Parquet lake on a local Dask cluster: one worker against two, and the
memory of a worker at two corpus sizes.

    nice .venv/bin/python tests/benchmarks/bench_lake.py [--articles 10000] [--small 2500]

Raw articles are synthetic (tests/benchmarks/synth.py's template sentences, four of its
articles' texts to one raw article: about 4,000 characters, 45 sentences, like a news story),
written once as JSONL under a temporary folder. Each run starts a fresh local cluster of
worker processes (one thread each), then times `annotate_to_lake` alone: planning, the
workers' start-up (registry, cue table, spaCy, once per worker) and all chunks. A worker's
memory is its peak resident size (VmHWM) when the run ends, with the CPU seconds it used
(on a shared machine the wall time depends on what else runs; the CPU seconds do not).
Core-hours per million articles are one worker's wall time, scaled.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "benchmarks")]

import synth  # noqa: E402


def raw_corpus(path: Path, n: int, seed: int = 7) -> Path:
    """n raw JSONL records of about 4,000 characters each."""
    source = synth.articles(4 * n, seed=seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            parts = source[4 * i:4 * i + 4]
            first = parts[0]
            fh.write(json.dumps({"id": f"raw-{i:07d}", "title": first["title"],
                                 "published": first["published"],
                                 "publisher": first["publisher"],
                                 "text": "\n\n".join(p["text"] for p in parts)}) + "\n")
    return path


def _usage() -> tuple[float, float]:
    """This process's peak resident memory (MiB) and CPU seconds so far. The peak is the
    kernel's VmHWM, not getrusage's ru_maxrss: a spawned worker's ru_maxrss keeps the high
    mark of the parent it was forked from before its exec."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    status = Path("/proc/self/status").read_text().splitlines()
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    return peak / 1024, usage.ru_utime + usage.ru_stime


def run(corpus: Path, workers: int, chunk: int) -> tuple[float, list, dict]:
    from distributed import Client

    from dashboard.lake.engine import annotate_to_lake, local_cluster

    with tempfile.TemporaryDirectory(prefix="atlas-bench-lake-") as lake, \
            local_cluster(workers) as cluster, Client(cluster) as client:
        t0 = time.perf_counter()
        report = annotate_to_lake([str(corpus)], lake, engine="dask",
                                  scheduler=cluster.scheduler_address, chunk_size=chunk)
        elapsed = time.perf_counter() - t0
        usage = sorted(client.run(_usage).values())
    return elapsed, usage, {"articles": report.articles, "edges": report.edges,
                            "rejected": len(report.errors)}


def _workers(usage: list) -> str:
    return "; ".join(f"{rss:.0f} MiB peak, {cpu:.0f} CPU s" for rss, cpu in usage)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=2_500,
                        help="the smaller corpus for the memory comparison")
    parser.add_argument("--chunk", type=int, default=250, help="articles per chunk")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-bench-raw-") as tmp:
        big = raw_corpus(Path(tmp) / "big.jsonl", args.articles)
        small = raw_corpus(Path(tmp) / "small.jsonl", args.small)
        chars = big.stat().st_size / args.articles
        print(f"corpus: {args.articles:,} raw articles, {chars:,.0f} bytes each on average")
        results = {}
        for workers in (1, 2):
            load = os.getloadavg()[0]
            elapsed, usage, counts = run(big, workers, args.chunk)
            results[workers] = (elapsed, sum(cpu for _, cpu in usage))
            print(f"{workers} worker(s), {args.articles:,} articles: {elapsed:.1f} s "
                  f"({args.articles / elapsed:,.0f} articles/s; load average {load:.1f} at "
                  f"the start); workers: {_workers(usage)}; {counts}", flush=True)
        print(f"speed-up of two workers over one: {results[1][0] / results[2][0]:.2f}x wall; "
              f"CPU seconds one worker {results[1][1]:.0f}, two workers {results[2][1]:.0f}")
        elapsed, usage, counts = run(small, 2, args.chunk)
        print(f"2 worker(s), {args.small:,} articles: {elapsed:.1f} s; workers: "
              f"{_workers(usage)}; {counts}")
        wall_hours = results[1][0] / 3600 / args.articles * 1_000_000
        cpu_hours = results[1][1] / 3600 / args.articles * 1_000_000
        print(f"one worker: {wall_hours:.2f} core-hours (wall) and {cpu_hours:.2f} CPU-hours "
              "per million articles")


if __name__ == "__main__":
    main()
