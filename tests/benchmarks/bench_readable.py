"""Readability and layout benchmark: for each view, the exported network's label overlaps,
labels on other actors' nodes, span of the frame and widest line (tests/export/readability.py,
counted from the figure's coordinates and type sizes), the layout's time (`layout.arrange` on
the view's edges from the store's map, wall and CPU, best of --repeat), a warm PNG export (store
query included), and how far the actors shared with the first view moved (share of them moving
less than 15% of the frame along either axis, and staying in the same quarter). The store's
map (`export.data.store_map`, paid once per store version) is timed on its own.

    python tests/benchmarks/bench_readable.py [--store DB] [--url URL ...]

Without --store it builds the demo store in a temporary folder. Targets (issue 22): no label
overlaps, at most one label on another node, span >= 0.85, no line wider than 16 px at
1920 px; layout <= 50 ms; warm PNG <= 3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard import layout  # noqa: E402
from dashboard.export import data as export_data  # noqa: E402
from dashboard.export import images, render  # noqa: E402
from dashboard.export.view import from_url  # noqa: E402
from dashboard.store import ingest  # noqa: E402
from tests.export.readability import measure  # noqa: E402

MADE = dt.date(2025, 6, 1)


def _best(fn, repeat: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a store (default: the demo, built now)")
    parser.add_argument("--url", action="append", help="app addresses (default: two views)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.store
        if db is None:
            db = Path(tmp) / "demo.duckdb"
            ingest([ROOT / "data" / "demo"], db)
        con = export_data.open_store(db)
        labels = export_data.labels_from_store(con)
        urls = args.url or ["/", "/network?focus=Russia&steps=2"]
        print(f"store {db}")
        wall, cpu = _best(lambda: export_data.store_map(con), args.repeat)
        print(f"store map (query included): {len(export_data.store_map(con))} actors, "
              f"{wall * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms)")
        first = None
        for url in urls:
            view = from_url(url, labels)
            data = export_data.load(con, view)
            report = measure(images.figure(data, "network", MADE))
            wall, cpu = _best(lambda d=data: layout.arrange(d.edges, d.names,
                                                            reference=d.reference),
                              args.repeat)
            pic = images.view_picture(data)
            places = {a: (n.x / pic.width, n.y / pic.height) for a, n in pic.nodes.items()}
            first = first or places
            shared = sorted(set(first) & set(places))
            near = sum(max(abs(first[a][0] - places[a][0]),
                           abs(first[a][1] - places[a][1])) < 0.15 for a in shared)
            quarter = sum((first[a][0] > 0.5) == (places[a][0] > 0.5)
                          and (first[a][1] > 0.5) == (places[a][1] > 0.5) for a in shared)
            fig = images.figure(data, "network", MADE)
            render.render(fig, "png")  # starts the renderer: the next ones are warm
            png, _ = _best(lambda v=view: render.render(
                images.figure(export_data.load(con, v), "network", MADE), "png"), 3)
            print(f"{url}: {len(data.edges)} edges, {report.labels} actors | label overlaps "
                  f"{report.label_overlaps}, labels on nodes {report.labels_on_nodes}, span "
                  f"{report.span:.3f}, widest line {report.widest_line:.1f} px, smallest "
                  f"label {report.smallest_label:.1f} px | layout {wall * 1000:.0f} ms "
                  f"(CPU {cpu * 1000:.0f} ms) | warm PNG {png:.2f} s | vs first view: "
                  f"{near}/{len(shared)} moved < 15%, {quarter}/{len(shared)} same quarter")
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
