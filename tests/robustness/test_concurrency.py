"""Five browser sessions using the app at once on the demo store, changing a filter and
exporting: no errors. `tests/benchmarks/bench_robustness.py --sessions 25` is the long run."""

from __future__ import annotations

import pytest

from tests.security.server import CHROMIUM, serve

from .sessions import run_sessions

pytestmark = pytest.mark.e2e

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)
pytest.importorskip("playwright.async_api")


def test_five_sessions_at_once(demo_store, tmp_path):
    with serve(demo_store, tmp_path / "server.log") as url:
        out = run_sessions(url, sessions=5, rounds=2)
    assert not out.errors, out.errors
    assert len(out.reruns) == 10
    print(f"5 sessions: rerun p50 {out.median:.2f} s, p95 {out.percentile(0.95):.2f} s, "
          f"{out.downloads} downloads")
