"""`alliance-atlas export` from the command line: errors are one line and exit 1, and no file
(partial or not) is left behind."""

from __future__ import annotations

import argparse
import io
import os

import pytest

from dashboard.export import files
from dashboard.export.cli import register
from dashboard.export.render import ExportError


def _run(db, *argv) -> tuple[int, str, str]:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=str(db))
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(), common)
    args = parser.parse_args(["export", *argv])
    out, err = io.StringIO(), io.StringIO()
    return args.func(args, out, err), out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("argv", "message"), [
    (["--actor", "Narnia"], "unknown actor 'Narnia'"),
    (["--from", "2025-01-01", "--to", "2024-01-01"], "date range is empty"),
    (["--min-weight", "5000"], "no relations match"),
    (["--relation", "hugging"], "unknown relation type"),
    (["--view", "compare"], "two periods"),
    (["--view", "timeline", "--format", "gexf"], "cannot be exported as gexf"),
    (["--url", "http://localhost:8501/?minw=zero"], "'minw'"),
])
def test_bad_options_exit_1_with_one_line(demo_store, tmp_path, argv, message):
    out = tmp_path / "x.csv"
    if "--format" not in argv:
        argv = [*argv, "--format", "csv"]
    code, _, err = _run(demo_store, *argv, "--out", str(out))
    assert code == 1
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert not out.exists() and os.listdir(tmp_path) == []


def test_unwritable_path_fails_before_anything_else(demo_store, tmp_path):
    code, _, err = _run(demo_store, "--format", "png", "--out", str(tmp_path / "no" / "x.png"))
    assert code == 1 and "does not exist" in err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: permissions are not enforced")
        code, _, err = _run(demo_store, "--format", "csv", "--out", str(locked / "x.csv"))
        assert code == 1 and "no permission" in err
    finally:
        locked.chmod(0o700)


def test_missing_chromium_fails_up_front(demo_store, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    code, _, err = _run(demo_store, "--format", "png", "--out", str(tmp_path / "x.png"))
    assert code == 1 and "needs Chromium" in err and "install Debian's chromium" in err
    assert not (tmp_path / "x.png").exists()


def test_graph_files_written(demo_store, tmp_path):
    for fmt in ("csv", "json", "gexf", "graphml"):
        out = tmp_path / f"g.{fmt}"
        code, stdout, err = _run(demo_store, "--format", fmt, "--out", str(out),
                                 "--actor", "Russia", "--relation", "attack")
        assert code == 0, err
        assert out.stat().st_size > 100 and stdout.startswith("wrote")


def test_url_warns_about_unknown_parameters(demo_store, tmp_path):
    code, _, err = _run(demo_store, "--format", "csv", "--out", str(tmp_path / "e.csv"),
                        "--url", "http://localhost:8501/?minw=2&colour=red")
    assert code == 0 and "warning: URL parameter 'colour'" in err


def test_atomic_write_leaves_nothing_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old")

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", broken)
    with pytest.raises(ExportError, match="No space left"):
        files.write_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx"]


def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "pack.zip"

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(target, b"x" * 10_000)
    assert list(tmp_path.iterdir()) == []
