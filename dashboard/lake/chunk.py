"""One chunk annotated and written to the lake: what a worker runs, in either engine.

The rows are the store's: `dashboard.annotator.cli.annotated_record` turns each document into a
native article exactly as `annotate --out` and `ingest --annotate` do, and
`dashboard.edges.derive` turns the article into its mention and edge rows exactly as the
ingest does. The chunk's files are written first and its manifest entry last: the entry is
the chunk's commit.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from dashboard.annotator.cli import _annotator, annotated_record
from dashboard.edges import ArticleRejected, derive
from dashboard.errors import InputError
from dashboard.lake.inputs import Chunk, documents
from dashboard.lake.layout import CHUNKS, SCHEMAS, Lake


def run_chunk(chunk: Chunk, lake: Lake) -> dict:
    """Annotates `chunk` into `lake` and returns its manifest entry (also written there)."""
    registry = _annotator().registry
    rows: dict[str, dict[str, list[tuple]]] = {t: defaultdict(list) for t in SCHEMAS}
    errors: list[InputError] = []
    read = 0
    for doc in documents(chunk):
        read += 1
        record = annotated_record(doc, file=chunk.source)
        if record.article is None:
            errors.extend(record.errors)
            continue
        article = record.article
        try:
            derived = derive(article, registry, file=record.file, record=record.label)
        except ArticleRejected as exc:
            errors.extend(exc.errors)
            continue
        month = article.published.strftime("%Y-%m")
        # As the store keeps it: `origin` is "native" for annotated articles, so the content
        # hash is the article's own and re-ingesting the same article is a no-op.
        rows["articles"][month].append((
            article.id, article.title, article.published, article.publisher, article.url,
            article.text, article.language, record.file, article.content_hash(),
            record.origin))
        rows["mentions"][month].extend(derived.mentions)
        for edge in derived.edges:
            rows["edges"][edge[6].strftime("%Y-%m")].append(edge)
    files = []
    # Articles last: a reader that globs the folders of a run that was stopped may see a
    # chunk's edges without its articles, never articles without their edges.
    for table in ("mentions", "edges", "articles"):
        for month, table_rows in sorted(rows[table].items()):
            relative = lake.data_file(table, month, chunk.id)
            lake.write_table(relative, _table(table_rows, SCHEMAS[table]))
            files.append({"table": table, "month": month, "path": relative,
                          "rows": len(table_rows)})
    entry = {"chunk": chunk.id, "source": chunk.source, "where": chunk.where,
             "first_line": chunk.first_line, "start": chunk.start, "records": read,
             "articles": sum(len(r) for r in rows["articles"].values()),
             "edges": sum(len(r) for r in rows["edges"].values()),
             "mentions": sum(len(r) for r in rows["mentions"].values()),
             "files": files, "errors": [_error(e) for e in errors]}
    lake.write_json(f"{CHUNKS}/{chunk.id}.json", entry)
    return entry


def _table(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    columns = zip(*rows, strict=True)
    return pa.Table.from_arrays([pa.array(column, type=f.type)
                                 for column, f in zip(columns, schema, strict=True)],
                                schema=schema)


def _error(error: InputError) -> dict:
    return {"file": error.file, "record": error.record, "field": error.field,
            "reason": error.reason, "message": str(error)}
