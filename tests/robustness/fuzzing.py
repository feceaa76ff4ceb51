"""Shared pieces of the fuzzers: hypothesis settings, mutation strategies for JSON-shaped
records, text and bytes, and the check that every complaint is an `InputError` that names the
file and the record (and the field where one applies)."""

from __future__ import annotations

import copy
import json
import os
import random
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from dashboard.errors import InputError, visible
from dashboard.loaders import Prepared, Record, Skipped, TreatySet

ROOT = Path(__file__).resolve().parents[2]
# `ATLAS_FUZZ_EXAMPLES` raises the count for a long run (tests/benchmarks/bench_robustness.py).
EXAMPLES = int(os.environ.get("ATLAS_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

STRANGE_TEXT = ("", " ", "\x00", "\u202e\u202d", "\ufeff", "\ud800", "\udfff", "NaN", "null",
                "2024-13-45", "2024-02-30", "0000-00-00", "9999-12-31", "-1", "1e999",
                "USA", "NATO", "Atlantis", "alliance", "condemnation", "human", "reviewed",
                "javascript:alert(1)", "<script>alert(1)</script>", "\n\n", "a" * 300,
                "\u0600\u0627\u0644", "T1", "R1", "E1", "\t", "\\", "\"", "{", "[")


def random_text(rnd: random.Random, size: int = 12) -> str:
    """Text with code points from everywhere: controls, lone surrogates, bidi marks, CJK."""
    pools = ((0, 0x20), (0x20, 0x7F), (0x80, 0x800), (0xD800, 0xE000), (0x200B, 0x2070),
             (0x4E00, 0x4E80), (0x1F600, 0x1F650), (0xFFF0, 0x10000))
    out = []
    for _ in range(rnd.randint(0, size)):
        lo, hi = rnd.choice(pools)
        out.append(chr(rnd.randrange(lo, hi)))
    return "".join(out)


def random_value(rnd: random.Random, depth: int = 0):
    """A JSON-shaped value of any type, usually a wrong one."""
    kind = rnd.randrange(10 if depth < 2 else 8)
    if kind == 0:
        return None
    if kind == 1:
        return rnd.choice([True, False])
    if kind == 2:
        return rnd.choice([0, 1, -1, 2 ** 31, 2 ** 63, -(2 ** 63), 10 ** 30,
                           rnd.randint(-(2 ** 70), 2 ** 70)])
    if kind == 3:
        return rnd.choice([0.5, -0.0, 1e308, -1e308, float("nan"), float("inf"), 1e-300])
    if kind in (4, 5):
        return rnd.choice(STRANGE_TEXT)
    if kind in (6, 7):
        return random_text(rnd)
    if kind == 8:
        return [random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    return {random_text(rnd, 5): random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3))}


def _paths(node, prefix=()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _parent(doc, path):
    node = doc
    for part in path[:-1]:
        node = node[part]
    return node


def mutate(doc, rnd: random.Random, max_mutations: int = 3):
    """`doc` (JSON-shaped, copied) with up to `max_mutations` random edits: a value replaced
    by one of any type, a key deleted or renamed, an element duplicated, an integer pushed out
    of range, a string cut short, a value wrapped in a list or an object."""
    doc = copy.deepcopy(doc)
    for _ in range(rnd.randint(1, max_mutations)):
        path = rnd.choice(_paths(doc))
        op = rnd.choice(("replace", "replace", "delete", "rename", "dup", "int", "cut", "wrap"))
        if not path:
            if op == "replace" and rnd.random() < 0.2:
                doc = random_value(rnd)
            elif op == "wrap":
                doc = [doc]
            continue
        parent, key = _parent(doc, path), path[-1]
        old = parent[key]
        if op == "replace":
            parent[key] = random_value(rnd)
        elif op == "delete":
            del parent[key]
        elif op == "rename" and isinstance(parent, dict):
            parent[rnd.choice([str(key) + "s", str(key).upper(), "", "extra"])] = \
                parent.pop(key)
        elif op == "dup" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(old))
        elif op == "int":
            parent[key] = rnd.choice([-1, -(2 ** 40), 2 ** 40, 10 ** 30, 0, True, 1.5, "7"])
        elif op == "cut" and isinstance(old, str):
            parent[key] = old[:rnd.randint(0, max(len(old) - 1, 0))]
        elif op == "wrap":
            parent[key] = rnd.choice([[old], {"value": old}])
    return doc


# One drawn integer seeds a plain `Random`: hypothesis' own `randoms()` pays a draw per call.
SEEDS = st.integers(0, 2 ** 32 - 1)


def rng() -> st.SearchStrategy:
    return st.builds(random.Random, SEEDS)


def mutated(seeds: list, max_mutations: int = 3) -> st.SearchStrategy:
    """One of `seeds` mutated by `mutate`. The edits are driven by one seeded `Random` drawn
    from hypothesis: a thousand examples take a second, not the minute that composing
    hypothesis strategies for every edit took."""
    return st.builds(lambda i, seed: mutate(seeds[i], random.Random(seed), max_mutations),
                     st.integers(0, len(seeds) - 1), SEEDS)


JUNK = (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\n", b"\t", b",", b'"', b"{", b"]",
        b"\r\n", b"\xe2\x80\xae", b"\\", b"'", b":", b"- ", b"|")


def damage(data: bytes, rnd: random.Random) -> bytes:
    """`data` truncated, with bytes inserted (invalid UTF-8 among them) or flipped."""
    for _ in range(rnd.randint(1, 3)):
        op = rnd.choice(("truncate", "insert", "insert", "flip"))
        at = rnd.randint(0, len(data))
        if op == "truncate":
            data = data[:at]
        elif op == "insert":
            junk = rnd.choice(JUNK) if rnd.random() < 0.7 else rnd.randbytes(rnd.randint(1, 4))
            data = data[:at] + junk + data[at:]
        elif at < len(data):
            data = data[:at] + bytes([data[at] ^ rnd.randint(1, 255)]) + data[at + 1:]
    return data


def dumps(obj) -> str | None:
    """JSON text of `obj`, or None when it cannot be written (a float key...)."""
    try:
        return json.dumps(obj, ensure_ascii=False)
    except (TypeError, ValueError):
        return None


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


# Words of Python's own exception messages: a message with one was not written for a person.
INTERNALS = ("NoneType", "TypeError", "KeyError", "ValueError", "AttributeError",
             "IndexError", "object is not", "object has no", "invalid literal",
             "unhashable", "Traceback", "Errno")


def check_error(err, file: str, context: str = "") -> None:
    """An error users can act on: an `InputError` naming the file, a record unless it is
    about the whole file, and its field when it has one."""
    assert isinstance(err, InputError), f"{context}: {type(err).__name__}: {err}"
    message = str(err)
    # The file itself, or a companion named after it (doc.ann: doc.txt, doc.txt.meta.yaml).
    stem = Path(file).name.split(".")[0]
    assert err.file and stem in message, f"{context}: no file in {message!r}"
    if err.field:
        assert visible(err.field) in message
    assert visible(message) == message, f"{context}: control characters in {message!r}"
    assert err.reason and "Traceback" not in message
    internals = [w for w in INTERNALS if w in message]
    assert not internals, f"{context}: Python internals {internals} in {message!r}"


def check_items(items, file: str) -> list:
    """Every item a reader yields for `file` is a usable item or a well-formed error; the
    valid records' articles are returned."""
    good = []
    for item in items:
        if isinstance(item, InputError):
            check_error(item, file, "error item")
        elif isinstance(item, Record):
            if item.article is None:
                assert item.errors, f"record {item.label} rejected without a reason"
                for err in item.errors:
                    check_error(err, file, f"record {item.label}")
                    # A one-record file's record is the file itself (a brat document).
                    assert err.record or item.label in ("file", Path(file).stem), \
                        f"record {item.label}: the error names no record: {err}"
            else:
                good.append(item.article)
        else:
            assert isinstance(item, (Prepared, Skipped, TreatySet)), type(item).__name__
    return good
