"""The lake on object storage: raw articles read from and the lake written to an S3 API that
moto serves on this machine (nothing leaves it), then ingested from there."""

from __future__ import annotations

import socket

import pytest

pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")

from dashboard.cli import main  # noqa: E402
from dashboard.lake.layout import is_lake  # noqa: E402
from tests.lake.helpers import store_edges  # noqa: E402


@pytest.fixture()
def s3(monkeypatch):
    """A local S3 endpoint on a free port; the AWS variables point every client at it."""
    import s3fs

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1"),
                        ("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem()
    fs.mkdir("raw")
    fs.mkdir("lake")
    try:
        yield fs
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
        server.stop()


def test_raw_articles_on_s3_into_a_lake_on_s3(s3, demo_jsonl, reference, tmp_path, capsys):
    s3.put_file(str(demo_jsonl), "raw/2024/demo.jsonl")
    assert main(["annotate", "s3://raw/2024", "--lake", "s3://lake/run", "--chunk-size",
                 "20"]) == 0, capsys.readouterr().err
    assert s3.exists("lake/run/_manifest.json")
    assert any(p.endswith(".parquet") for p in s3.find("lake/run/edges"))
    assert not [p for p in s3.find("lake/run") if p.endswith(".tmp")]
    assert is_lake("s3://lake/run")
    db = tmp_path / "atlas.duckdb"
    assert main(["ingest", "s3://lake/run", "--db", str(db)]) == 0
    assert store_edges(db) == reference
    # Rerunning finds every chunk committed and writes nothing new.
    assert main(["annotate", "s3://raw/2024", "--lake", "s3://lake/run", "--chunk-size",
                 "20"]) == 0
    assert "5 already in the lake" in capsys.readouterr().err
