"""Long robustness runs (the test suite runs short versions of each):

* `--crash-runs N`: SIGKILL an ingest N times at random (seeded) moments; the store must hold
  the old content or the new, and the next ingest must complete (tests/robustness/crash.py).
* `--sessions N`: N Playwright sessions (one Chromium, a context each) using the app at once on
  the demo store, each changing a filter `--rounds` times and exporting; reports errors and the
  p50/p95 rerun time (tests/robustness/sessions.py).
* `--fuzz-examples N`: the fuzzers of tests/robustness with N examples per format.

    .venv/bin/python tests/benchmarks/bench_robustness.py --crash-runs 20 --sessions 25
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
sys.path.insert(0, str(ROOT))

from dashboard.store import ingest  # noqa: E402
from tests.robustness.crash import run_crashes  # noqa: E402
from tests.robustness.sessions import run_sessions  # noqa: E402
from tests.security.server import serve  # noqa: E402


def crashes(work: Path, runs: int, seed: int) -> None:
    app = ROOT / "tests" / "fixtures" / "app"
    old_dir, new_dir = work / "old", work / "new"
    shutil.copytree(app, old_dir)
    shutil.copytree(ROOT / "data" / "demo", new_dir / "demo")
    for p in sorted(app.glob("*.json")):
        article = json.loads(p.read_text(encoding="utf-8"))
        article["title"] += " (updated)"
        (new_dir / p.name).write_text(json.dumps(article), encoding="utf-8")
    results, duration = run_crashes(work / "crash", runs, seed, [old_dir], [new_dir])
    old = sum(r.seen == "old" for r in results)
    bad = [r for r in results if not r.recovered or r.leftovers]
    print(f"crash: {runs} SIGKILLs (seed {seed}) over a {duration:.2f} s ingest: "
          f"{old} left the old store, {runs - old} the new, 0 mixed; "
          f"{runs - len(bad)}/{runs} next ingests completed cleanly")
    if bad:
        print(f"  problems: {bad}")


def sessions(work: Path, n: int, rounds: int) -> None:
    db = work / "demo" / "atlas.duckdb"
    db.parent.mkdir(parents=True)
    ingest([ROOT / "data" / "demo"], db)
    with serve(db, work / "server.log") as url:
        started = time.monotonic()
        out = run_sessions(url, n, rounds)
        took = time.monotonic() - started
    print(f"sessions: {n} at once x {rounds} filter changes: {len(out.reruns)} reruns in "
          f"{took:.0f} s, p50 {out.median:.2f} s, p95 {out.percentile(0.95):.2f} s, "
          f"max {max(out.reruns, default=float('nan')):.2f} s; {out.downloads} downloads; "
          f"{len(out.errors)} errors")
    for e in out.errors[:20]:
        print(f"  {e}")
    if out.errors:  # what the server said (its tracebacks go to its log, not the browser)
        log = ANSI.sub("", (work / "server.log").read_text(errors="replace"))
        errors = {line.strip() for line in log.splitlines()
                  if re.match(r"^\W*[\w.]*(Error|Exception)\b", line.strip())}
        for line in sorted(errors)[:10]:
            print(f"  server: {line[:300]}")
        (Path(tempfile.gettempdir()) / "atlas-robustness-server.log").write_text(log)


def fuzz(examples: int) -> None:
    env = dict(os.environ, ATLAS_FUZZ_EXAMPLES=str(examples))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/robustness/test_fuzz_native.py",
                           "tests/robustness/test_fuzz_annotator.py",
                           "tests/robustness/test_fuzz_formats.py"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    tail = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
    print(f"fuzz: {examples} examples per fuzzer in {time.monotonic() - started:.0f} s: {tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crash-runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--fuzz-examples", type=int, default=0,
                        help="also run the fuzzers with this many examples each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="atlas-robust-") as tmp:
        work = Path(tmp)
        if args.crash_runs:
            crashes(work / "c", args.crash_runs, args.seed)
        if args.sessions:
            sessions(work / "s", args.sessions, args.rounds)
    if args.fuzz_examples:
        fuzz(args.fuzz_examples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
