"""Where the default store lives: the environment's choice, a checkout's data/, else the user's
data folder as the platform defines it."""

from __future__ import annotations

import sys

import pytest

from dashboard import paths


def test_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("ALLIANCE_ATLAS_DB", str(tmp_path / "mine.duckdb"))
    assert paths.default_db_path() == tmp_path / "mine.duckdb"


def test_a_source_checkout_keeps_its_store_in_data(monkeypatch):
    monkeypatch.delenv("ALLIANCE_ATLAS_DB", raising=False)
    assert paths.default_db_path() == paths.PROJECT_ROOT / "data" / "atlas.duckdb"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")
def test_an_installed_package_uses_the_users_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("ALLIANCE_ATLAS_DB", raising=False)
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path / "site-packages")  # no pyproject.toml
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert paths.default_db_path() == tmp_path / "share" / "alliance-atlas" / "atlas.duckdb"
