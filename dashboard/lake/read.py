"""A lake read back as the store's rows, chunk by chunk, for `alliance-atlas ingest DIR`.

Only committed chunks are read (their manifest entries name their files), so the files of a
chunk that a stopped run left without its entry are never ingested. One chunk's rows are in
memory at a time; `dashboard.store.ingest_records` batches and commits them as it always does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

import pyarrow.parquet as pq

from dashboard.errors import InputError
from dashboard.lake.layout import MANIFEST, Lake
from dashboard.loaders import Prepared


def lake_records(url: str, progress: Callable[[int, int], None] | None = None,
                 storage_options: dict | None = None) -> Iterator[Prepared | InputError]:
    lake = Lake(str(url), tuple(sorted((storage_options or {}).items())))
    entries = sorted(lake.committed().values(),
                     key=lambda e: (e["source"], e.get("start", 0), e["chunk"]))
    if lake.fs.exists(lake.path(MANIFEST)) and not lake.read_json(MANIFEST).get("complete"):
        yield InputError("the lake is incomplete (a run was stopped): its written chunks are "
                         "ingested; rerun the same `annotate --lake` to finish it",
                         file=str(url))
    total = sum(len(e["files"]) for e in entries)
    done = 0
    for entry in entries:
        tables: dict[str, list[dict]] = defaultdict(list)
        for f in entry["files"]:
            path = lake.path(f["path"])
            try:
                with lake.fs.open(path, "rb") as fh:
                    tables[f["table"]].extend(pq.read_table(fh).to_pylist())
            except (OSError, ValueError) as exc:
                yield InputError(f"cannot read this lake file ({exc}); its chunk is skipped: "
                                 "rerun `annotate --lake` after deleting "
                                 f"_chunks/{entry['chunk']}.json", file=path)
                tables = {}
                break
            done += 1
            if progress:
                progress(done, total)
        if not tables:
            continue
        mentions = _by_article(tables["mentions"])
        edges = _by_article(tables["edges"])
        for row in tables["articles"]:
            article_id = row["id"]
            yield Prepared(row["source_file"] or str(url), f"id '{article_id}'",
                           tuple(row.values()), mentions.pop(article_id, []),
                           edges.pop(article_id, []))


def _by_article(rows: list[dict]) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row["article_id"]].append(tuple(row.values()))
    return grouped
