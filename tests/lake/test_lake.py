"""`annotate PATH... --lake DIR` with the local engine, and `ingest DIR` of a lake."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.cli import main
from dashboard.lake.layout import is_lake
from tests.lake.helpers import (
    FIXTURES,
    ROOT,
    lake_edges,
    lake_rows,
    raw_records,
    single_process_edges,
    store_edges,
    write_jsonl,
)


def test_annotate_help_names_the_lake_options(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["annotate", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for option in ("--lake DIR", "--engine", "--scheduler ADDRESS", "--workers N",
                   "--chunk-size N"):
        assert option in out


@pytest.mark.parametrize("chunk_size", [1, 7, 1000])
def test_lake_edges_are_the_single_process_edges(chunk_size, demo_jsonl, reference, tmp_path,
                                                 capsys):
    lake = tmp_path / "lake"
    code = main(["annotate", str(demo_jsonl), "--lake", str(lake),
                 "--chunk-size", str(chunk_size)])
    assert code == 0, capsys.readouterr().err
    assert lake_edges(lake) == reference
    manifest = json.loads((lake / "_manifest.json").read_text())
    assert manifest["complete"] is True
    assert manifest["totals"]["edges"] == len(reference)
    n_chunks = -(-len(raw_records()) // chunk_size)
    assert len(manifest["chunks"]) == n_chunks == len(list((lake / "_chunks").iterdir()))
    # Hive partitions by month: every edge sits in the folder of its date's month, every
    # article in the folder of its published month.
    assert lake_rows(lake, "edges", "DISTINCT month = strftime(date, '%Y-%m')") == [(True,)]
    assert lake_rows(lake, "articles", "DISTINCT month = strftime(published, '%Y-%m')") \
        == [(True,)]
    assert not list(lake.rglob("*.tmp"))


def test_ingest_of_a_lake_is_the_ingest_of_the_raw_articles(demo_jsonl, tmp_path, capsys):
    lake = tmp_path / "lake"
    assert main(["annotate", str(demo_jsonl), "--lake", str(lake), "--chunk-size", "10"]) == 0
    assert is_lake(str(lake)) and not is_lake(str(demo_jsonl))
    from_lake, direct = tmp_path / "lake.duckdb", tmp_path / "direct.duckdb"
    assert main(["ingest", str(lake), "--db", str(from_lake)]) == 0
    assert main(["ingest", "--annotate", str(demo_jsonl), "--db", str(direct)]) == 0
    capsys.readouterr()
    con = duckdb.connect()
    con.execute(f"ATTACH '{from_lake}' AS a (READ_ONLY); ATTACH '{direct}' AS b (READ_ONLY)")
    for table, columns in (("edges", "*"), ("mentions", "*"),
                           ("articles", "* EXCLUDE (ingested_at)")):
        for x, y in (("a", "b"), ("b", "a")):
            diff = con.execute(f"SELECT count(*) FROM (SELECT {columns} FROM {x}.{table} "  # noqa: S608
                               f"EXCEPT ALL SELECT {columns} FROM {y}.{table})").fetchone()
            assert diff == (0,), (table, x, y)
    con.close()
    # The same articles by either path: ingesting the lake into the other store changes
    # nothing.
    assert main(["ingest", str(lake), "--db", str(direct)]) == 0
    assert "0 added, 0 updated, 84 unchanged" in capsys.readouterr().out


def test_parquet_and_text_folder_inputs(tmp_path, capsys):
    records = raw_records(30)
    # Parquet with the JSONL's columns, in row groups of four rows; one row lacks its text.
    table = pa.Table.from_pylist(records[:20] + [{"id": "textless", "published": "2024-01-01",
                                                  "publisher": "Atlas Wire"}])
    pq.write_table(table, tmp_path / "raw.parquet", row_group_size=4)
    folder = tmp_path / "stories"
    folder.mkdir()
    for r in records[20:]:
        (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
        (folder / f"{r['id']}.txt.meta.yaml").write_text(
            f"published: {r['published']}\npublisher: {r['publisher']}\n", encoding="utf-8")
    reference = single_process_edges(
        [write_jsonl(tmp_path / "first20.jsonl", records[:20]), folder], tmp_path)
    lake = tmp_path / "lake"
    code = main(["annotate", str(tmp_path / "raw.parquet"), str(folder), "--lake", str(lake),
                 "--chunk-size", "6"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"{tmp_path / 'raw.parquet'}: record row 21: 'text' is required" in err
    assert lake_edges(lake) == reference
    sources = {row[0] for row in lake_rows(lake, "articles", "DISTINCT source_file")}
    assert str(folder / f"{records[25]['id']}.txt") in sources


def test_a_broken_json_line_is_named_and_the_rest_of_its_month_is_written(tmp_path, capsys):
    lake = tmp_path / "lake"
    code = main(["annotate", str(FIXTURES / "bad-line.jsonl"), "--lake", str(lake)])
    err = capsys.readouterr().err
    assert code == 1
    assert "bad-line.jsonl: record line 3: broken JSON" in err
    assert "bad-line.jsonl: record line 4: field 'published': no published date" in err
    # Lines 1, 2 and 5 are written; lines 1 and 2 share January 2022 with nothing lost.
    ids = lake_rows(lake, "articles", "month, list(id ORDER BY id)",
                    "GROUP BY month ORDER BY month")
    first = [json.loads(line)["id"] for line in
             (FIXTURES / "bad-line.jsonl").read_text().splitlines()[:2]]
    assert ids[0] == ("2022-01", sorted(first))
    assert sum(len(i) for _, i in ids) == 3
    manifest = json.loads((lake / "_manifest.json").read_text())
    assert manifest["complete"] is True and manifest["rejected"] == 2


def test_a_corrupt_parquet_file_is_named_and_skipped(demo_jsonl, reference, tmp_path, capsys):
    lake = tmp_path / "lake"
    code = main(["annotate", str(FIXTURES / "truncated.parquet"), str(demo_jsonl),
                 "--lake", str(lake)])
    err = capsys.readouterr().err
    assert code == 1
    assert "truncated.parquet: not a readable Parquet file" in err
    assert lake_edges(lake) == reference


@pytest.mark.parametrize("argv, message", [
    (["--workers", "2", "--engine", "local"], "need --engine dask"),
    (["--jsonl", "x.jsonl"], "either --jsonl or files"),
    (["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"], "not both"),
])
def test_lake_usage_errors(argv, message, demo_jsonl, tmp_path, capsys):
    code = main(["annotate", str(demo_jsonl), "--lake", str(tmp_path / "lake"), *argv])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "lake").exists()


def test_workers_without_a_lake_is_a_usage_error(demo_jsonl, tmp_path, capsys):
    assert main(["annotate", str(demo_jsonl), "--out", str(tmp_path), "--workers", "2"]) == 2
    assert "go with --lake" in capsys.readouterr().err


def test_a_killed_run_leaves_whole_files_and_a_rerun_finishes_without_duplicates(tmp_path):
    records = raw_records(600)
    raw = write_jsonl(tmp_path / "raw.jsonl", records)
    lake = tmp_path / "lake"
    command = [sys.executable, "-m", "dashboard.cli", "annotate", str(raw), "--lake",
               str(lake), "--chunk-size", "5"]
    run = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    chunks = lake / "_chunks"

    def entries() -> list[Path]:  # committed chunks (a hidden temporary one is not)
        return sorted(chunks.glob("[!.]*.json")) if chunks.is_dir() else []

    try:
        while run.poll() is None and len(entries()) < 3:
            pass  # waits for the run to commit a few of its 120 chunks, no longer
        assert run.poll() is None, "the run ended before it could be stopped"
        run.send_signal(signal.SIGKILL)
    finally:
        run.wait()
    manifest = json.loads((lake / "_manifest.json").read_text())
    assert manifest["complete"] is False
    committed = len(entries())
    assert 3 <= committed < 120
    for path in lake.rglob("*.parquet"):
        pq.read_table(path)  # whole: a half-written file would not read
    # Ingesting the stopped lake takes its committed chunks and says it is incomplete.
    db = tmp_path / "partial.duckdb"
    code = main(["ingest", str(lake), "--db", str(db)])
    assert code == 1
    partial = duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(*) FROM articles").fetchone()[0]
    assert partial == sum(json.loads(p.read_text())["articles"] for p in entries())

    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{committed} already in the lake" in rerun.stderr
    whole = tmp_path / "whole"
    assert main(["annotate", str(raw), "--lake", str(whole), "--chunk-size", "5"]) == 0
    assert lake_edges(lake) == lake_edges(whole)
    assert sorted(p.relative_to(lake) for p in lake.rglob("*.parquet")) == \
        sorted(p.relative_to(whole) for p in whole.rglob("*.parquet"))
    assert not list(lake.rglob("*.tmp"))
    assert json.loads((lake / "_manifest.json").read_text())["complete"] is True


def test_ingest_of_a_lake_file_that_went_missing_names_it(demo_jsonl, tmp_path, capsys):
    lake = tmp_path / "lake"
    assert main(["annotate", str(demo_jsonl), "--lake", str(lake), "--chunk-size", "20"]) == 0
    victim = sorted((lake / "edges").rglob("*.parquet"))[0]
    victim.write_bytes(b"not parquet")
    db = tmp_path / "atlas.duckdb"
    assert main(["ingest", str(lake), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert str(victim) in err and "its chunk is skipped" in err
    assert store_edges(db)  # the other chunks are in
