"""SIGKILL an ingest at random moments and check the store: it must open and hold exactly the
old content or the new, never a mix, and the next ingest must complete with the new content.

Used by `test_crash.py` (a few runs) and `tests/benchmarks/bench_robustness.py` (20 runs)."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dashboard.store import STORE_TABLES, connect_read_only, ingest

ROOT = Path(__file__).resolve().parents[2]
# Imports first, then "go" on standard output: the kill is timed from there, so it lands in
# the ingest itself rather than in Python's start-up.
INGEST = ("import sys; from pathlib import Path; from dashboard.store import ingest; "
          "from dashboard.registry import Registry; reg = Registry.load(); "
          "print('go', flush=True); "
          "r = ingest(sys.argv[2:], Path(sys.argv[1]), registry=reg); print(r.summary())")


def _start(db: Path, paths: list[Path]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", INGEST, str(db), *map(str, paths)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    assert proc.stdout.readline().strip() == "go"
    return proc


def snapshot(db: Path) -> dict:
    """Table counts and, per article, its content hash and a digest of its edge rows."""
    con = connect_read_only(db)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                  for t in STORE_TABLES}
        articles = dict(con.execute("SELECT id, content_hash FROM articles").fetchall())
        edges: dict[str, list] = {}
        for row in con.execute("SELECT article_id, source, target, relation, date, "
                               "evidence_start, evidence_end FROM edges").fetchall():
            edges.setdefault(row[0], []).append(repr(row[1:]))
    finally:
        con.close()
    per_article = {a: (h, hashlib.sha256("\n".join(sorted(edges.get(a, []))).encode())
                       .hexdigest()) for a, h in articles.items()}
    return {"counts": counts, "articles": per_article}


@dataclass
class CrashRun:
    delay: float
    seen: str          # "old", "new"
    recovered: bool    # the next ingest completed with the new content
    leftovers: list[str]


def prepare(work: Path, old_paths: list[Path], new_paths: list[Path]) -> tuple[Path, dict,
                                                                             dict, float]:
    """A base store of `old_paths`, the snapshots of the old and of the new content, and how
    long a full ingest of `new_paths` takes (after the process has started)."""
    base = work / "base" / "atlas.duckdb"
    base.parent.mkdir(parents=True)
    assert ingest(old_paths, base).added
    old = snapshot(base)
    ref = work / "ref" / "atlas.duckdb"
    ref.parent.mkdir(parents=True)
    shutil.copyfile(base, ref)
    proc = _start(ref, new_paths)
    started = time.monotonic()
    proc.communicate(timeout=300)
    duration = time.monotonic() - started
    new = snapshot(ref)
    assert new != old, "the new corpus changes nothing"
    return base, old, new, duration


def crash_once(work: Path, base: Path, new_paths: list[Path], old: dict, new: dict,
               delay: float, index: int) -> CrashRun:
    folder = work / f"run{index}"
    folder.mkdir()
    db = folder / "atlas.duckdb"
    shutil.copyfile(base, db)
    proc = _start(db, new_paths)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    state = snapshot(db)
    assert state in (old, new), f"run {index} (killed after {delay:.2f}s): a mixed store"
    seen = "old" if state == old else "new"
    # The next ingest cleans up after the killed one and completes.
    report = ingest(new_paths, db)
    recovered = snapshot(db) == new and not report.rejected_records
    leftovers = sorted(p.name for p in folder.iterdir() if p.name != "atlas.duckdb")
    return CrashRun(delay, seen, recovered, leftovers)


def run_crashes(work: Path, runs: int, seed: int, old_paths: list[Path],
                new_paths: list[Path]) -> tuple[list[CrashRun], float]:
    base, old, new, duration = prepare(work, old_paths, new_paths)
    rnd = random.Random(seed)
    results = [crash_once(work, base, new_paths, old, new, rnd.uniform(0.0, duration * 1.1), i)
               for i in range(runs)]
    return results, duration
