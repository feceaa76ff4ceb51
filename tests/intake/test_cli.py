"""The `fetch` command end to end against the local site, and HTML in raw files given to
`annotate` read the same way as a fetched page."""

import json

import pytest

from dashboard.annotator import sources
from dashboard.cli import main
from dashboard.errors import InputError
from dashboard.store import connect_read_only, ingest_records


def test_fetch_help(capsys):
    with pytest.raises(SystemExit) as info:
        main(["fetch", "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    for option in ("--urls", "--since", "--out", "--db", "--no-rate-limit"):
        assert option in out


def test_fetch_summary_and_failures(site, tmp_path, capsys):
    links = tmp_path / "links.txt"
    links.write_text(f"# today's links\n{site.base}/asia/pact\n\n{site.base}/missing  # gone\n")
    db = tmp_path / "atlas.duckdb"
    code = main(["fetch", site.base + "/world/finland-joins-nato", "--urls", str(links),
                 "--db", str(db), "--no-rate-limit", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "2 fetched, 2 added, 0 updated, 0 unchanged, 1 failed" in out
    assert f"failed: {site.base}/missing: HTTP 404 Not Found" in err
    con = connect_read_only(db)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    finally:
        con.close()
    assert main(["fetch", site.base + "/asia/pact", "--db", str(db), "--no-rate-limit",
                 "--quiet"]) == 0
    assert "1 fetched, 0 added, 0 updated, 1 unchanged, 0 failed" in capsys.readouterr().out


def test_fetch_out_writes_articles_that_ingest_reads(site, tmp_path, capsys):
    out = tmp_path / "articles"
    assert main(["fetch", site.base + "/feed.atom", "--out", str(out), "--no-rate-limit",
                 "--quiet", "--db", str(tmp_path / "unused.duckdb")]) == 1  # one has no date
    assert not (tmp_path / "unused.duckdb").exists()
    [path] = list(out.glob("*.json"))
    assert json.loads(path.read_text())["url"] == site.base + "/asia/pact"
    db = tmp_path / "atlas.duckdb"
    assert main(["ingest", str(out), "--db", str(db), "--quiet"]) == 0
    assert "1 added" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["fetch"], "give one or more URLs"),
    (["fetch", "--urls", "/nonexistent/links.txt"], "cannot read"),
])
def test_fetch_usage_errors(argv, message, capsys, tmp_path):
    assert main([*argv, "--db", str(tmp_path / "a.duckdb")]) in (1, 2)
    assert message in capsys.readouterr().err


def test_a_saved_page_and_the_fetched_page_give_the_same_article(site, tmp_path,
                                                                 fast_policy):
    from dashboard.annotator.cli import annotated_records
    from dashboard.intake import run

    saved = tmp_path / "pact.html"
    saved.write_bytes(site.pages["/asia/pact"])
    [from_file] = list(annotated_records([saved]))
    fetched_db, saved_db = tmp_path / "fetched.duckdb", tmp_path / "saved.duckdb"
    run.fetch([site.base + "/asia/pact"], db=fetched_db,
              options=run.Options(policy=fast_policy))
    assert ingest_records([from_file], saved_db).added == 1
    stored = []
    for db in (fetched_db, saved_db):
        con = connect_read_only(db)
        try:
            stored.append((
                con.execute("SELECT text, title, published, publisher FROM articles")
                .fetchall(),
                sorted(con.execute("SELECT source, target, relation, date, evidence "
                                   "FROM edges").fetchall())))
        finally:
            con.close()
    assert stored[0] == stored[1] and stored[0][1]


def test_html_in_a_json_records_text_is_extracted_not_annotated_as_prose(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({
        "id": "r1", "published": "2024-05-03", "publisher": "P",
        "text": "<div><p>Fiji thanked Tonga for its help.</p>"
                "<script>NATO attacked China.</script>"
                "<p style='display:none'>Russia attacked Canada.</p></div>"}) + "\n"
        + json.dumps({"id": "r2", "published": "2024-05-03", "publisher": "P",
                      "text": "<script>only a script</script>"}) + "\n")
    first, second = list(sources.read(path))
    assert first.text == "Fiji thanked Tonga for its help."
    assert isinstance(second, InputError) and second.field == "text"
    assert "HTML without any readable text" in str(second)


def test_html_file_scripts_and_hidden_text_give_no_edge(tmp_path):
    from dashboard.annotator.cli import annotated_records

    page = tmp_path / "page.html"
    page.write_text("<html><head><script>NATO attacked China.</script></head><body>"
                    "<p>Fiji thanked Tonga for its help on Friday.</p>"
                    "<div hidden>Russia attacked Canada.</div></body></html>")
    [record] = list(annotated_records([page], publisher="P",
                                      published=__import__("datetime").date(2024, 5, 3)))
    pairs = {(r.source, r.target) for r in record.article.relations}
    assert pairs and ("NATO", "CHN") not in pairs and ("RUS", "CAN") not in pairs
    assert "attacked" not in record.article.text


def test_annotate_jsonl_reads_html_text_as_a_page(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "published": "2024-05-03",
                               "text": "<p>Fiji thanked Tonga.</p><script>NATO attacked "
                                       "China.</script>"}) + "\n"
                   + json.dumps({"id": 2, "published": "2024-05-03",
                                 "text": "Fiji thanked Tonga."}) + "\n")
    assert main(["annotate", "--jsonl", str(src)]) == 0
    first, second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert first["text"] == "Fiji thanked Tonga." and "text" not in second
    assert [(e["source"], e["target"]) for e in first["edges"]] == [("FJI", "TON")]
    m = first["mentions"][0]
    assert first["text"][m["start"]:m["end"]] == m["text"]
