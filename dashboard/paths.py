"""Where the bundled data and the default store live.

In a source checkout (the README's editable install) that is the repository's `data/` folder;
a built wheel carries the same files inside the package as `dashboard/_data`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


def data_dir() -> Path:
    bundled = PACKAGE_DIR / "_data"
    return bundled if bundled.is_dir() else PROJECT_ROOT / "data"


def actors_dir() -> Path:
    return data_dir() / "actors"


def demo_dir() -> Path:
    return data_dir() / "demo"


APP_NAME = "alliance-atlas"


def default_db_path() -> Path:
    """`ALLIANCE_ATLAS_DB` wins; else `data/atlas.duckdb` in a source checkout, else the
    user's data folder as the platform defines it (platformdirs: `~/.local/share/alliance-atlas`
    on Linux, `%LOCALAPPDATA%\\alliance-atlas` on Windows, `~/Library/Application Support/
    alliance-atlas` on macOS), since an installed package's folder may not be writable."""
    env = os.environ.get("ALLIANCE_ATLAS_DB")
    if env:
        return Path(env).expanduser()
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / "data" / "atlas.duckdb"
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "atlas.duckdb"
