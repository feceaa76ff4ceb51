import json
import shutil
from pathlib import Path

import pytest

from dashboard.errors import StoreError
from dashboard.loaders import read_records
from dashboard.store import connect_read_only, ingest, ingest_records, table_counts

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    shutil.copytree(GOOD, folder)
    return folder


def edges_of(db: Path, article_id: str) -> list[tuple]:
    con = connect_read_only(db)
    try:
        return con.execute("SELECT source, target, relation FROM edges WHERE article_id = ? "
                           "ORDER BY ALL", [article_id]).fetchall()
    finally:
        con.close()


def test_ingest_then_reingest_is_a_no_op(corpus: Path, tmp_path: Path):
    db = tmp_path / "atlas.duckdb"
    first = ingest([corpus], db)
    assert (first.added, first.updated, first.unchanged, first.ok) == (3, 0, 0, True)
    before = db.stat()
    second = ingest([corpus], db)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
    after = db.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_changed_article_replaces_its_rows(corpus: Path, tmp_path: Path):
    db = tmp_path / "atlas.duckdb"
    ingest([corpus], db)
    path = corpus / "us-rok.json"
    data = json.loads(path.read_text())
    data["relations"] = [r for r in data["relations"] if r["relation"] == "alliance"]
    path.write_text(json.dumps(data))
    report = ingest([corpus], db)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 2)
    assert edges_of(db, "fixture-us-rok") == [("KOR", "USA", "alliance")]
    con = connect_read_only(db)
    count = con.execute("SELECT count(*) FROM articles WHERE id = 'fixture-us-rok'").fetchone()
    assert count == (1,)


def test_rejected_update_keeps_what_the_store_had(corpus: Path, tmp_path: Path):
    db = tmp_path / "atlas.duckdb"
    ingest([corpus], db)
    before = edges_of(db, "fixture-us-rok")
    path = corpus / "us-rok.json"
    data = json.loads(path.read_text())
    data["relations"][0]["target"] = "Atlantis"
    path.write_text(json.dumps(data))
    report = ingest([corpus], db)
    assert not report.ok and report.rejected_records == 1
    assert "Atlantis" in str(report.rejected[0])
    assert edges_of(db, "fixture-us-rok") == before


def test_valid_records_of_a_bad_batch_are_kept(tmp_path: Path):
    db = tmp_path / "atlas.duckdb"
    report = ingest([FIXTURES / "bad"], db)
    assert report.added == 2  # the first of two duplicates, and the good line of a mixed file
    assert report.rejected_records == len(list((FIXTURES / "bad").iterdir())) - 1 + 1
    con = connect_read_only(db)
    ids = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
    assert ids == {"bad-duplicate", "mixed-good"}


