"""Ingest benchmark: how fast a synthetic corpus goes into a fresh store, and at what cost.

    python tests/benchmarks/bench_ingest.py --articles 10000 100000

For each size it generates a synthetic corpus (tests/benchmarks/synth.py; cached under
$XDG_CACHE_HOME/alliance-atlas/bench or ~/.cache/..., reused while the generator's VERSION and
the seed are the same), then, each in a child process of its own so that neither generation nor
an earlier run counts towards the memory figure, runs:

  fresh      ingest into a new store in a temporary folder (the rollups the app reads included)
  no-op      the same ingest again into that store (everything unchanged: nothing is read
             beyond each record's bytes, nothing is written)
  1% change  a copy of the corpus with every 100th article's title changed (skip: --no-change)

and prints articles, edges, wall and CPU seconds of `ingest()` (CPU counts all of the child's
threads; next to wall time it shows whether other processes competed for the cores),
articles/s, edges/s, the child's peak RSS and the store's file size. Targets: 100k articles
(about 1M edges) in at most 60 s, a no-op re-ingest of 100k articles in at most 5 s, and at
most 1 GiB peak memory for any size up to 300k articles, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]

import synth  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_NOOP_SECONDS = 5.0
TARGET_RSS_MIB = 1024.0


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "alliance-atlas" / "bench"


def corpus(n_articles: int, seed: int, root: Path) -> Path:
    """The cached corpus of that size and seed, generated first if missing."""
    out = root / f"synth-v{synth.VERSION}-seed{seed}-{n_articles}"
    done = out / ".complete"
    if done.is_file():
        return out
    shutil.rmtree(out, ignore_errors=True)
    began = time.perf_counter()
    synth.generate(out, n_articles, seed)
    done.write_text("ok\n")
    print(f"  generated {n_articles} articles in {time.perf_counter() - began:.1f} s -> {out}",
          flush=True)
    return out


def changed_copy(src: Path, dst: Path, every: int = 100) -> int:
    """A copy of corpus `src` with the title of every `every`-th article changed."""
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    changed = 0
    n = 0
    for path in sorted(src.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if n % every == 0:
                article = json.loads(line)
                article["title"] += " (updated)"
                lines[i] = json.dumps(article, ensure_ascii=False, separators=(",", ":"))
                changed += 1
            n += 1
        (dst / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def child(corpus_dir: str, db: str) -> None:
    """Runs in the child process: one ingest, its figures printed as one JSON line."""
    import resource

    from dashboard.registry import Registry
    from dashboard.store import ingest

    Registry.load()  # loading the registry (pycountry, YAML) is not part of the ingest rate
    before = resource.getrusage(resource.RUSAGE_SELF)
    began = time.perf_counter()
    report = ingest([corpus_dir], Path(db))
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(json.dumps({
        "wall": wall, "cpu": cpu, "added": report.added, "updated": report.updated,
        "unchanged": report.unchanged, "rejected": report.rejected_records,
        "edges": report.edges_written,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


def run(corpus_dir: Path, db: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(corpus_dir), str(db)],
                         check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["store_mib"] = db.stat().st_size / 2**20 if db.is_file() else 0.0
    return result


def line(label: str, n_articles: int, r: dict) -> str:
    edges = r["edges"]
    return (f"  {label:<10} {n_articles:>8} {edges:>9} {r['wall']:>8.1f} {r['cpu']:>7.1f} "
            f"{n_articles / r['wall']:>10.0f} {edges / r['wall'] if edges else 0:>10.0f} "
            f"{r['rss_mib']:>9.0f} {r['store_mib']:>10.0f}   "
            f"+{r['added']} ~{r['updated']} ={r['unchanged']} !{r['rejected']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=None,
                        help="where generated corpora are kept (default: the user's cache)")
    parser.add_argument("--no-change", action="store_true", help="skip the 1%%-changed run")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0

    import duckdb

    print(f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
          f"{os.cpu_count()} CPUs, {platform.platform()}, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    root = args.cache or cache_dir()
    ok = True
    for n in args.articles:
        print(f"\n{n} articles (seed {args.seed})", flush=True)
        src = corpus(n, args.seed, root)
        size = sum(p.stat().st_size for p in src.glob("*.jsonl")) / 2**20
        print(f"  corpus {size:.0f} MiB in {len(list(src.glob('*.jsonl')))} files")
        print(f"  {'run':<10} {'articles':>8} {'edges':>9} {'wall s':>8} {'cpu s':>7} "
              f"{'articles/s':>10} "
              f"{'edges/s':>10} {'peak MiB':>9} {'store MiB':>10}   +added ~updated "
              "=unchanged !rejected", flush=True)
        with tempfile.TemporaryDirectory(prefix="atlas-bench-") as tmp:
            db = Path(tmp) / "bench.duckdb"
            fresh = run(src, db)
            print(line("fresh", n, fresh), flush=True)
            noop = run(src, db)
            print(line("no-op", n, noop), flush=True)
            if not args.no_change:
                changed = Path(tmp) / "changed"
                changed_copy(src, changed)
                print(line("1% change", n, run(changed, db)), flush=True)
        if n >= 100000:
            scale = 100000 / n
            met = (fresh["wall"] * scale <= TARGET_SECONDS
                   and noop["wall"] * scale <= TARGET_NOOP_SECONDS
                   and max(fresh["rss_mib"], noop["rss_mib"]) <= TARGET_RSS_MIB)
            ok &= met
            print(f"  target (per 100k: fresh <= {TARGET_SECONDS:.0f} s, no-op <= "
                  f"{TARGET_NOOP_SECONDS:.0f} s; <= {TARGET_RSS_MIB:.0f} MiB): "
                  f"{'met' if met else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
