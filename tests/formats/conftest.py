"""Shared helpers for the format tests: fixture paths and the demo corpus as articles."""

from __future__ import annotations

import pytest

from dashboard.loaders import discover, read_records
from tests.formats.paths import DEMO


@pytest.fixture(scope="session")
def demo_articles():
    files, errors = discover([DEMO])
    assert not errors
    return [r.article for f in files for r in read_records(f)]