def test_a_failure_mid_ingest_leaves_the_store_untouched(corpus: Path, tmp_path: Path):
    db = tmp_path / "atlas.duckdb"
    ingest([corpus / "us-rok.json"], db)
    before = db.read_bytes()

    def records():
        yield from read_records(corpus / "more.jsonl")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        ingest_records(records(), db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []


def test_readers_keep_working_while_an_ingest_replaces_the_store(corpus: Path, tmp_path: Path):
    db = tmp_path / "atlas.duckdb"
    ingest([corpus / "us-rok.json"], db)
    reader = connect_read_only(db)
    assert reader.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    report = ingest([corpus], db)  # would fail with a lock error if it wrote in place
    assert report.added == 2
    assert reader.execute("SELECT count(*) FROM articles").fetchone() == (1,)  # old snapshot
    # DuckDB shares one database instance per path within a process: a reader must close
    # its connection to see the new file (the app does so when the file's identity changes).
    reader.close()
    assert table_counts(connect_read_only(db))["articles"] == 3


def test_weight_counts_distinct_articles_and_publishers(corpus: Path, tmp_path: Path):
    db = tmp_path / "atlas.duckdb"
    ingest([corpus], db)
    con = connect_read_only(db)
    row = con.execute("SELECT count(DISTINCT article_id), count(DISTINCT publisher), "
                      "sum(statements) FROM edges WHERE source = 'USA' AND target = 'PRK' "
                      "AND relation = 'condemnation'").fetchone()
    assert row == (2, 2, 3)


@pytest.mark.parametrize("content, needle", [
    (None, "no store at"),
    (b"this is not a database", "cannot open"),
])
def test_missing_or_foreign_store_is_a_clear_error(tmp_path: Path, content, needle):
    db = tmp_path / "atlas.duckdb"
    if content is not None:
        db.write_bytes(content)
    with pytest.raises(StoreError, match=needle):
        connect_read_only(db)


def test_a_reingest_leaves_the_records_the_store_holds_byte_for_byte_unread(corpus: Path,
                                                                         tmp_path: Path):
    from dashboard.loaders import Known, raw_hash

    db = tmp_path / "atlas.duckdb"
    assert ingest([corpus], db).ok
    con = connect_read_only(db)
    try:
        held = dict(con.execute("SELECT raw_hash, id FROM articles").fetchall())
    finally:
        con.close()
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    # A JSONL record's bytes are its line; a JSON or YAML file of one article is the file.
    expected = {raw_hash(line) for p in files if p.suffix == ".jsonl"
                for line in p.read_bytes().split(b"\n") if line.strip()}
    expected |= {raw_hash(p.read_bytes()) for p in files if p.suffix != ".jsonl"}
    assert expected == set(held)
    again = [r for p in files for r in read_records(p, held)]
    assert all(isinstance(r, Known) for r in again) and len(again) == 3
    # The same article with its JSON laid out anew is read and validated again, and unchanged.
    path = corpus / "us-rok.json"
    path.write_text(json.dumps(json.loads(path.read_text()), indent=4))
    (reread,) = read_records(path, held)
    assert not isinstance(reread, Known) and reread.article is not None
    second = ingest([corpus], db)
    assert (second.added, second.updated, second.unchanged, second.ok) == (0, 0, 3, True)


def test_a_known_record_still_clashes_with_another_of_its_id(corpus: Path, tmp_path: Path):
    db = tmp_path / "atlas.duckdb"
    assert ingest([corpus], db).ok
    other = json.loads((corpus / "us-rok.json").read_text())
    other["title"] += " (another text of the same id)"
    (corpus / "zz-clash.json").write_text(json.dumps(other))
    report = ingest([corpus], db)
    assert report.rejected_records == 1 and "duplicate id" in str(report.rejected[0])
    assert report.unchanged == 3


def test_the_rollups_follow_every_ingest(tmp_path: Path):
    # The four fixture articles state "USA condemns PRK" twice (fx-001, fx-002); a fifth
    # article states it once more, and a changed fx-001 no longer does.
    from dashboard import queries
    from dashboard.queries import Filters

    folder = tmp_path / "in"
    shutil.copytree(FIXTURES / "app", folder)
    db = tmp_path / "atlas.duckdb"

    def weight() -> int:
        con = queries.connect(db)
        try:
            rows = queries.run(con, queries.edge_summary(Filters(relations=("condemnation",))))
        finally:
            con.close()
        match = rows[(rows.source == "USA") & (rows.target == "PRK")]
        return int(match.weight.sum())

    assert ingest([folder], db).ok and weight() == 2
    fifth = json.loads((folder / "fx-001.json").read_text())
    fifth["id"] = "fx-005"
    (folder / "fx-005.json").write_text(json.dumps(fifth))
    assert ingest([folder], db).added == 1 and weight() == 3
    first = json.loads((folder / "fx-001.json").read_text())
    first["relations"] = [r for r in first["relations"] if r["relation"] != "condemnation"]
    (folder / "fx-001.json").write_text(json.dumps(first))
    assert ingest([folder], db).updated == 1 and weight() == 2
