"""Format recognition (`dashboard.formats.detect`, `items`) and the store's fast path."""

import shutil

import pytest

from dashboard import formats
from dashboard.errors import InputError
from dashboard.formats.meta import Defaults
from dashboard.loaders import Record
from dashboard.store import connect_read_only, ingest, ingest_records
from tests.formats.paths import DEMO, FIXTURES


@pytest.mark.parametrize("path, expected", [
    ("brat/tariffs.ann", "brat"), ("brat/tariffs.txt", "brat"),
    ("labelstudio/export.json", "labelstudio"), ("doccano/export.jsonl", "doccano"),
    ("csv/edges.csv", "csv"), ("gdelt/gdelt2-sample.export.tsv", "gdelt"),
    ("gdelt/20191024.export.CSV", "gdelt"), ("atop/atop4.01-sample.csv", "atop"),
    ("atop/cow-by-member.csv", "cow"), ("atop/cow-by-dyad.csv", "cow"),
    ("csv/bad/bad_header.csv", None)])
def test_detect_by_name_and_content(path, expected):
    assert formats.detect(FIXTURES / path) == expected


def test_native_files_stay_native():
    assert {formats.detect(p) for p in DEMO.glob("*.json")} == {"native"}
    assert formats.all_native([DEMO]) and not formats.all_native([FIXTURES / "csv"])


def test_a_folder_of_mixed_formats_reads_each_file_once(tmp_path):
    for sub in ("brat", "doccano", "gdelt", "atop"):
        shutil.copytree(FIXTURES / sub, tmp_path / sub, ignore=shutil.ignore_patterns("bad*"))
    files, errors = formats.discover([tmp_path])
    assert errors == []
    assert [p.name for p in files if "tariffs" in p.name] == ["tariffs.ann"]
    assert not any(p.name.endswith((".meta.yaml", ".md")) for p in files)
    labels = [getattr(i, "label", None) for i in formats.items([tmp_path])
              if isinstance(i, Record)]
    assert "tariffs (id 'tariffs')" in labels


def test_unknown_files_and_missing_paths_are_errors(tmp_path):
    (tmp_path / "notes.txt").write_text("just text")
    found = list(formats.items([tmp_path / "notes.txt", tmp_path / "nowhere"]))
    assert all(isinstance(i, InputError) for i in found)
    assert {i.reason.split(":")[0] for i in found} == {
        "no such file or folder", "cannot tell the format of this '.txt' file"}


def test_format_option_overrides_recognition():
    items = list(formats.items([FIXTURES / "doccano" / "export.jsonl"], "doccano",
                               Defaults(publisher="Desk")))
    assert all(isinstance(i, Record) and i.origin == "doccano" for i in items)


def test_one_ingest_of_every_format_keeps_each_origin(tmp_path):
    db = tmp_path / "s.duckdb"
    paths = [FIXTURES / p for p in ("brat/tariffs.ann", "labelstudio/export.json",
                                    "csv/edges.csv", "gdelt/gdelt2-sample.export.tsv",
                                    "atop/atop4.01-sample.csv")]
    report = ingest_records(formats.items(paths), db)
    assert report.ok, report.rejected
    con = connect_read_only(db)
    origins = dict(con.execute("SELECT origin, count(*) FROM articles GROUP BY 1").fetchall())
    assert origins == {"brat": 1, "labelstudio": 2, "csv": 3, "gdelt": 6}
    assert con.execute("SELECT count(*) FROM treaties").fetchone() == (23,)


def test_a_schema_1_store_is_upgraded_by_the_next_ingest(tmp_path):
    import duckdb

    db = tmp_path / "s.duckdb"
    assert ingest([FIXTURES.parents[1] / "fixtures" / "good"], db).ok
    con = duckdb.connect(str(db))  # make it look like a store written before schema 2
    con.execute("ALTER TABLE articles DROP COLUMN origin")
    con.execute("DROP TABLE treaties")
    con.execute("DROP TABLE gdelt_events")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(Exception, match="earlier version"):
        connect_read_only(db)
    report = ingest([FIXTURES.parents[1] / "fixtures" / "good"], db)
    assert report.unchanged == 3 and report.added == 0
    con = connect_read_only(db)
    assert con.execute("SELECT DISTINCT origin FROM articles").fetchall() == [("native",)]
    assert con.execute("SELECT count(*) FROM treaties").fetchone() == (0,)
