"""Shared fixtures: small stores built once per test session in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.store import ingest

ROOT = Path(__file__).resolve().parent.parent
APP_FIXTURES = ROOT / "tests" / "fixtures" / "app"
DEMO = ROOT / "data" / "demo"


def _build(tmp_path_factory: pytest.TempPathFactory, source: Path, name: str,
           strict: bool = True) -> Path:
    db = tmp_path_factory.mktemp(name) / "atlas.duckdb"
    report = ingest([source], db)
    assert report.ok or not strict, report.rejected
    assert report.added, f"nothing ingested from {source}"
    return db


@pytest.fixture(scope="session")
def app_store(tmp_path_factory) -> Path:
    """A store of the four articles in tests/fixtures/app (8 edge rows, 5 actors)."""
    return _build(tmp_path_factory, APP_FIXTURES, "app-store")


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """A store of the demo corpus in data/demo."""
    # The demo corpus is written by hand and grows; a bad record there is tested elsewhere
    # and must not take the app tests down with it.
    return _build(tmp_path_factory, DEMO, "demo-store", strict=False)
