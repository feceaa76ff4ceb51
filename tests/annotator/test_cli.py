"""The command-line contract: JSONL in and out, native articles out, bad input reported."""

import argparse
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

from dashboard.annotator import cli
from dashboard.loaders import read_records
from dashboard.models import Article
from dashboard.paths import PROJECT_ROOT
from dashboard.store import connect_read_only, ingest, ingest_records

FIXTURE = Path(__file__).parent / "fixtures" / "eu-backs-poland.txt"


def parse(argv):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path)
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"), common)
    return parser.parse_args(argv)


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = parse(argv).func(parse(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_register_adds_annotate_with_the_common_options():
    args = parse(["annotate", "--db", "x.duckdb", "--jsonl", "in.jsonl"])
    assert args.func is cli.run and args.db == Path("x.duckdb") and args.jsonl == "in.jsonl"


def test_jsonl_contract(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a1", "published": "2024-06-21", "title": "t",
                               "text": "Poland condemned Belarus on Monday."}) + "\n")
    code, out, err = run(["annotate", "--jsonl", str(src)])
    assert code == 0 and err == ""
    [line] = out.splitlines()
    result = json.loads(line)
    assert list(result) == ["id", "edges", "mentions"]
    assert result["id"] == "a1"
    assert result["edges"] == [{"source": "POL", "target": "BLR", "relation": "condemnation",
                                "date": "2024-06-17",
                                "evidence": "Poland condemned Belarus on Monday.",
                                "confidence": result["edges"][0]["confidence"],
                                "event": "accuse", "cameo": "11"}]
    assert 0 < result["edges"][0]["confidence"] <= 1
    assert result["mentions"] == [{"start": 0, "end": 6, "actor": "POL", "text": "Poland"},
                                  {"start": 17, "end": 24, "actor": "BLR", "text": "Belarus"}]


def test_jsonl_bad_lines_are_reported_and_the_rest_processed(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        '{"id": "ok1", "text": "Japan backed the Philippines.", "published": "2024-01-02"}',
        "{broken",
        '{"id": "bad-date", "text": "Hi.", "published": "yesterday"}',
        '{"id": "no-text", "published": "2024-01-02"}',
        '{"id": "ok2", "text": "Nothing here.", "published": "2024-01-02"}',
    ]) + "\n")
    code, out, err = run(["annotate", "--jsonl", str(src)])
    assert code == 1
    lines = [json.loads(x) for x in out.splitlines()]
    assert [x["id"] for x in lines] == ["ok1", None, "bad-date", "no-text", "ok2"]
    assert [x.get("line") for x in lines if "error" in x] == [2, 3, 4]
    assert lines[0]["edges"][0]["relation"] == "support" and lines[4]["edges"] == []
    assert f"{src}: line 2: broken JSON" in err
    assert "line 3: 'published'" in err and "line 4: 'text' is required" in err


def test_native_articles_validate_and_ingest(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "story.txt").write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    (raw / "story.txt.meta.yaml").write_text("publisher: Example Wire\nid: eu-poland-1\n")
    (raw / "undated.md").write_text("# Title\n\nChina condemned Japan.\n", encoding="utf-8")
    code, _, err = run(["annotate", str(raw), "--out", str(tmp_path / "out"),
                        "--published", "2024-03-07", "--publisher", "Fallback"])
    assert code == 0, err
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["eu-poland-1.json", "undated.json"]
    story = Article.model_validate_json((tmp_path / "out" / "eu-poland-1.json").read_text())
    assert story.publisher == "Example Wire" and story.published == dt.date(2024, 3, 7)
    assert story.title == "EU Slams Belarus Over Migrant Crisis, Pledges Support to Poland"
    assert story.text == FIXTURE.read_text(encoding="utf-8")
    assert all(r.annotator == "auto" and r.rule and r.cue for r in story.relations)
    assert all(story.text[m.start:m.end] == m.text for m in story.mentions)
    [record] = list(read_records(tmp_path / "out" / "undated.json"))
    assert record.article.publisher == "Fallback" and record.article.title == "Title"
    report = ingest([tmp_path / "out"], tmp_path / "atlas.duckdb")
    assert report.ok and report.added == 2 and report.edges_written >= 5


def test_missing_date_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "a.txt").write_text("Russia condemned Japan.\n")
    code, _, err = run(["annotate", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"),
                        "--publisher", "P"])
    assert code == 1
    assert f"{tmp_path / 'a.txt'}" in err and "no published date" in err


def test_a_date_in_the_text_beats_the_command_line(tmp_path):
    (tmp_path / "a.txt").write_text("Title\nPublished: 3 May 2023\n\nChina backed Russia.\n")
    [record] = list(cli.annotated_records([tmp_path / "a.txt"], published=dt.date(2024, 1, 1),
                                          publisher="P"))
    assert record.article.published == dt.date(2023, 5, 3)


def test_annotated_records_feed_ingest_records(tmp_path):
    (tmp_path / "a.html").write_text(
        "<html><head><title>T</title></head><body><p>Iran condemned Israel.</p></body></html>")
    records = list(cli.annotated_records([tmp_path / "a.html", tmp_path / "missing.txt"],
                                         published=dt.date(2024, 1, 1), publisher="P"))
    assert [r.article is not None for r in records] == [False, True]
    assert "no such file" in str(records[0].errors[0])
    db = tmp_path / "atlas.duckdb"
    report = ingest_records(records, db)
    assert report.added == 1 and report.rejected_records == 1
    con = connect_read_only(db)
    try:
        row = con.execute("SELECT source, target, relation, annotator, rule FROM edges").fetchone()
    finally:
        con.close()
    assert row[:4] == ("IRN", "ISR", "condemnation", "auto") and row[4].startswith("condemn")


def test_module_entry_point(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 7, "text": "Chad thanked Niger.", "published": "2024-01-02"}\n')
    proc = subprocess.run([sys.executable, "-m", "dashboard.annotator.cli", "annotate",
                           "--jsonl", str(src)], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["edges"][0]["source"] == "TCD"
