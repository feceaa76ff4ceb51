"""Property-based fuzzing of the importers of `dashboard.formats` (brat, Label Studio, doccano,
CSV edge lists, GDELT events, ATOP/COW alliances): their own fixtures mutated record by record
(JSON formats) or field by field and line by line (text formats), and damaged byte by byte.
Every complaint is an `InputError` naming the file (and the record and field where it has
them), never another exception; the records the mutation left alone are still read."""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from .fuzzing import FUZZ, ROOT, check_items, damage, encode, mutate, random_text, rng

pytestmark = pytest.mark.e2e  # long runs: left out of the quick loop (-m "not e2e")

formats = pytest.importorskip("dashboard.formats")
meta = pytest.importorskip("dashboard.formats.meta")

FIXTURES = ROOT / "tests" / "formats" / "fixtures"
DEFAULTS = meta.Defaults(published=dt.date(2024, 1, 1), publisher="Fuzz Wire")


def _fixture(*parts: str) -> Path:
    path = FIXTURES.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"no fixture {path}")
    return path


@pytest.fixture(scope="module")
def registry():
    from dashboard.registry import Registry
    return Registry.load()


def _read(path: Path, fmt: str, registry) -> list:
    items = list(formats.read(path, fmt, DEFAULTS, registry, set()))
    return check_items(items, str(path))


def _mutate_lines(text: str, rnd: random.Random, sep: str) -> str:
    """Text formats: a field replaced, dropped or doubled, a line cut, doubled or dropped."""
    lines = text.splitlines()
    for _ in range(rnd.randint(1, 3)):
        if not lines:
            break
        i = rnd.randrange(len(lines))
        fields = lines[i].split(sep)
        op = rnd.randrange(7)
        j = rnd.randrange(len(fields))
        if op == 0:
            fields[j] = rnd.choice(["", "-1", "99999999999999999999", "2024-13-45", "NaN",
                                    "1e999", "x", "\"", "\"\"\"", "T99", "USA", "0",
                                    random_text(rnd, 8).replace("\n", " ")])
        elif op == 1:
            del fields[j]
        elif op == 2:
            fields.insert(j, fields[j])
        elif op == 3:
            lines[i] = lines[i][:rnd.randint(0, len(lines[i]))]
            continue
        elif op == 4:
            lines.insert(i, lines[i])
            continue
        elif op == 5:
            del lines[i]
            continue
        else:
            fields[j] = fields[j][::-1]
        lines[i] = sep.join(fields)
    return "\n".join(lines) + "\n"


def _text_variant(text: str, rnd: random.Random, sep: str) -> tuple[bytes, bool]:
    raw = encode(_mutate_lines(text, rnd, sep))
    if rnd.random() < 0.3:
        return damage(raw, rnd), True
    return raw, False


def _folder(scratch: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=scratch))


# -- JSON formats ----------------------------------------------------------------------------

@FUZZ
@given(rnd=rng())
def test_fuzz_labelstudio(scratch, registry, rnd):
    tasks = json.loads(_fixture("labelstudio", "export.json").read_text(encoding="utf-8"))
    victim = rnd.randrange(len(tasks))
    tasks[victim] = mutate(tasks[victim], rnd)
    raw = encode(json.dumps(tasks, ensure_ascii=False))
    if rnd.random() < 0.25:
        raw = damage(raw, rnd)
    path = _folder(scratch) / "export.json"
    path.write_bytes(raw)
    _read(path, "labelstudio", registry)


@FUZZ
@given(rnd=rng())
def test_fuzz_doccano(scratch, registry, rnd):
    lines = _fixture("doccano", "export.jsonl").read_text(encoding="utf-8").splitlines()
    victim = rnd.randrange(len(lines))
    lines[victim] = json.dumps(mutate(json.loads(lines[victim]), rnd))
    raw = ("\n".join(lines) + "\n").encode()
    broken = rnd.random() < 0.25
    if broken:
        raw = damage(raw, rnd)
    path = _folder(scratch) / "export.jsonl"
    path.write_bytes(raw)
    _read(path, "doccano", registry)


# -- text formats ----------------------------------------------------------------------------

@FUZZ
@given(rnd=rng())
def test_fuzz_brat(scratch, registry, rnd):
    ann = _fixture("brat", "tariffs.ann")
    folder = _folder(scratch)
    raw, _ = _text_variant(ann.read_text(encoding="utf-8"), rnd, rnd.choice(["\t", " "]))
    (folder / "doc.ann").write_bytes(raw)
    text = encode(ann.with_suffix(".txt").read_text(encoding="utf-8"))
    if rnd.random() < 0.3:
        text = damage(text, rnd)
    (folder / "doc.txt").write_bytes(text)
    side = ann.with_name("tariffs.txt.meta.yaml").read_text(encoding="utf-8")
    if rnd.random() < 0.3:
        side = _mutate_lines(side, rnd, ": ")
    (folder / "doc.txt.meta.yaml").write_bytes(encode(side))
    _read(folder / "doc.ann", "brat", registry)


@FUZZ
@given(rnd=rng())
def test_fuzz_csv_edges(scratch, registry, rnd):
    raw, _ = _text_variant(_fixture("csv", "edges.csv").read_text(encoding="utf-8"), rnd, ",")
    path = _folder(scratch) / "edges.csv"
    path.write_bytes(raw)
    _read(path, "csv", registry)


@FUZZ
@given(rnd=rng())
def test_fuzz_gdelt(scratch, registry, rnd):
    name = rnd.choice(["gdelt2-sample.export.tsv", "20191024.export.CSV"])
    raw, _ = _text_variant(_fixture("gdelt", name).read_text(encoding="utf-8"), rnd, "\t")
    path = _folder(scratch) / name
    path.write_bytes(raw)
    _read(path, "gdelt", registry)


@FUZZ
@given(rnd=rng())
def test_fuzz_atop_cow(scratch, registry, rnd):
    name = rnd.choice(["atop4.01-sample.csv", "cow-by-dyad.csv", "cow-by-member.csv"])
    raw, _ = _text_variant(_fixture("atop", name).read_text(encoding="utf-8"), rnd, ",")
    path = _folder(scratch) / name
    path.write_bytes(raw)
    _read(path, "atop" if name.startswith("atop") else "cow", registry)


@FUZZ
@given(rnd=rng())
def test_fuzz_format_detection(scratch, rnd):
    """`items` on a file of unknown make: recognised and read, or refused with a reason."""
    suffix = rnd.choice([".json", ".jsonl", ".csv", ".tsv", ".ann", ".yaml", ".txt"])
    path = _folder(scratch) / f"unknown{suffix}"
    path.write_bytes(encode(random_text(rnd, 60)) if rnd.random() < 0.5 else
                     damage(b"source,target,relation\nUSA,RUS,sanction\n", rnd))
    check_items(formats.items([path], defaults=DEFAULTS), str(path))
