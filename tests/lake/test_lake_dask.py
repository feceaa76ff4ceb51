"""The Dask engine: the same lake as the local one on any cluster, a dead worker's chunk rerun,
and an unreachable scheduler refused before any work."""

from __future__ import annotations

import json
import os
import socket
import sys

import pytest

distributed = pytest.importorskip("distributed")

from dashboard.cli import main  # noqa: E402
from dashboard.lake.engine import annotate_to_lake  # noqa: E402
from dashboard.lake.layout import LakeError  # noqa: E402
from tests.lake.helpers import lake_edges  # noqa: E402


def test_a_threaded_cluster_writes_the_single_process_edges(demo_jsonl, reference, tmp_path,
                                                            capsys):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address="127.0.0.1:0") as cluster:
        code = main(["annotate", str(demo_jsonl), "--lake", str(tmp_path / "lake"),
                     "--scheduler", cluster.scheduler_address, "--chunk-size", "3"])
    assert code == 0, capsys.readouterr().err
    assert lake_edges(tmp_path / "lake") == reference
    manifest = json.loads((tmp_path / "lake" / "_manifest.json").read_text())
    assert manifest["complete"] is True and len(manifest["chunks"]) == 28


class KillFirstChunk(distributed.WorkerPlugin):
    """Kills the worker process that starts the first chunk task of the run (once: a marker
    file records that it happened)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish != "executing" or "atlas-chunk" not in str(key):
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os._exit(1)


def test_worker_processes_and_a_worker_that_dies(demo_jsonl, reference, tmp_path):
    import cloudpickle

    # The worker processes cannot import this test module by name: ship the plugin by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    marker = tmp_path / "killed"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address="127.0.0.1:0") as cluster, \
            distributed.Client(cluster) as client:
        client.register_plugin(KillFirstChunk(str(marker)))
        report = annotate_to_lake([str(demo_jsonl)], tmp_path / "lake", engine="dask",
                                  scheduler=cluster.scheduler_address, chunk_size=10)
    assert marker.exists(), "no worker was killed"
    assert not report.errors
    assert lake_edges(tmp_path / "lake") == reference


def test_an_unreachable_scheduler_is_an_error_before_any_work(demo_jsonl, tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once the socket is closed
    lake = tmp_path / "lake"
    with pytest.raises(LakeError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:"
                                        f"{port}"):
        annotate_to_lake([str(demo_jsonl)], lake, engine="dask",
                         scheduler=f"tcp://127.0.0.1:{port}")
    assert not lake.exists()
    code = main(["annotate", str(demo_jsonl), "--lake", str(lake), "--scheduler",
                 f"tcp://127.0.0.1:{port}"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: cannot reach the Dask scheduler")
    assert "Traceback" not in err and not lake.exists()
