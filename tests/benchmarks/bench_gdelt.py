"""GDELT import benchmark: a synthetic GDELT 2.0 day of 300,000 event rows into a fresh store.

    python tests/benchmarks/bench_gdelt.py              # 300,000 rows
    python tests/benchmarks/bench_gdelt.py --all-usable        # worst case: every row kept
    python tests/benchmarks/bench_gdelt.py --rows 50000 --keep /tmp/day.export.CSV

The day (61 tab-separated columns, like `20191024143000.export.CSV` but a whole day) has a
realistic mix: a third of the actors with no country code and some with regional codes, a
Zipf-like choice of countries, state organs and other sectors as actor types, CAMEO root
codes in GDELT's proportions with a matching QuadClass, 0.5% repeated GLOBALEVENTIDs and a few
broken lines. The ingest runs in a child process (`ingest_records(formats.items([day]))`, as
`alliance-atlas ingest` does), so the generator's memory does not count towards its peak RSS.
Prints rows/s and peak RSS; the issue's target is at most 30 s and 1 GiB. Exit status 1 when a
300,000-row run misses it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 30.0
TARGET_RSS_MIB = 1024.0

COUNTRIES = ["USA", "CHN", "RUS", "GBR", "IND", "FRA", "DEU", "ISR", "IRN", "UKR", "JPN",
             "PAK", "TUR", "AUS", "CAN", "SYR", "KOR", "PRK", "SAU", "NGA", "BRA", "ITA",
             "ESP", "AFG", "IRQ", "EGY", "MEX", "ZAF", "PHL", "IDN", "VEN", "POL", "BLR",
             "ROM", "ZAR", "WSB", "GZS", "TWN", "QAT", "ARE"]
REGIONS = ["EUR", "AFR", "MEA", "ASA", "SAF", "SEA", "WST"]
TYPES = [("", 55), ("GOV", 14), ("MIL", 3), ("COP", 5), ("JUD", 3), ("LEG", 2), ("BUS", 4),
         ("MED", 3), ("EDU", 2), ("CVL", 3), ("OPP", 1), ("REB", 1), ("IGO", 2), ("SPY", 1),
         ("HLH", 1)]
# Root code shares in a real GDELT day (rounded from a 2019 export).
ROOTS = [("01", 14), ("02", 6), ("03", 8), ("04", 22), ("05", 8), ("06", 2), ("07", 3),
         ("08", 5), ("09", 2), ("10", 1), ("11", 7), ("12", 2), ("13", 1.5), ("14", 1.5),
         ("15", 0.5), ("16", 1), ("17", 4.5), ("18", 2), ("19", 8), ("20", 0.1)]
QUAD = {"01": 1, "02": 1, "03": 1, "04": 1, "05": 1, "06": 2, "07": 2, "08": 2, "09": 3,
        "10": 3, "11": 3, "12": 3, "13": 3, "14": 3, "15": 4, "16": 4, "17": 4, "18": 4,
        "19": 4, "20": 4}
HOSTS = [f"news{i}.example.com" for i in range(400)]


def _actor(rng: random.Random, usable: bool = False) -> tuple[str, str, str]:
    """(Actor code, country code, type code); with `usable`, always a state."""
    if usable:
        country = COUNTRIES[min(int(rng.paretovariate(0.9)) - 1, len(COUNTRIES) - 1)]
        kind = rng.choice(["", "GOV"])
        return country + kind, country, kind
    r = rng.random()
    kind = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
    if r < 0.33:
        return ("" if kind == "" else kind), "", kind
    country = (rng.choice(REGIONS) if r < 0.40 else
               COUNTRIES[min(int(rng.paretovariate(0.9)) - 1, len(COUNTRIES) - 1)])
    return country + kind, country, kind


def generate(path: Path, rows: int, seed: int = 1, usable: bool = False) -> dict:
    rng = random.Random(seed)
    roots, weights = [r for r, _ in ROOTS], [w for _, w in ROOTS]
    if usable:  # the worst case for the store: every event is kept
        roots = [r for r in roots if r not in ("01", "02", "08", "09", "14")]
        weights = [w for r, w in ROOTS if r in roots]
    broken = set(rng.sample(range(rows), 7))
    first_id = 880_000_000
    written = duplicates = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for i in range(rows):
            event_id = first_id + i
            if i > 100 and rng.random() < 0.005:
                event_id = first_id + rng.randrange(i)  # repeated GLOBALEVENTID
                duplicates += 1
            root = rng.choices(roots, weights)[0]
            code = root + rng.choice(["0", "1", "2", "3", "4"])
            a1, c1, t1 = _actor(rng, usable)
            a2, c2, t2 = _actor(rng, usable)
            while usable and c2 == c1:
                a2, c2, t2 = _actor(rng, usable)
            day = f"201910{rng.randint(20, 24):02d}"
            geo = ["1", "Somewhere", c1[:2], "XX", "", "0.0", "0.0", "0"] * 3
            f = [str(event_id), day, day[:6], day[:4], "2019.8055",
                 a1, c1 or "", c1, "", "", "", "", t1, "", "",
                 a2, c2 or "", c2, "", "", "", "", t2, "", "",
                 "1", code, code, root, str(QUAD[root]), f"{rng.uniform(-10, 10):.1f}",
                 str(rng.randint(1, 40)), str(rng.randint(1, 6)), str(rng.randint(1, 30)),
                 f"{rng.uniform(-8, 4):.6f}", *geo, "20191024143000",
                 f"https://{rng.choice(HOSTS)}/story/{event_id}"]
            if i in broken:
                f = f[:40] if rng.random() < 0.5 else [*f[:1], "2019XX24", *f[2:]]
            fh.write("\t".join(f) + "\n")
            written += 1
    return {"rows": written, "duplicates": duplicates, "broken": len(broken)}


def child(day: str, db: str) -> None:
    from dashboard import formats
    from dashboard.registry import Registry
    from dashboard.store import ingest_records

    Registry.load()
    began, cpu = time.perf_counter(), time.process_time()
    report = ingest_records(formats.items([day]), Path(db))
    print(json.dumps({
        "wall": time.perf_counter() - began, "cpu": time.process_time() - cpu,
        "added": report.added, "rejected": report.rejected_records,
        "skipped": dict(report.skipped), "edges": report.edges_written,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "store_mib": os.path.getsize(db) / 2**20}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the synthetic day here and keep it")
    parser.add_argument("--all-usable", action="store_true",
                        help="worst case: every row is an event between two states with a "
                             "stance (all kept but the repeated and broken ones)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="atlas-gdelt-") as tmp:
        day = args.keep or Path(tmp) / "20191024.export.CSV"
        began = time.perf_counter()
        made = generate(day, args.rows, args.seed, args.all_usable)
        print(f"generated {made['rows']:,} rows ({made['duplicates']:,} repeated ids, "
              f"{made['broken']} broken lines, {day.stat().st_size / 2**20:.0f} MiB) in "
              f"{time.perf_counter() - began:.1f} s", flush=True)
        out = subprocess.run([sys.executable, __file__, "--child", str(day),
                              str(Path(tmp) / "atlas.duckdb")],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"ingest: {r['wall']:.1f} s wall, {r['cpu']:.1f} s cpu, "
          f"{made['rows'] / r['wall']:,.0f} rows/s, peak RSS {r['rss_mib']:.0f} MiB, store "
          f"{r['store_mib']:.0f} MiB")
    print(f"  {r['added']:,} events added ({r['edges']:,} edges), {r['rejected']} broken lines "
          "rejected")
    for reason, n in sorted(r["skipped"].items(), key=lambda kv: -kv[1]):
        print(f"  skipped {n:,}: {reason}")
    ok = r["wall"] <= TARGET_SECONDS and r["rss_mib"] <= TARGET_RSS_MIB
    print(f"target (<= {TARGET_SECONDS:.0f} s, <= {TARGET_RSS_MIB:.0f} MiB): "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok or args.rows < 300_000 else 1


if __name__ == "__main__":
    sys.exit(main())
