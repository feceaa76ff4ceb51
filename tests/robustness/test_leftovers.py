"""An ingest leaves nothing beside the store: no lock file, no private copy, whether it added
records, changed nothing or rejected everything."""

from __future__ import annotations

from pathlib import Path

from dashboard.store import ingest

ROOT = Path(__file__).resolve().parents[2]


def test_ingest_leaves_only_the_store(tmp_path):
    db = tmp_path / "atlas.duckdb"
    for paths in ([ROOT / "tests" / "fixtures" / "good"],   # adds
                  [ROOT / "tests" / "fixtures" / "good"],   # changes nothing
                  [ROOT / "tests" / "fixtures" / "bad"]):   # rejects most
        ingest(paths, db)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.duckdb"]
