"""Property-based fuzzing of the automatic annotator: the `annotate --jsonl` handler (mutated
records, damaged lines, invalid UTF-8, lone surrogates), raw files (text, Markdown, HTML, JSON)
read for `annotate`/`ingest --annotate`, uploads on the Annotate page, and `Annotator.annotate`
on arbitrary text (control characters, right-to-left marks, huge lines). Every failure is an
`InputError` (or an error line naming the input line), never a traceback or a hang."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.annotator import review, sources
from dashboard.annotator.cli import annotated_records, run
from dashboard.annotator.pipeline import Annotator
from dashboard.errors import InputError, visible

from .fuzzing import (
    FUZZ,
    check_error,
    check_items,
    damage,
    encode,
    mutate,
    mutated,
    random_text,
    rng,
)

pytestmark = pytest.mark.e2e  # long runs: left out of the quick loop (-m "not e2e")

TEXT = ("Published: 21 June 2024\nThe United States condemned North Korea on Wednesday. "
        "Seoul and Washington agreed to expand joint drills, said Antony Blinken.\n\n"
        "Russia signed a treaty with Pyongyang. Advertisement\n")
RECORDS = [{"id": "r1", "text": TEXT, "published": "2024-06-21", "title": "US condemns",
            "publisher": "Atlas Wire", "url": "https://example.org/r1"},
           {"id": 7, "text": "Kyiv thanked Berlin for the tanks.", "published": "2023-01-25"}]
HTML = ("<html><head><title>EU backs Poland</title><meta property='og:site_name' "
        "content='Meridian'><meta property='article:published_time' content='2024-03-01'>"
        "</head><body><nav>menu</nav><p>The EU backed Poland.</p><script>x()</script>"
        "<p>Russia condemned it.</p></body></html>")
MARKDOWN = "# NATO welcomes Finland\n\nPublished: 4 April 2023\n\n**NATO** welcomed *Finland*."


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator()


@pytest.fixture(autouse=True, scope="module")
def _shared_annotator(annotator, monkeypatch_module):
    # The handler builds its annotator once per process; share the test's.
    from dashboard.annotator import cli
    monkeypatch_module.setattr(cli, "_annotator", lambda: annotator)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _stdout() -> io.TextIOWrapper:
    # Like a real standard output: UTF-8 and strict, so a lone surrogate cannot be written.
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n")


def _jsonl_lines(docs: list, rnd: random.Random) -> bytes:
    lines = []
    for doc in docs:
        kind = rnd.randrange(5)
        if kind == 0:
            lines.append(encode(json.dumps(doc, ensure_ascii=False)))
        elif kind == 1:
            lines.append(json.dumps(doc).encode())
        elif kind == 2:
            lines.append(damage(json.dumps(doc).encode(), rnd).replace(b"\n", b" "))
        elif kind == 3:
            lines.append(encode(random_text(rnd, 30)).replace(b"\n", b" "))
        else:
            lines.append(json.dumps(RECORDS[0]).encode())
    return b"\n".join(lines) + b"\n"


@FUZZ
@given(docs=st.lists(mutated(RECORDS), min_size=1, max_size=3), rnd=rng())
def test_fuzz_annotate_jsonl(scratch, docs, rnd):
    path = scratch / "in.jsonl"
    path.write_bytes(_jsonl_lines(docs, rnd))
    out, err = _stdout(), io.StringIO()
    args = argparse.Namespace(jsonl=str(path), inputs=[], out=None, published=None,
                              publisher=None, title=None)
    code = run(args, stdout=out, stderr=err)
    assert code in (0, 1)
    out.flush()
    written = out.buffer.getvalue().decode("utf-8").splitlines()
    expected = [n for n, line in enumerate(path.read_bytes().split(b"\n"), start=1)
                if line.strip()]
    if code == 0:
        assert len(written) == len(expected)
    for line in written:
        result = json.loads(line)
        assert "edges" in result or ("error" in result and "line" in result)
        if "error" in result:
            assert f"line {result['line']}:" in err.getvalue()


@FUZZ
@given(rnd=rng(), suffix=st.sampled_from([".txt", ".md", ".html", ".json", ".jsonl"]),
       meta=st.booleans())
def test_fuzz_raw_files(scratch, rnd, suffix, meta):
    base = {".txt": TEXT, ".md": MARKDOWN, ".html": HTML,
            ".json": json.dumps(RECORDS), ".jsonl": "\n".join(map(json.dumps, RECORDS))}[suffix]
    if suffix in (".json", ".jsonl") and rnd.random() < 0.6:
        docs = [mutate(RECORDS[rnd.randrange(2)], rnd) for _ in range(rnd.randint(1, 3))]
        base = json.dumps(docs) if suffix == ".json" else "\n".join(
            json.dumps(d) for d in docs)
    raw = encode(base)
    if rnd.random() < 0.5:
        raw = damage(raw, rnd)
    folder = Path(tempfile.mkdtemp(dir=scratch))
    path = folder / f"doc{suffix}"
    path.write_bytes(raw)
    if meta:
        side = rnd.choice(["published: 2024-13-45\n", "title: [1, 2]\n", "publisher: 7\n",
                           "- a\n", "url: javascript:alert(1)\n", ": :\n", "published: 7\n",
                           "title: 5\npublished: 2024-01-01\npublisher: p\n", "id: '!!'\n"])
        (folder / f"doc{suffix}.meta.yaml").write_text(side, encoding="utf-8")
    for item in sources.read(path, published=dt.date(2024, 1, 1), publisher="Wire"):
        if isinstance(item, InputError):
            check_error(item, str(path), "sources.read")
    check_items(annotated_records([path], published=dt.date(2024, 1, 1)), str(path))


@FUZZ
@given(rnd=rng(), suffix=st.sampled_from(list(review.UPLOAD_TYPES) + ["exe", "", "JSON"]))
def test_fuzz_uploads(rnd, suffix):
    base = {"txt": TEXT, "md": MARKDOWN, "markdown": MARKDOWN, "html": HTML, "htm": HTML,
            "json": json.dumps(RECORDS)}.get(suffix.lower(), TEXT)
    if suffix == "json" and rnd.random() < 0.6:
        base = json.dumps([mutate(RECORDS[rnd.randrange(2)], rnd)])
    raw = encode(base)
    if rnd.random() < 0.5:
        raw = damage(raw, rnd)
    name = rnd.choice(["a", "<img src=x onerror=alert(1)>", "../../etc/passwd", "x" * 300,
                       "\u202ecod.exe"]) + ("." + suffix if suffix else "")
    try:
        drafts = review.read_upload(name, raw, 20.0)
    except InputError as exc:
        assert exc.file == name and str(exc).startswith(visible(name))
        return
    assert drafts and all(isinstance(d.text, str) and d.text for d in drafts)


@FUZZ
@given(rnd=rng())
def test_fuzz_annotate_text(annotator, rnd):
    words = ["The United States", "condemned", "North Korea", "on Friday", ".", "\n", "Seoul",
             "and", "Washington", "agreed to", "joint drills", "\u202e", "\u200f", "\x00",
             "\x0b", "\u2028", "it", "sanctioned", "Russia's", "invasion", "of", "Ukraine",
             "NATO", "said", "Blinken", "\ufeff", "\ud800", "2024-13-45", "last week", ","]
    parts = [rnd.choice(words) if rnd.random() < 0.8 else random_text(rnd, 8)
             for _ in range(rnd.randint(0, 40))]
    text = " ".join(parts)
    published = dt.date(rnd.randint(1, 9999), rnd.randint(1, 12), rnd.randint(1, 28))
    try:
        result = annotator.annotate(text, published)
    except InputError as exc:
        assert exc.field == "text" and any("\ud800" <= c <= "\udfff" for c in text)
        return
    for m in result.mentions:
        assert 0 <= m.start < m.end <= len(text)
    for e in result.edges:
        assert e.source != e.target


def test_annotate_one_huge_line(annotator):
    text = ("The United States condemned North Korea and Russia " * 4000).strip() + "."
    result = annotator.annotate(text, dt.date(2024, 6, 21))
    assert result.mentions


def test_annotate_jsonl_huge_and_deep_lines(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "big", "text": "Seoul backed Kyiv. " * 3000, "published": "2024-01-01"}),
        "[" * 100_000 + "]" * 100_000,
        json.dumps(RECORDS[0])]) + "\n", encoding="utf-8")
    out, err = _stdout(), io.StringIO()
    args = argparse.Namespace(jsonl=str(path), inputs=[], out=None, published=None,
                              publisher=None, title=None)
    assert run(args, stdout=out, stderr=err) == 1
    out.flush()
    lines = [json.loads(x) for x in out.buffer.getvalue().decode().splitlines()]
    assert [x.get("id") for x in lines] == ["big", None, "r1"]
    assert lines[1]["line"] == 2 and "error" in lines[1]
