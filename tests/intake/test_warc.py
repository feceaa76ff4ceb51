"""`ingest` of web archives (.warc, .warc.gz) through the same extraction as `fetch`."""

import gzip

import pytest

from dashboard.cli import main
from dashboard.intake import warc
from dashboard.loaders import Record, Skipped
from dashboard.store import connect_read_only
from tests.intake.warcs import fixture, write

HTML = "text/html; charset=utf-8"


def archive(path):
    return write(path, [
        ("https://wire.example/world/finland-joins-nato", fixture("wire.html"), HTML),
        ("https://ledger.example/2024/03/sweden-nato", fixture("jsonld.html"), HTML),
        ("https://notes.example/asia/pact", fixture("hidden.html"), HTML),
        ("https://mirror.example/pact", fixture("hidden.html"), HTML),  # the same text again
        ("https://explainer.example/admission", fixture("nodate.html"), HTML),
        ("https://wire.example/logo.png", b"\x89PNG", "image/png"),
    ])


@pytest.mark.parametrize("name", ["news.warc", "news.warc.gz"])
def test_ingest_reads_a_web_archive(tmp_path, capsys, name):
    path = archive(tmp_path / name)
    db = tmp_path / "atlas.duckdb"
    assert main(["ingest", str(path), "--db", str(db), "--quiet"]) == 1  # one page failed
    out, err = capsys.readouterr()
    assert "3 added" in out and "1 rejected" in out
    assert f"{path}: record https://explainer.example/admission: no date found" in err
    con = connect_read_only(db)
    try:
        urls = {r[0] for r in con.execute("SELECT url FROM articles").fetchall()}
        edges = con.execute("SELECT count(*) FROM edges WHERE source = 'JPN'").fetchone()[0]
    finally:
        con.close()
    assert urls == {"https://wire.example/world/finland-joins-nato",
                    "http://ledger.example/2024/03/sweden-nato",
                    "https://notes.example/asia/pact"}
    assert edges >= 1
    # Ingesting it again changes nothing.
    assert main(["ingest", str(path), "--db", str(db), "--quiet"]) == 1
    assert "0 added, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_the_same_page_read_from_a_warc_and_fetched_is_one_article(tmp_path, site,
                                                                   fast_policy):
    from dashboard.intake import run

    url = site.base + "/asia/pact"
    path = write(tmp_path / "one.warc", [(url, fixture("hidden.html"), HTML)])
    [from_archive] = [i for i in warc.items([path]) if isinstance(i, Record)]
    db = tmp_path / "a.duckdb"
    run.fetch([url], db=db, options=run.Options(policy=fast_policy))
    con = connect_read_only(db)
    try:
        stored = con.execute("SELECT id, text FROM articles").fetchall()
    finally:
        con.close()
    assert stored == [(from_archive.article.id, from_archive.article.text)]


def test_items_skip_what_is_not_a_page_and_report_the_rest(tmp_path):
    found = list(warc.items([archive(tmp_path / "a.warc.gz")]))
    records = [i for i in found if isinstance(i, Record)]
    skipped = [i.reason for i in found if isinstance(i, Skipped)]
    assert len(records) == 3
    assert skipped.count("WARC request records") == 6
    assert "WARC pages whose text another page already gave" in skipped
    assert any("not HTML" in s for s in skipped)


def test_worker_processes_give_the_same_result(tmp_path):
    path = archive(tmp_path / "a.warc")
    one = [i.article.id for i in warc.items([path], workers=1) if isinstance(i, Record)]
    two = [i.article.id for i in warc.items([path], workers=2) if isinstance(i, Record)]
    assert one == two and len(one) == 3


def test_a_damaged_archive_is_an_error_naming_the_file(tmp_path, capsys):
    good = archive(tmp_path / "a.warc.gz")
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    bogus = tmp_path / "bogus.warc"
    bogus.write_bytes(gzip.compress(b"this is not an archive"))
    db = tmp_path / "atlas.duckdb"
    assert main(["ingest", str(cut), str(bogus), "--db", str(db), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"{bogus}: not a readable WARC file" in err
    assert str(cut) in err
