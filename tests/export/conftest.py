"""Fixtures for the export tests: one demo-store connection and its loaded views."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from dashboard.export import data as export_data
from dashboard.export.view import ExportView, Period

MADE = dt.date(2025, 6, 1)
PERIOD_A = Period(dt.date(2022, 1, 1), dt.date(2022, 12, 31))
PERIOD_B = Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "render: renders images with kaleido and Debian's Chromium "
                   "(select with -m render)")


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which("chromium") and not shutil.which("chromium-browser"):
        pytest.skip("Debian's chromium is not installed")


@pytest.fixture(scope="session")
def con(demo_store):
    connection = export_data.open_store(demo_store)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def network(con):
    return export_data.load(con, ExportView())


@pytest.fixture(scope="session")
def compared(con):
    return export_data.load(con, ExportView(period_a=PERIOD_A, period_b=PERIOD_B))
