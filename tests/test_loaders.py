from pathlib import Path

import pytest

from dashboard.loaders import discover, read_records

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"

# One fixture file per bad-input case: (file, field named in the error, words of the reason).
# Cases caught while validating a record; those needing the registry are in test_edges.py.
BAD_RECORDS = [
    ("broken_json.json", None, "broken JSON at line 3"),
    ("unknown_relation.json", "relations[0].relation", "'hug' is not one of"),
    ("span_outside_text.json", "relations[0].evidence", "outside the text"),
    ("end_before_start.json", "mentions[0]", "must be after start"),
    ("missing_date.json", "published", "required but missing"),
    ("misspelt_field.json", "relations[0].confidance", "not a field"),
    ("javascript_url.json", "url", "http"),
    ("mention_text_mismatch.json", "mentions[0]", "not 'Seoul'"),
]


@pytest.mark.parametrize("name, field, reason", BAD_RECORDS)
def test_bad_record_error_names_file_record_and_field(name, field, reason):
    (record,) = list(read_records(BAD / name))
    assert record.article is None
    messages = [str(e) for e in record.errors]
    assert any(reason in m for m in messages), messages
    for error in record.errors:
        assert error.file == str(BAD / name)
    if field:
        assert field in [e.field for e in record.errors]
        assert all("record 1" in m for m in messages)


def test_jsonl_keeps_good_lines_around_a_broken_one():
    records = list(read_records(BAD / "mixed_lines.jsonl"))
    assert [r.article.id for r in records if r.article] == ["mixed-good"]
    (broken,) = [r for r in records if not r.article]
    assert broken.label == "line 2" and "line 2" in str(broken.errors[0])


def test_all_three_formats_read():
    files, errors = discover([FIXTURES / "good"])
    assert errors == []
    ids = {r.article.id for f in files for r in read_records(f)}
    assert ids == {"fixture-us-rok", "fixture-second-outlet", "fixture-yaml"}


def test_discover_reports_missing_and_unsupported(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("hello")
    files, errors = discover([tmp_path / "nope", tmp_path / "notes.txt", tmp_path])
    assert files == []
    text = " | ".join(map(str, errors))
    assert "no such file" in text and "unsupported file type '.txt'" in text
    assert "holds no .json" in text


def test_non_utf8_file_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"title": "Bras\xedlia"}'.encode("latin-1"))
    (record,) = list(read_records(path))
    assert "not UTF-8" in str(record.errors[0]) and str(path) in str(record.errors[0])


def test_non_object_record(tmp_path: Path):
    path = tmp_path / "list.json"
    path.write_text('[1, "two"]')
    records = list(read_records(path))
    assert [r.label for r in records] == ["1", "2"]
    assert "expected an article object" in str(records[0].errors[0])


def test_unpaired_surrogate_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"id": "s1", "title": "T", "published": "2024-01-01", "publisher": "P", '
                    '"text": "ab\\ud800c"}\n')
    (record,) = list(read_records(path))
    (error,) = record.errors
    assert error.field == "text" and "not valid Unicode" in error.reason
