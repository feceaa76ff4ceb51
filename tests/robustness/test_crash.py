"""An ingest killed with SIGKILL at random moments (seeded) leaves the store consistent: the
old content or the new, never a mix, and the next ingest completes. Five runs here; the
benchmark (`tests/benchmarks/bench_robustness.py --crash-runs 20`) runs twenty."""

from __future__ import annotations

import json
import shutil

import pytest

from .crash import ROOT, run_crashes

pytestmark = pytest.mark.e2e  # long runs: left out of the quick loop (-m "not e2e")

RUNS = 5


def test_sigkill_mid_ingest_leaves_old_or_new(tmp_path):
    app = ROOT / "tests" / "fixtures" / "app"
    demo = ROOT / "data" / "demo"
    old_dir = tmp_path / "old"
    shutil.copytree(app, old_dir)
    # The new corpus: the demo articles, plus the old ones with a changed title (an update:
    # its rows are deleted and written again in the private copy).
    new_dir = tmp_path / "new"
    shutil.copytree(demo, new_dir / "demo")
    for p in sorted(app.glob("*.json")):
        article = json.loads(p.read_text(encoding="utf-8"))
        article["title"] += " (updated)"
        (new_dir / p.name).write_text(json.dumps(article), encoding="utf-8")
    results, duration = run_crashes(tmp_path / "work", RUNS, seed=7, old_paths=[old_dir],
                                    new_paths=[new_dir])
    for r in results:
        assert r.recovered, r
        assert not r.leftovers, r
    print(f"{RUNS} kills over a {duration:.1f} s ingest: "
          f"{sum(r.seen == 'old' for r in results)} old, "
          f"{sum(r.seen == 'new' for r in results)} new")
