"""The app benchmark's page data (tests/benchmarks/bench_app.py) runs every page on a real
store, with its prefetches on worker threads, and times what it claims to time."""

import importlib.util
import sys
from pathlib import Path

import pytest

from dashboard import queries

_HERE = Path(__file__).parent / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, _HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_app():
    sys.path.insert(0, str(_HERE))  # the benchmark imports its siblings by name
    try:
        yield _load("bench_app")
    finally:
        sys.path.remove(str(_HERE))


# What each page starts on a worker in the app (`dashboard.ui.connection.prefetch`): the
# Network and Compare pages their blocs (and the Compare page its second period), the Actor
# page its timeline and strongest evidence.
PREFETCHES = {"network": 1, "timeline": 0, "actor": 2, "blocs": 0, "compare": 2, "articles": 0}


@pytest.mark.parametrize("page", list(PREFETCHES))
def test_page_data_times_each_page_on_the_demo_store(bench_app, demo_store, page):
    class Counted(bench_app._Workers):
        started = 0

        def submit(self, fn, *args):
            Counted.started += 1
            return super().submit(fn, *args)

    con = queries.connect(demo_store)
    try:
        bounds = tuple(queries.run(con, queries.date_bounds()).iloc[0])
        workers = Counted(con)
        for label, filters in bench_app.CHANGES:
            before = Counted.started
            took, sql, analytics, cpu = bench_app.page_data(con, page, filters, workers,
                                                                bounds)
            assert took > 0 and sql > 0 and cpu > 0, label  # every page reads with SQL
            if label == "all events":
                assert (analytics > 0) == (page not in ("articles", "timeline"))
                assert Counted.started - before == PREFETCHES[page]
    finally:
        con.close()


def test_the_data_part_prints_every_page_per_filter_change(bench_app, demo_store, capsys):
    bench_app.bench_data(demo_store, repeat=1)
    out = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(out) if line.strip().startswith("per change"))
    assert all(label in out[header] for label, _ in bench_app.CHANGES)
    rows = {line.split()[0]: line.split()[1:] for line in out[header + 1:header + 7]}
    assert list(rows) == list(bench_app.PAGES)
    for times in rows.values():
        assert len(times) == len(bench_app.CHANGES) and all(float(t) > 0 for t in times)
