"""Malformed files for every format, read under a time and memory limit.

A seeded mutation generator turns each format's good fixture into malformed files (bytes
flipped, cut, repeated; a byte-order mark, a NUL, a bad UTF-8 byte, a huge number, deep
brackets, a YAML alias bomb, a formula cell, terminal escapes spliced in). For line-oriented
formats (JSONL, doccano, CSV edges, GDELT, ATOP/COW) the mutated line sits between good lines,
and every good record must still come out. Each case is read in a worker process limited to
`MEMORY_LIMIT` bytes of address space and `TIME_LIMIT` seconds (a hang or a blow-up is a
failure, not a stuck run); a traceback, a message that is not an `InputError` naming its file,
or a good record lost is a failure.

    python tests/robustness/fuzz_files.py --cases 1000          # per format (docs/benchmarks.md)

`test_fuzz_files.py` runs a small seeded sample of the same generator.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "formats" / "fixtures"
TIME_LIMIT = 5                 # seconds per case
MEMORY_LIMIT = 500 * 2**20     # bytes of address space for the worker

# format: (file name of a case, good fixture, lines the good content starts with (header))
FORMATS = {
    "native-jsonl": ("case.jsonl", ROOT / "tests/fixtures/good/more.jsonl", 0),
    "native-json": ("case.json", ROOT / "tests/fixtures/good/us-rok.json", None),
    "native-yaml": ("case.yaml", ROOT / "tests/fixtures/good/yaml-article.yaml", None),
    "doccano": ("case.jsonl", FIXTURES / "doccano/export.jsonl", 0),
    "labelstudio": ("case.json", FIXTURES / "labelstudio/export.json", None),
    "csv": ("case.csv", FIXTURES / "csv/edges.csv", 1),
    "gdelt": ("case.export.tsv", FIXTURES / "gdelt/gdelt2-sample.export.tsv", 0),
    "atop": ("case.csv", FIXTURES / "atop/atop4.01-sample.csv", 1),
    "brat": ("case.ann", FIXTURES / "brat/tariffs.ann", None),
}
SPLICES = (b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\xff", b"\xc3", b"\x1b[2J\x1b[31m",
           b"9" * 5000, b"[" * 3000, b"{" * 3000, b"&a [*a, *a, *a, *a]", b"*a", b"=cmd|'/C",
           b"https://[x]/story", b"\r", b"\t", b"\"", b"\\u0000", b"1e999", b"-1",
           b"\xed\xa0\x80", "\u202e".encode(), b"NaN", b"null", b",,,,,,,", b"\n")


def _mutate(rnd: random.Random, data: bytes) -> bytes:
    data = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        op = rnd.randrange(6)
        at = rnd.randrange(len(data) + 1)
        if op == 0 and data:
            data[min(at, len(data) - 1)] = rnd.randrange(256)
        elif op == 1:
            data[at:at] = rnd.choice(SPLICES)
        elif op == 2:
            del data[at:at + rnd.randint(1, 40)]
        elif op == 3:
            end = min(len(data), at + rnd.randint(1, 60))
            data[at:at] = bytes(data[at:end]) * rnd.randint(2, 5)
        elif op == 4:
            data = data[:at]
        else:
            data[at:at] = rnd.choice(SPLICES) * rnd.randint(2, 50)
    return bytes(data)


def cases(fmt: str, n: int, seed: int) -> list[tuple[str, bytes, int]]:
    """(case file name, bytes, good records that must come out) for `n` malformed cases."""
    name, fixture, header = FORMATS[fmt]
    good = fixture.read_bytes()
    rnd = random.Random(f"{seed}-{fmt}")
    out = []
    for _ in range(n):
        if header is None:  # one document: no good record is promised
            out.append((name, _mutate(rnd, good), 0))
            continue
        lines = [line for line in good.split(b"\n") if line.strip()]
        head, body = lines[:header], lines[header:]
        victim = rnd.randrange(len(body))
        bad = _mutate(rnd, body[victim]).replace(b"\n", b" ").replace(b"\r", b" ")
        # The good lines around it (and no other) must each give its record; a mutation that
        # leaves the line unchanged in meaning is fine either way.
        data = b"\n".join([*head, *body[:victim], bad, *body[victim + 1:]]) + b"\n"
        out.append((name, data, -1))
    return out


def _expected(fmt: str) -> int:
    """Good items (records, events, treaty sets) the unmutated fixture gives, read as a case
    (no sidecar file beside it)."""
    name, fixture, _ = FORMATS[fmt]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(fixture.read_bytes())
        if fmt == "brat":
            path.with_suffix(".txt").write_bytes(fixture.with_suffix(".txt").read_bytes())
        return len(_read(path, fmt)[0])


def _read(path: Path, fmt: str):
    from dashboard import formats
    from dashboard.errors import InputError
    from dashboard.loaders import Prepared, Record, TreatySet

    good, errors = [], []
    for item in formats.items([path]):
        if isinstance(item, Record):
            (good.append(item.label) if item.article is not None else None)
            errors += [e for e in item.errors]
        elif isinstance(item, (Prepared, TreatySet)):
            good.append(getattr(item, "label", "treaties"))
        elif isinstance(item, InputError):
            errors.append(item)
    return good, errors


def worker(folder: Path, fmt: str) -> None:
    """Reads every case under `folder` with the limits on; prints one JSON line per case."""
    from dashboard.errors import InputError

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    def alarm(signum, frame):
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    brat_txt = FORMATS["brat"][1].with_suffix(".txt").read_bytes()
    _read(FORMATS[fmt][1], fmt)  # imports and the registry load before the clock starts
    for case in sorted(folder.iterdir(), key=lambda p: int(p.name)):
        path = next(case.glob("case.*"))
        if fmt == "brat":
            (case / "case.txt").write_bytes(brat_txt)
        started = time.monotonic()
        signal.alarm(TIME_LIMIT)
        try:
            good, errors = _read(path, fmt)
            problem = ""
            for error in errors:
                text = str(error)
                if not isinstance(error, InputError) or "case" not in text:
                    problem = f"unnamed error: {text[:200]}"
        except TimeoutError:
            good, problem = [], f"took more than {TIME_LIMIT} s"
        except MemoryError:
            good, problem = [], f"needed more than {MEMORY_LIMIT >> 20} MB"
        except BaseException as exc:  # noqa: BLE001 - a traceback is what we count
            good, problem = [], f"traceback: {type(exc).__name__}: {str(exc)[:200]}"
        finally:
            signal.alarm(0)
        print(json.dumps({"case": case.name, "good": len(good), "problem": problem,
                          "seconds": round(time.monotonic() - started, 3)}), flush=True)


def run(fmt: str, n: int, seed: int) -> dict:
    """Generates and reads `n` cases of `fmt`; the counts and the failures."""
    expected = _expected(fmt)
    made = cases(fmt, n, seed)
    with tempfile.TemporaryDirectory(prefix=f"atlas-fuzz-{fmt}-") as tmp:
        folder = Path(tmp)
        for i, (name, data, _) in enumerate(made):
            (folder / str(i)).mkdir()
            (folder / str(i) / name).write_bytes(data)
        proc = subprocess.run([sys.executable, __file__, "--worker", str(folder), fmt],
                              cwd=ROOT, capture_output=True, text=True,
                              timeout=60 + n * TIME_LIMIT)
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    failures = [r for r in results if r["problem"]]
    if len(results) != n:
        failures.append({"case": "worker", "problem": f"worker stopped after {len(results)} "
                         f"cases: {proc.stderr[-500:]}"})
    lost = 0
    for r, (_, _, promise) in zip(results, made, strict=False):
        # Line formats: all good lines but the mutated one must come out (the mutated one may
        # still be good, or may split in two).
        if promise == -1 and r["good"] < expected - 1 and not r["problem"]:
            lost += 1
            failures.append({**r, "problem": f"good records lost: {r['good']} of "
                                             f"{expected - 1}"})
    return {"format": fmt, "cases": n, "tracebacks": sum("traceback" in f["problem"]
                                                         for f in failures),
            "hangs": sum("took more" in f["problem"] or "MB" in f["problem"]
                         for f in failures),
            "lost": lost, "failures": failures,
            "slowest": max((r["seconds"] for r in results), default=0)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="per format")
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--format", choices=sorted(FORMATS), action="append")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(Path(args.worker[0]), args.worker[1])
        return 0
    bad = 0
    for fmt in args.format or sorted(FORMATS):
        started = time.monotonic()
        out = run(fmt, args.cases, args.seed)
        bad += len(out["failures"])
        print(f"{fmt}: {out['cases']} cases in {time.monotonic() - started:.0f} s: "
              f"{out['tracebacks']} tracebacks, {out['hangs']} over the limits, "
              f"{out['lost']} with good records lost; slowest case {out['slowest']:.2f} s")
        for failure in out["failures"][:5]:
            print(f"  {failure}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
