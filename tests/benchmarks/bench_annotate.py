"""Annotator throughput in sentences per CPU-second.

    .venv/bin/python tests/benchmarks/bench_annotate.py [--sentences N]

Articles are built from the gold sentences (tests/annotator/gold/, the wire-style set
included) and the fixture article, twenty sentences each, so the mix of cues, mentions and
near-misses is realistic. Start-up (loading the registry, the cue table and spaCy) is timed
separately. Throughput is measured in this process's CPU time, so a loaded machine slows the
wall clock but not the figure much; the wall-clock rate is printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20000,
                        help="about how many sentences to annotate (default 20000)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    from dashboard.annotator.pipeline import Annotator

    annotator = Annotator()
    annotator.annotate("Warm-up: Russia condemned Ukraine.", dt.date(2024, 1, 1))
    startup = time.perf_counter() - t0
    pool = []
    for name in ("dev.yaml", "heldout.yaml", "wire_dev.yaml", "wire_test.yaml"):
        pool += [item["text"] for item in yaml.safe_load(
            (ROOT / "tests/annotator/gold" / name).read_text(encoding="utf-8"))]
    fixture = (ROOT / "tests/annotator/fixtures/eu-backs-poland.txt").read_text(encoding="utf-8")
    articles, i = [], 0
    while sum(a[1] for a in articles) < args.sentences:
        body = [pool[(i + k) % len(pool)] for k in range(20)]
        i += 20
        articles.append(("\n\n".join(body), 20))
    articles.append((fixture, 0))
    t1, c1 = time.perf_counter(), time.process_time()
    sentences = edges = 0
    for text, _ in articles:
        result = annotator.annotate(text, dt.date(2024, 6, 21))
        sentences += result.sentences
        edges += len(result.edges)
    elapsed, cpu = time.perf_counter() - t1, time.process_time() - c1
    print(f"start-up {startup:.2f} s; {sentences} sentences in {len(articles)} articles, "
          f"{edges} edges, in {cpu:.2f} CPU-s ({elapsed:.2f} s wall): "
          f"{sentences / cpu:,.0f} sentences per CPU-second "
          f"({sentences / elapsed:,.0f} per wall-second)")


if __name__ == "__main__":
    main()
