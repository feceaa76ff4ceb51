"""Session fixtures of the lake's tests: the demo corpus as raw JSONL, and its edges by the
single-process path (`ingest --annotate`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lake.helpers import raw_records, single_process_edges, write_jsonl


@pytest.fixture(scope="session")
def demo_jsonl(tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("raw") / "demo.jsonl", raw_records())


@pytest.fixture(scope="session")
def reference(demo_jsonl, tmp_path_factory) -> list[tuple]:
    edges = single_process_edges([demo_jsonl], tmp_path_factory.mktemp("reference"))
    assert len(edges) > 100
    return edges
