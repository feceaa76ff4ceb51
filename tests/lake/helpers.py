"""Raw articles for the lake's tests, and the single-process path to compare the lake with.

The raw articles are the demo corpus's texts (data/demo) stripped of their annotations, so
the annotator meets real prose; larger corpora repeat them under new ids."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from dashboard.annotator.cli import annotated_records
from dashboard.edges import EDGE_COLUMNS
from dashboard.store import ingest_records

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "data" / "demo"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RAW_KEYS = ("id", "text", "published", "title", "publisher", "url")


def raw_records(n: int | None = None) -> list[dict]:
    base = []
    for path in sorted(DEMO.glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        base.append({k: article[k] for k in RAW_KEYS if article.get(k)})
    n = len(base) if n is None else n
    return [dict(base[i % len(base)], id=f"{base[i % len(base)]['id']}-{i // len(base)}")
            if i >= len(base) else base[i] for i in range(n)]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


_EDGES = ", ".join(EDGE_COLUMNS)


def store_edges(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute(f"SELECT {_EDGES} FROM edges").fetchall(),  # noqa: S608
                      key=repr)
    finally:
        con.close()


def lake_rows(lake: str | Path, table: str, select: str, rest: str = "") -> list[tuple]:
    """`SELECT select FROM` a lake table read as DuckDB reads it (hive partitioning: the
    folder's month is a column), then `rest`."""
    sql = f"SELECT {select} FROM read_parquet(?, hive_partitioning = true) {rest}"  # noqa: S608
    with duckdb.connect() as con:
        return con.execute(sql, [f"{lake}/{table}/*/*.parquet"]).fetchall()


def lake_edges(lake: str | Path) -> list[tuple]:
    return sorted(lake_rows(lake, "edges", _EDGES), key=repr)


def single_process_edges(paths: list[Path], tmp_path: Path) -> list[tuple]:
    """The edges `alliance-atlas ingest --annotate PATHS` stores: the path the lake must
    reproduce."""
    db = tmp_path / "reference.duckdb"
    ingest_records(annotated_records(paths), db)
    return store_edges(db)
