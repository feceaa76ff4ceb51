"""Replacing a file whole or not at all, for everything the app writes beside the store
(bookmarks, reviewed articles, exports).

The bytes go to a temporary file in the same folder, are flushed to disk and then renamed over
the target (`os.replace` is atomic on one file system), so a crash, a full disk or Ctrl+C
leaves the old file or none, never half of the new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def replace_file(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically; the temporary file is removed on any failure."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the file is an ordinary document
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
