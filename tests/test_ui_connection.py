"""`dashboard.ui.connection`: a cached call started on a worker (`prefetch`) is computed once,
and the page's own call gets that result; an error is left for the page's call to raise;
evidence cards are prefetched with their mentions. The connection follows the store file across
an ingest's replacement."""

from __future__ import annotations

import shutil
import threading

import pytest
import streamlit as st

from dashboard import queries
from dashboard.queries import Filters
from dashboard.ui import connection
from dashboard.ui.connection import fetch, identify, prefetch, prefetch_cards


def test_the_pages_call_waits_for_the_prefetch_and_gets_its_result():
    started, page_calling, runs = threading.Event(), threading.Event(), []

    @st.cache_data(show_spinner=False)
    def slow(x: int) -> tuple[int, str]:
        runs.append(threading.current_thread().name)
        started.set()
        # Still computing when the page asks (or done just before): either way the page's
        # call must get this result, not compute its own.
        assert page_calling.wait(10), "the page never called"
        return x * 2, threading.current_thread().name

    prefetch(slow, 21)
    assert started.wait(10), "the prefetch never started"
    page_calling.set()
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


def test_results_follow_the_store_file_when_an_ingest_replaces_it(app_store, demo_store,
                                                                  tmp_path):
    served = tmp_path / "atlas.duckdb"
    shutil.copy(app_store, served)
    first = identify(served)
    small = fetch(queries.edge_summary(Filters()), first)
    assert len(small) == 7
    replacement = tmp_path / "replacement.duckdb"
    shutil.copy(demo_store, replacement)
    replacement.replace(served)  # what an ingest does: a new file renamed over the served one
    second = identify(served)
    assert second != first
    assert len(fetch(queries.edge_summary(Filters()), second)) > len(small)


def test_evidence_cards_are_prefetched_with_their_mentions(demo_store, monkeypatch):
    st.cache_data.clear()
    identity = identify(demo_store)
    ran, mentions_read = [], threading.Event()
    run = queries.run

    def recording(con, query):  # the real query, noting which thread ran which
        out = run(con, query)
        ran.append((threading.current_thread().name, "FROM mentions" in query[0]
                    or "JOIN mentions" in query[0]))
        if ran[-1][1]:
            mentions_read.set()
        return out

    monkeypatch.setattr(connection.queries, "run", recording)
    prefetch_cards(connection.strongest_evidence, Filters(), 10, identity, identity=identity)
    assert mentions_read.wait(30), "the worker never read the cards' mentions"
    assert [thread.startswith("atlas-prefetch") for thread, _ in ran] == [True, True]
    rows = connection.strongest_evidence(Filters(), 10, identity)
    marked = connection.mentions(rows["article_id"], identity)
    assert len(ran) == 2, "the page read again what the worker had read"
    con = queries.connect(demo_store)
    expected = run(con, queries.mentions_in(sorted(set(rows["article_id"])))).dropna(
        subset=["start_offset", "end_offset"])
    con.close()
    assert len(expected) and sum(map(len, marked.values())) == len(expected)
