"""The hostile-input corpus (tests/fixtures/hostile/, one file per case, written by its
make.py): every format reads its case to the end, refuses exactly the bad record with a message
naming the file, the record and the limit, keeps every good record, and the CLI ingest of the
whole corpus prints no traceback and no raw control character."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import formats
from dashboard.errors import InputError
from dashboard.loaders import Prepared, Record, TreatySet
from dashboard.reading import MAX_CELL
from dashboard.store import ingest_records

from ..robustness.fuzzing import check_error

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"

# file: (format recognised, good items kept, words every rejection of it holds)
CASES = {
    "bom-utf8.json": ("native", 1, None),
    "bom-utf16.jsonl": ("native", 2, None),
    "bom-utf16.yaml": ("native", 1, None),
    "bom-utf8-edges.csv": ("csv", 1, None),
    "bom-utf8-cow.csv": ("cow", 1, None),
    "bom-utf8-doccano.jsonl": ("doccano", 1, None),
    "bom-utf16-labelstudio.json": ("labelstudio", 2, None),
    "alias-bomb.yaml": ("native", 0, "1,000,000 values"),
    "bad-byte-edges.csv": ("csv", 2, "line 3"),
    "nul-cell-edges.csv": ("csv", 3, None),
    "labelstudio-non-object-task.json": ("labelstudio", 2, "task 1"),
    "doccano-broken-first-line.jsonl": ("doccano", 1, "line 1"),
    "huge-integer.jsonl": ("native", 1, "4,300 digits"),
    "deep-nesting.jsonl": ("native", 1, "64 levels"),
    "numbers-out-of-range.export.tsv": ("gdelt", 7, "out of range"),
    "unparsable-url.json": ("native", 1, "'url'"),
    "terminal-escapes.jsonl": ("native", 1, "\\x1b[2J"),
    "brat-list-note.ann": ("brat", 0, "JSON list"),
    "implausible-dates.jsonl": ("native", 3, None),
}


def _read(path: Path):
    good, errors = [], []
    for item in formats.items([path]):
        if isinstance(item, Record):
            if item.article is not None:
                good.append(item.article)
            errors += item.errors
        elif isinstance(item, (Prepared, TreatySet)):
            good.append(item)
        elif isinstance(item, InputError):
            errors.append(item)
    return good, errors


def test_every_case_has_its_file():
    assert sorted(CASES) == sorted(p.name for p in HOSTILE.iterdir()
                                   if p.suffix not in (".py", ".txt", ".yaml")
                                   or p.name.endswith(("16.yaml", "bomb.yaml")))


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name):
    fmt, kept, words = CASES[name]
    path = HOSTILE / name
    assert formats.detect(path) == fmt
    started = time.monotonic()
    good, errors = _read(path)
    assert time.monotonic() - started < 5, "a hostile file must be refused fast"
    assert len(good) == kept, [str(e) for e in errors]
    for error in errors:
        check_error(error, str(path), name)
    if words is None:
        assert errors == []
    else:
        assert errors and all(words in str(e) for e in errors), [str(e) for e in errors]


def test_implausible_dates_are_kept_with_a_warning(tmp_path):
    report = ingest_records(formats.items([HOSTILE / "implausible-dates.jsonl"]),
                            tmp_path / "atlas.duckdb")
    assert report.added == 3 and not report.rejected
    warned = sorted((w.record, w.field) for w in report.warnings)
    assert [r.split()[-1] for r, _ in warned] == ["'hostile-14')", "'hostile-15')"]
    assert all(field == "published" for _, field in warned)
    assert "warning: " in report.summary() and "3000-01-01 is outside" in report.summary()


def test_gdelt_event_with_an_unparsable_url_is_kept_without_a_link():
    good, _ = _read(HOSTILE / "numbers-out-of-range.export.tsv")
    event = next(p for p in good if p.article[0] == "gdelt-881990998")
    assert event.article[4] is None


def test_oversize_cell_loses_only_its_row(tmp_path):
    path = tmp_path / "big-cell-edges.csv"
    row = "United States,China,sanction,2024-05-14,{},Wire\n"
    path.write_text("source,target,relation,date,evidence,publisher\n" + row.format("Short.")
                    + row.format("x" * (MAX_CELL + 1)) + row.format("Also short."),
                    encoding="utf-8")
    good, errors = _read(path)
    assert len(good) == 2
    assert len(errors) == 1 and "line 3" in str(errors[0]) and "131,072" in str(errors[0])
    assert errors[0].field == "evidence"


def test_cli_ingest_of_the_whole_corpus(tmp_path):
    """One command over every case: the good records land, no traceback, no raw escape."""
    db = tmp_path / "atlas.duckdb"
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "ingest", "--quiet", "--db",
                           str(db), str(HOSTILE)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "\x1b" not in done.stderr + done.stdout
    expected = sum(kept for fmt, kept, _ in CASES.values() if fmt not in ("gdelt", "cow"))
    added = int(done.stdout.split(" added")[0].split()[-1])
    assert added >= expected, done.stdout


def test_store_ingest_keeps_good_records(tmp_path):
    report = ingest_records(formats.items([HOSTILE]), tmp_path / "atlas.duckdb")
    assert report.added >= 10 and report.rejected
