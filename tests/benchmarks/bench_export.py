"""Export benchmark: a warm PNG of the network at the default node budget (target <= 3 s) and
a full briefing pack, deck and zip (target <= 15 s), on the demo store and optionally on a
synthetic one.

    python tests/benchmarks/bench_export.py [--synth 20000] [--store DB]

"Warm" means the renderer (kaleido's server, one Chromium) is already running, as it is in the
app after the first export and in the CLI from the second image of a pack on. Each number is
the best of --repeat runs, store query and layout included.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.export import build, render  # noqa: E402
from dashboard.export.data import open_store  # noqa: E402
from dashboard.export.view import ExportView  # noqa: E402
from dashboard.store import ingest  # noqa: E402

TARGETS = {"png": 3.0, "pptx": 15.0, "zip": 15.0}


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench(db: Path, label: str, repeat: int) -> list[str]:
    start = time.perf_counter()
    con = open_store(db)
    opened = time.perf_counter() - start
    view = ExportView()
    try:
        start = time.perf_counter()
        build.export_bytes(con, view, "png")
        cold = time.perf_counter() - start
        rows = [f"{label}: open {opened:.2f} s, first PNG (cold renderer) {cold:.2f} s"]
        for fmt in ("png", "pptx", "zip"):
            took = _best(lambda f=fmt: build.export_bytes(con, view, f), repeat)
            verdict = "ok" if took <= TARGETS[fmt] else "SLOW"
            rows.append(f"{label}: warm {fmt:<4} {took:6.2f} s  (target {TARGETS[fmt]:.0f} s, "
                        f"{verdict})")
    finally:
        con.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synth", type=int, default=0, metavar="ARTICLES",
                        help="also run on a synthetic store of this many articles")
    parser.add_argument("--store", type=Path, metavar="DB",
                        help="also run on this existing store (e.g. a synthetic one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.duckdb"
        ingest([ROOT / "data" / "demo"], demo)
        lines += bench(demo, "demo", args.repeat)
        if args.synth:
            corpus = Path(tmp) / "synth"
            subprocess.run([sys.executable, str(ROOT / "tests" / "benchmarks" / "synth.py"),
                            "--articles", str(args.synth), "--out", str(corpus)], check=True,
                           stdout=subprocess.DEVNULL)
            big = Path(tmp) / "synth.duckdb"
            ingest([corpus], big)
            lines += bench(big, f"synth {args.synth}", args.repeat)
        if args.store:
            lines += bench(args.store, args.store.name, args.repeat)
    render.stop()
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
