"""The store's tables, defined once: each table's columns and their Arrow types. The DuckDB
DDL, the column orders the ingest writes in and the Arrow schemas of its batches are all made
from `TABLES`. What the app reads besides these (the rollups) is derived from them at ingest,
see `dashboard.rollups`."""

from __future__ import annotations

import pyarrow as pa

_S, _I, _B, _F, _D = pa.string(), pa.int32(), pa.bool_(), pa.float64(), pa.date32()

TABLES: dict[str, pa.Schema] = {
    "meta": pa.schema([("key", _S), ("value", _S)]),
    "articles": pa.schema([
        ("id", _S), ("title", _S), ("published", _D), ("publisher", _S), ("url", _S),
        ("text", _S), ("language", _S), ("source_file", _S), ("content_hash", _S),
        ("ingested_at", pa.timestamp("us")), ("origin", _S), ("raw_hash", _S)]),
    "actors": pa.schema([("id", _S), ("name", _S), ("kind", _S), ("full_name", _S)]),
    "mentions": pa.schema([
        ("article_id", _S), ("start_offset", _I), ("end_offset", _I), ("actor_id", _S),
        ("surface", _S)]),
    "edges": pa.schema([
        ("article_id", _S), ("source", _S), ("target", _S), ("relation", _S), ("stance", _S),
        ("directed", _B), ("date", _D), ("publisher", _S), ("evidence", _S),
        ("evidence_start", _I), ("evidence_end", _I), ("cue_start", _I), ("cue_end", _I),
        ("source_start", _I), ("source_end", _I), ("target_start", _I), ("target_end", _I),
        ("confidence", _F), ("annotator", _S), ("rule", _S), ("event", _S), ("cameo", _S),
        ("statements", _I)]),
    "gdelt_events": pa.schema([
        ("article_id", _S), ("event_id", pa.int64()), ("event_code", _S), ("root_code", _S),
        ("quad_class", _I), ("goldstein", _F), ("num_mentions", _I), ("num_sources", _I),
        ("num_articles", _I), ("avg_tone", _F), ("actor1_code", _S), ("actor2_code", _S),
        ("source_url", _S), ("gdelt_version", _S)]),
    "treaties": pa.schema([
        ("source", _S), ("treaty_id", _S), ("phase", _I), ("member_a", _S), ("member_b", _S),
        ("start_date", _D), ("end_date", _D),
        *((name, _B) for name in ("defense", "offense", "neutral", "nonagg", "consul")),
        ("source_file", _S)]),
}

_DUCKDB_TYPES = {_S: "VARCHAR", _I: "INTEGER", pa.int64(): "BIGINT", _B: "BOOLEAN",
                 _F: "DOUBLE", _D: "DATE", pa.timestamp("us"): "TIMESTAMP"}


def columns(table: str) -> tuple[str, ...]:
    return tuple(TABLES[table].names)


def ddl() -> str:
    """CREATE TABLE IF NOT EXISTS for every table, then the columns a store written by an
    earlier schema lacks (added as NULL: an ingest fills them as it rewrites articles)."""
    statements = []
    for table, schema in TABLES.items():
        cols = ", ".join(f"{f.name} {_DUCKDB_TYPES[f.type]}" for f in schema)
        statements.append(f"CREATE TABLE IF NOT EXISTS {table} ({cols});")
        statements.extend(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {f.name} "
                          f"{_DUCKDB_TYPES[f.type]};" for f in schema)
    return "\n".join(statements)


ARTICLE_COLUMNS = columns("articles")
EDGE_COLUMNS = columns("edges")
MENTION_COLUMNS = columns("mentions")
TREATY_COLUMNS = columns("treaties")
