"""Where the bundled data and the default store live.

In a source checkout (the README's editable install) that is the repository's `data/` folder;
a built wheel carries the same files inside the package as `dashboard/_data`.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent


def data_dir() -> Path:
    bundled = PACKAGE_DIR / "_data"
    return bundled if bundled.is_dir() else PROJECT_ROOT / "data"


def actors_dir() -> Path:
    return data_dir() / "actors"


def demo_dir() -> Path:
    return data_dir() / "demo"


def default_db_path() -> Path:
    """`ALLIANCE_ATLAS_DB` wins; else `data/atlas.duckdb` in a checkout, else the user's data
    folder (a wheel's package folder may not be writable)."""
    env = os.environ.get("ALLIANCE_ATLAS_DB")
    if env:
        return Path(env).expanduser()
    if (PROJECT_ROOT / "pyproject.toml").is_file():
        return PROJECT_ROOT / "data" / "atlas.duckdb"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "alliance-atlas" / "atlas.duckdb"
