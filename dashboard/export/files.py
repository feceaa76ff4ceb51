"""Writing export files so that a failure never leaves a partial file behind.

The target folder is checked before anything is rendered (rendering a pack is slow and
a typo in --out should fail at once), and the bytes are written with `atomic.replace_file`, so
a crash, a full disk or Ctrl+C leaves either the old file or none.
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.atomic import replace_file
from dashboard.export.render import ExportError


def check_writable(path: Path) -> Path:
    """`path` resolved, or an `ExportError` saying why it cannot be written."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder; give a file name")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: no permission to write in {folder}")
    if path.exists() and not os.access(path, os.W_OK):
        raise ExportError(f"cannot write {path}: the file is read-only")
    return path


def write_atomic(path: Path, data: bytes) -> Path:
    path = check_writable(path)
    try:
        return replace_file(path, data)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
