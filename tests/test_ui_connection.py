"""`dashboard.ui.connection`: a cached call started on a worker (`prefetch`) is computed once,
and the page's own call gets that result; an error is left for the page's call to raise. The
mention index is read once per store version, and both indexes are started once."""

from __future__ import annotations

import threading
import time

import pytest
import streamlit as st

from dashboard.ui.connection import prefetch


def test_the_pages_call_waits_for_the_prefetch_and_gets_its_result():
    started, runs = threading.Event(), []

    @st.cache_data(show_spinner=False)
    def slow(x: int) -> tuple[int, str]:
        runs.append(threading.current_thread().name)
        started.set()
        time.sleep(0.3)  # long enough for the call below to arrive while this one runs
        return x * 2, threading.current_thread().name

    prefetch(slow, 21)
    assert started.wait(10), "the prefetch never started"
    value, thread = slow(21)
    assert value == 42
    assert thread.startswith("atlas-prefetch"), "computed by the page, not by the worker"
    assert runs == [thread], "computed twice"


def test_a_failing_prefetch_is_raised_by_the_pages_own_call():
    done, calls = threading.Event(), []

    @st.cache_data(show_spinner=False)
    def broken(x: int) -> int:
        calls.append(x)
        done.set()
        raise ValueError(f"no value for {x}")

    prefetch(broken, 1)  # returns at once, raises nothing
    assert done.wait(10)
    with pytest.raises(ValueError, match="no value for 1"):
        broken(1)
    assert calls == [1, 1], "an error is not cached: the page's call computes again"


def test_the_mention_index_is_read_once_per_store_version(demo_store, tmp_path):
    import shutil

    from dashboard.ui.connection import identify, mention_index

    copy = tmp_path / "atlas.duckdb"
    shutil.copy(demo_store, copy)
    first = identify(copy)
    index = mention_index(first)
    assert len(index) > 500
    assert mention_index(first) is index, "read again for the same store"
    replaced = tmp_path / "replaced.duckdb"
    shutil.copy(demo_store, replaced)
    replaced.replace(copy)  # what an ingest does: a new file renamed over the served one
    second = identify(copy)
    assert second != first
    assert mention_index(second) is not index


def test_the_indexes_are_started_once_per_store_version(demo_store, tmp_path, monkeypatch):
    # Every script run asks; only the first run of a store version queues the three reads.
    import shutil

    from dashboard.ui import connection

    started = []
    monkeypatch.setattr(connection, "prefetch", lambda compute, *args: started.append(compute))
    copy = tmp_path / "atlas.duckdb"
    shutil.copy(demo_store, copy)
    identity = connection.identify(copy)
    for _ in range(3):
        connection.start_indexes(identity)
    assert started == [connection.mention_index, connection.period_index,
                       connection.evidence_index]
