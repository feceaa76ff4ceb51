"""A seeded sample of tests/robustness/fuzz_files.py: malformed files of every format, each
read in a worker under 5 s and 500 MB, with no traceback and no good record lost. The full run
(1,000 cases per format) is `python tests/robustness/fuzz_files.py` (docs/benchmarks.md)."""

from __future__ import annotations

import pytest

from .fuzz_files import FORMATS, run

CASES = 25


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_malformed_files(fmt):
    out = run(fmt, CASES, seed=25)
    assert out["failures"] == [], out["failures"][:5]
    assert out["cases"] == CASES
