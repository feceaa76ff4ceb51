"""Property-based fuzzing of the native loaders (JSON, JSONL, YAML): valid articles mutated
(fields deleted, renamed, of the wrong type, offsets huge or negative, dates invalid, strings
with control characters and lone surrogates) and files damaged (truncated, garbage and invalid
UTF-8 bytes). Every failure must be an `InputError` naming the file, the record and the field;
never another exception; a file mixing good and bad records keeps every good one."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from dashboard.edges import ArticleRejected, derive
from dashboard.loaders import read_records, validate
from dashboard.registry import Registry
from dashboard.store import connect_read_only, ingest

from .fuzzing import FUZZ, ROOT, check_error, check_items, damage, dumps, encode, mutated, rng

pytestmark = pytest.mark.e2e  # long runs: left out of the quick loop (-m "not e2e")

SEEDS = [json.loads(p.read_text(encoding="utf-8"))
         for p in sorted((ROOT / "tests" / "fixtures" / "app").glob("*.json"))]
GOOD = SEEDS[0]
REGISTRY = Registry.load()


@pytest.fixture(scope="module")
def folder(scratch) -> Path:
    return scratch


def _check(path: Path, keep_good: bool) -> None:
    records = list(read_records(path))
    articles = check_items(records, str(path))
    for record in records:
        if record.article is None:
            continue
        try:
            derive(record.article, REGISTRY, file=str(path), record=record.label)
        except ArticleRejected as exc:
            for err in exc.errors:
                check_error(err, str(path), f"derive {record.label}")
                assert err.record, err
    if keep_good:
        assert any(a.id == GOOD["id"] and a.title == GOOD["title"] for a in articles), \
            "the good record of the file was lost"


def _maybe_damage(data, raw: bytes) -> tuple[bytes, bool]:
    """The file's bytes, damaged one time in three, and whether the file as a whole is broken
    (damaged, or not UTF-8 because a lone surrogate was written raw): a reader may then
    refuse all of it, with a reason."""
    rnd = data.draw(rng())
    if rnd.random() < 1 / 3:
        return damage(raw, rnd), True
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw, True
    return raw, False


@FUZZ
@given(doc=mutated(SEEDS), as_list=st.booleans(), data=st.data())
def test_fuzz_json(folder, doc, as_list, data):
    text = dumps([GOOD, doc] if as_list else doc)
    assume(text is not None)
    raw, broken = _maybe_damage(data, encode(text))
    path = folder / "fuzz.json"
    path.write_bytes(raw)
    _check(path, keep_good=as_list and not broken)


@FUZZ
@given(docs=st.lists(mutated(SEEDS), min_size=1, max_size=3), data=st.data())
def test_fuzz_jsonl(folder, docs, data):
    lines = [dumps(d) for d in docs]
    assume(all(line is not None for line in lines))
    text = "\n".join([json.dumps(GOOD), *lines]) + "\n"
    raw, broken = _maybe_damage(data, encode(text))
    path = folder / "fuzz.jsonl"
    path.write_bytes(raw)
    _check(path, keep_good=not broken)


@FUZZ
@given(doc=mutated(SEEDS), data=st.data())
def test_fuzz_yaml(folder, doc, data):
    try:
        text = yaml.safe_dump([GOOD, doc], allow_unicode=True)
    except (yaml.YAMLError, UnicodeError, TypeError, ValueError):
        assume(False)
    raw, broken = _maybe_damage(data, encode(text))
    path = folder / "fuzz.yaml"
    path.write_bytes(raw)
    _check(path, keep_good=not broken)


@FUZZ
@given(item=mutated(SEEDS, max_mutations=2))
def test_fuzz_validate_in_memory(item):
    # The record validator on Python objects straight from a reader (no JSON round trip).
    record = validate(item, "mem.json", "1")
    check_items([record], "mem.json")


# -- files of the pathological kinds, one each ---------------------------------------------

DEEP = 100_000


@pytest.mark.parametrize("name, body", [
    ("deep.json", "[" * DEEP + "]" * DEEP),
    ("deep.jsonl", json.dumps(GOOD) + "\n" + "[" * DEEP + "]" * DEEP + "\n"),
    ("deep.yaml", "[" * DEEP + "]" * DEEP),
    ("deep-object.json", '{"a":' * DEEP + "1" + "}" * DEEP),
])
def test_deeply_nested_input_is_an_input_error(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    records = list(read_records(path))  # no RecursionError
    check_items(records, str(path))
    if name.endswith(".jsonl"):
        assert records[0].article is not None


def test_invalid_yaml_timestamp_is_an_input_error(tmp_path):
    # YAML reads an unquoted 2024-13-45 as a timestamp and its constructor raises ValueError.
    path = tmp_path / "bad-date.yaml"
    good = yaml.safe_dump([GOOD])
    path.write_text(good + "- id: b\n  title: t\n  published: 2024-13-45\n  publisher: p\n"
                    "  text: x\n", encoding="utf-8")
    records = list(read_records(path))  # no ValueError
    check_items(records, str(path))


def test_jsonl_line_that_is_not_utf8_loses_only_that_line(tmp_path):
    # JSONL is read line by line: one line of Latin-1 (or a lone surrogate written raw) must
    # not throw away the good lines around it.
    path = tmp_path / "latin1.jsonl"
    bad = json.dumps({**GOOD, "id": "bad", "title": "Bras\u00edlia"}, ensure_ascii=False)
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + bad.encode("latin-1") + b"\n"
                     + json.dumps({**GOOD, "id": "also-good"}).encode() + b"\n")
    records = list(read_records(path))
    check_items(records, str(path))
    assert {r.article.id for r in records if r.article} == {GOOD["id"], "also-good"}
    assert any("line 2" in str(e) for r in records for e in r.errors)


def test_jsonl_string_holding_a_line_separator_is_one_line(tmp_path):
    # JSON strings may hold U+2028 (and U+0085, U+000C...) unescaped, and pydantic's
    # model_dump_json writes them so; only "\n" ends a JSONL line (str.splitlines() cuts
    # at all of them and breaks the record in two).
    path = tmp_path / "sep.jsonl"
    lines = [json.dumps({**GOOD, "id": f"s{i}", "title": f"a{sep}b"}, ensure_ascii=False)
             for i, sep in enumerate(["\u2028", "\u2029", "\x85", "\x0c", "\x1e"])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = list(read_records(path))
    check_items(records, str(path))
    assert [r.article.id for r in records if r.article] == [f"s{i}" for i in range(5)]


def test_mixed_file_keeps_every_good_record(tmp_path):
    """Good records interleaved with every bad fixture and some garbage lines: an ingest keeps
    exactly the good ones and names every bad one."""
    bad = []
    for p in sorted((ROOT / "tests" / "fixtures" / "bad").glob("*.json")):
        try:
            bad.append(json.dumps(json.loads(p.read_text(encoding="utf-8"))))
        except json.JSONDecodeError:
            bad.append(p.read_text(encoding="utf-8").replace("\n", " "))
    bad += ["{", "[]", "null", "\"text\"", json.dumps({**GOOD, "id": "x", "published": 7}),
            json.dumps({**GOOD, "id": "y", "text": "\ud800"}, ensure_ascii=True)]
    lines = []
    for i, b in enumerate(bad):
        lines.append(json.dumps(SEEDS[i % len(SEEDS)] | {"id": f"good-{i}"}))
        lines.append(b)
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "atlas.duckdb"
    report = ingest([path], db)
    assert report.added == len(bad)
    assert report.rejected_records == len(bad)
    for err in report.rejected:
        check_error(err, str(path), "mixed")
        assert "record line " in str(err)
    con = connect_read_only(db)
    try:
        ids = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
    finally:
        con.close()
    assert ids == {f"good-{i}" for i in range(len(bad))}


@FUZZ.__class__(FUZZ, max_examples=min(FUZZ.max_examples, 25))
@given(docs=st.lists(mutated(SEEDS, max_mutations=2), min_size=1, max_size=4))
def test_fuzz_ingest_keeps_good_records(scratch, docs):
    """Through the whole ingest: the good records of a fuzzed file all reach the store."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    good = [SEEDS[i % len(SEEDS)] | {"id": f"keep-{i}"} for i in range(2)]
    try:  # \u-escaped: a lone surrogate is a bad record, not a file that is not UTF-8
        lines = [json.dumps(d) for d in docs]
    except (TypeError, ValueError):
        assume(False)
    path = folder / "batch.jsonl"
    path.write_text("\n".join([json.dumps(good[0]), *lines, json.dumps(good[1])]),
                    encoding="utf-8")
    report = ingest([path], folder / "atlas.duckdb")
    for err in report.rejected:
        check_error(err, str(path), "ingest")
    con = connect_read_only(folder / "atlas.duckdb")
    try:
        ids = {r[0] for r in con.execute("SELECT id FROM articles").fetchall()}
    finally:
        con.close()
    assert {"keep-0", "keep-1"} <= ids
