"""`alliance-atlas ingest --format` and `alliance-atlas convert`."""

import json

from dashboard.cli import main
from dashboard.models import Article
from dashboard.store import connect_read_only
from tests.formats.paths import DEMO, FIXTURES


def test_ingest_recognises_formats_and_reports_skips(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    code = main(["ingest", "--db", str(db), "--quiet",
                 str(FIXTURES / "gdelt" / "broken-lines.export.tsv"),
                 str(FIXTURES / "atop" / "atop4.01-sample.csv")])
    out, err = capsys.readouterr()
    assert code == 1  # three broken lines
    assert "4 added" in out and "1 repeated GLOBALEVENTIDs" in out
    assert "treaties: 23 member pairs written" in out
    assert "record line 4 (GLOBALEVENTID" in err and "field 'SQLDATE'" in err


def test_ingest_takes_metadata_from_options(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    src = FIXTURES / "doccano" / "export.jsonl"
    assert main(["ingest", "--db", str(db), "--quiet", str(src)]) == 1
    assert "no published date" in capsys.readouterr().err
    assert main(["ingest", "--db", str(db), "--quiet", "--format", "doccano",
                 "--published", "2024-06-02", "--publisher", "Desk", str(src)]) == 0
    con = connect_read_only(db)
    assert con.execute("SELECT publisher FROM articles WHERE id = 'quiet'").fetchone() == \
        ("Desk",)


def test_convert_to_label_studio_and_back_to_native(tmp_path, capsys):
    ls = tmp_path / "ls"
    assert main(["convert", str(DEMO), "--to", "labelstudio", "--out", str(ls)]) == 0
    tasks = json.loads((ls / "tasks.json").read_text())
    assert len(tasks) == len(list(DEMO.glob("*.json")))
    assert (ls / "label_config.xml").is_file()
    back = tmp_path / "native"
    assert main(["convert", str(ls / "tasks.json"), "--to", "native", "--out", str(back)]) == 0
    for path in DEMO.glob("*.json"):
        assert Article.model_validate_json((back / path.name).read_text()) == \
            Article.model_validate_json(path.read_text())
    capsys.readouterr()


def test_convert_to_brat_writes_the_configuration(tmp_path, capsys):
    out = tmp_path / "brat"
    assert main(["convert", str(DEMO), "--to", "brat", "--out", str(out)]) == 0
    assert (out / "annotation.conf").is_file()
    assert len(list(out.glob("*.ann"))) == len(list(DEMO.glob("*.json")))
    assert "articles written" in capsys.readouterr().out
