"""The app's ceiling on one machine: bench_app.py on a store of about ten million edges, with
the peak memory of its processes.

    nice .venv/bin/python tests/benchmarks/bench_ceiling.py [--copies 10] [--store PATH]
                                                      [-- BENCH_APP_ARGS...]

The store: bench_app's store of the synthetic corpus (tests/benchmarks/synth.py, 105k
articles, about 1.01M edges), copied `--copies` times inside DuckDB under new article ids
(`<id>.r<k>`; the same dates, actors and sentences) and its rollups derived again, so ten
copies make about ten million edges. Copying takes minutes where ingesting a million
synthetic articles takes more than an hour on a shared two-core machine; the copies have
the pair structure of the original with ten times the weight, which is what the app's
scans and aggregations see. Cached beside bench_app's stores.

Then it runs tests/benchmarks/bench_app.py on it (`--repeat 1 --no-apptest` unless other
arguments follow `--`) and samples, every 50 ms, the resident memory of the benchmark
process (which computes every page's data in-process, as the server does) and of the
Streamlit server it starts for the browser visits. Prints bench_app's report, the store's
size and edge count, and the peak resident memory of each.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT)]


def _tree(pid: int) -> list[int]:
    """`pid` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def _rss_mib(pid: int) -> tuple[str, float]:
    try:
        cmd = (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode())
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return cmd, int(line.split()[1]) / 1024
    except OSError:
        pass
    return "", 0.0


def copied_store(base: Path, copies: int) -> Path:
    """`base` with its articles, mentions and edges `copies` times over (cached)."""
    import shutil

    import duckdb

    from dashboard import rollups

    db = base.with_name(f"{base.stem}-x{copies}.duckdb")
    if db.is_file():
        return db
    tmp = db.with_name(db.name + ".building")
    shutil.copyfile(base, tmp)
    with duckdb.connect(str(tmp)) as con:
        for k in range(1, copies):
            suffix = f".r{k}"
            con.execute("INSERT INTO articles SELECT * REPLACE (id || ? AS id) "
                        "FROM articles WHERE NOT contains(id, '.r')", [suffix])
            for table in ("mentions", "edges"):
                con.execute(f"INSERT INTO {table} SELECT * REPLACE (article_id || ? AS "  # noqa: S608
                            f"article_id) FROM {table} WHERE NOT contains(article_id, '.r')",
                            [suffix])
        # What the ingest derives from the tables, derived again for the copies.
        con.execute("BEGIN TRANSACTION")
        rollups.build(con)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    tmp.replace(db)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--store", type=Path, help="use this store")
    parser.add_argument("rest", nargs=argparse.REMAINDER,
                        help="arguments for bench_app.py after --")
    args = parser.parse_args()
    import bench_app
    import duckdb

    began = time.perf_counter()
    db = args.store or copied_store(bench_app.build_store(100_000, 5_000, 1), args.copies)
    print(f"store {db}: ready in {time.perf_counter() - began:.0f} s", flush=True)
    with duckdb.connect(str(db), read_only=True) as con:
        edges = con.execute("SELECT count(*) FROM edges").fetchone()[0]
    print(f"store: {edges:,} edges, {db.stat().st_size / 2**30:.2f} GiB", flush=True)
    rest = [a for a in args.rest if a != "--"] or ["--repeat", "1", "--no-apptest"]
    child = subprocess.Popen([sys.executable, str(HERE / "bench_app.py"), "--store", str(db),
                              *rest], cwd=ROOT)
    peaks = {"benchmark process (page data)": 0.0, "Streamlit server": 0.0}

    def sample() -> None:
        while child.poll() is None:
            for pid in _tree(child.pid):
                cmd, rss = _rss_mib(pid)
                key = ("benchmark process (page data)" if pid == child.pid else
                       "Streamlit server" if "streamlit" in cmd else None)
                if key:
                    peaks[key] = max(peaks[key], rss)
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    child.wait()
    watcher.join()
    for name, peak in peaks.items():
        print(f"peak resident memory, {name}: {peak:,.0f} MiB")
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
