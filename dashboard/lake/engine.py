"""The two executors of one lake writer: chunks run in this process (`local`), or as tasks on
a Dask cluster (`dask`: an existing scheduler, or a local cluster of `workers` processes).

Both plan the same chunks, skip those a previous run committed, run `chunk.run_chunk` on the
rest and write `_manifest.json`: first as "complete": false, at the end with every chunk's
counts and the errors. Dask reruns a task whose worker died (up to its `allowed-failures`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dashboard.errors import InputError
from dashboard.lake.chunk import run_chunk
from dashboard.lake.inputs import Chunk, Defaults, plan
from dashboard.lake.layout import FORMAT, MANIFEST, Lake, LakeError

DEFAULT_CHUNK = 1000


@dataclass
class LakeReport:
    chunks: int = 0
    skipped: int = 0  # committed by an earlier run
    articles: int = 0
    edges: int = 0
    errors: list[InputError] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.chunks} chunk(s): {self.chunks - self.skipped} written, "
                f"{self.skipped} already in the lake; {self.articles} article(s), "
                f"{self.edges} edge(s); {len(self.errors)} rejected")


def annotate_to_lake(paths: Iterable[str], lake_url: str, *, engine: str = "local",
                     scheduler: str | None = None, workers: int | None = None,
                     chunk_size: int = DEFAULT_CHUNK, defaults: Defaults | None = None,
                     storage_options: dict | None = None,
                     progress: Callable[[int, int], None] | None = None) -> LakeReport:
    options = tuple(sorted((storage_options or {}).items()))
    lake = Lake(str(lake_url), options)
    # The cluster first: an unreachable scheduler is reported before any work starts.
    client, cluster = _connect(scheduler, workers) if engine == "dask" else (None, None)
    try:
        chunks, errors = plan(paths, chunk_size, defaults or Defaults(), options)
        try:
            lake.fs.makedirs(lake.root, exist_ok=True)
        except OSError as exc:
            raise LakeError(f"cannot write the lake {lake_url}: {exc}") from exc
        lake.remove_stale_temporaries()
        done = lake.committed()
        todo = [c for c in chunks if c.id not in done]
        _write_manifest(lake, chunks, done, errors, complete=False)
        report = LakeReport(chunks=len(chunks), skipped=len(chunks) - len(todo))
        finished = 0
        for entry in (_run_dask(client, todo, lake) if client is not None
                      else (run_chunk(c, lake) for c in todo)):
            done[entry["chunk"]] = entry
            finished += 1
            if progress:
                progress(finished, len(todo))
        _write_manifest(lake, chunks, done, errors, complete=True)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    for chunk in chunks:
        entry = done[chunk.id]
        report.articles += entry["articles"]
        report.edges += entry["edges"]
        report.errors.extend(InputError(e["reason"], file=e["file"], record=e["record"],
                                        field=e["field"]) for e in entry["errors"])
    report.errors[:0] = errors
    return report


def _connect(scheduler: str | None, workers: int | None):
    try:
        from distributed import Client
    except ImportError as exc:
        raise LakeError('--engine dask needs the dask extra: pip install '
                        '"alliance-atlas[dask]"') from exc
    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise LakeError(f"cannot reach the Dask scheduler at {scheduler}: "
                            f"{exc}".splitlines()[0]) from exc
    cluster = local_cluster(workers or os.cpu_count() or 1)
    return Client(cluster), cluster


def local_cluster(workers: int):
    """A Dask cluster of `workers` processes on this machine, one thread each: the annotator
    is pure Python and holds the GIL. The workers' statistical profiler is off: its sampling
    thread takes the GIL from the annotator, and nobody reads its call trees here."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.profile.enabled": False}):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            dashboard_address="127.0.0.1:0")


def _run_dask(client, todo: list[Chunk], lake: Lake):
    from distributed import as_completed
    from distributed.client import FutureCancelledError
    from distributed.scheduler import KilledWorker

    # Deterministic keys: a chunk is one task, whatever submits it.
    futures = client.map(run_chunk, todo, lake=lake, key=[f"atlas-chunk-{c.id}" for c in todo],
                         retries=2)
    try:
        for future in as_completed(futures):
            yield future.result()
    except KilledWorker as exc:
        raise LakeError("a chunk killed every Dask worker that ran it (out of memory?); the "
                        "chunks written so far are kept, rerun to finish: "
                        f"{exc}".splitlines()[0]) from exc
    except FutureCancelledError as exc:
        raise LakeError(f"the Dask cluster went away: {exc}") from exc


def _write_manifest(lake: Lake, chunks: list[Chunk], done: dict[str, dict],
                    errors: list[InputError], *, complete: bool) -> None:
    entries = [done.get(c.id) for c in chunks]
    lake.write_json(MANIFEST, {
        "format": FORMAT,
        "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "complete": complete and all(entries),
        "tables": {"articles": "articles/month=YYYY-MM (published month)",
                   "mentions": "mentions/month=YYYY-MM (published month)",
                   "edges": "edges/month=YYYY-MM (edge date)"},
        "totals": {key: sum(e[key] for e in entries if e)
                   for key in ("records", "articles", "mentions", "edges")},
        "chunks": [{"chunk": c.id, "source": c.source, "where": c.where,
                    "committed": e is not None,
                    "files": [f["path"] for f in e["files"]] if e else []}
                   for c, e in zip(chunks, entries, strict=True)],
        "input_errors": [str(e) for e in errors],
        "rejected": sum(len(e["errors"]) for e in entries if e),
    })
