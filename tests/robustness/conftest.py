"""A scratch folder in memory (/dev/shm when there is one) for the fuzzers, which write a
small file per example: on this machine's disk each open costs a millisecond."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path_factory.mktemp("scratch")
        return
    folder = Path(tempfile.mkdtemp(prefix="atlas-fuzz-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
