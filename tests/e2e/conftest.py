"""The e2e tests' shared app: served once per test module on a copy of the demo store
(bookmarks are written next to it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.security.server import serve


class ServedApp(str):
    """The app's base URL; `.db` is the store file it serves."""

    db: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_store) -> ServedApp:
    folder = tmp_path_factory.mktemp("served")
    db = folder / "atlas.duckdb"
    shutil.copyfile(demo_store, db)
    with serve(db, folder / "server.log") as base:
        url = ServedApp(base)
        url.db = db
        yield url
