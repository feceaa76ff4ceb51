import datetime as dt

import pytest

from dashboard.errors import InputError
from dashboard.formats import alliances, statecodes
from dashboard.loaders import Skipped, TreatySet
from dashboard.store import connect_read_only, ingest_records
from tests.formats.paths import FIXTURES

ATOP = FIXTURES / "atop" / "atop4.01-sample.csv"


def _read(path):
    items = list(alliances.read(path))
    (treaties,) = [i for i in items if isinstance(i, TreatySet)]
    skipped = {i.reason: i.count for i in items if isinstance(i, Skipped)}
    return treaties, skipped, [i for i in items if isinstance(i, InputError)]


@pytest.mark.parametrize("number, iso", [
    (2, "USA"), (200, "GBR"), (365, "RUS"), (640, "TUR"), (255, "DEU"), (260, "DEU"),
    (316, "CZE"), (345, "SRB"), (679, "YEM"), (816, "VNM"), (970, "NRU"), (946, "KIR"),
    (245, None), (300, None), (817, None), (265, None)])
def test_state_numbers_map_to_iso3(number, iso):
    assert statecodes.iso3(number) == iso


def test_pairs_per_phase_with_dates_and_obligations():
    treaties, skipped, errors = _read(ATOP)
    assert errors == [] and treaties.source == "ATOP 4.01"
    rows = {(r[1], r[2], r[3], r[4], r[5]): r for r in treaties.rows}
    phase1 = [r for r in treaties.rows if (r[1], r[2]) == ("3180", 1)]
    assert sorted((r[3], r[4]) for r in phase1) == [("CAN", "GBR"), ("CAN", "USA"),
                                                     ("GBR", "USA")]
    assert {(r[5], r[6]) for r in phase1} == {(dt.date(1949, 4, 4), dt.date(1951, 6, 19))}
    # phase 2: five states in force, West Germany until reunification, Germany after
    phase2 = [r for r in treaties.rows if (r[1], r[2]) == ("3180", 2)]
    assert len(phase2) == 20
    tur_usa = rows[("3180", 2, "TUR", "USA", dt.date(1951, 10, 22))]
    assert tur_usa[6] is None  # still in force
    assert tur_usa[7:12] == (True, False, False, True, True)  # defence, nonagg, consult
    assert rows[("3180", 2, "DEU", "USA", dt.date(1954, 10, 23))][6] == dt.date(1990, 10, 3)
    assert rows[("3180", 2, "DEU", "USA", dt.date(1990, 10, 3))][6] is None
    assert not any(r[3] == r[4] for r in treaties.rows)
    # Bavaria and Austria-Hungary have no ISO code: Prussia is left without a partner
    assert not any(r[1] == "1020" for r in treaties.rows)
    assert skipped == {alliances.SKIP_UNMAPPED: 2}


def test_cow_by_member_and_by_dyad():
    member, _, errors = _read(FIXTURES / "atop" / "cow-by-member.csv")
    assert errors == [] and member.source == "COW 4.1"
    pairs = {(r[1], r[3], r[4]): r for r in member.rows}
    assert set(pairs) == {("9001", "CAN", "GBR"), ("9001", "CAN", "USA"),
                          ("9001", "GBR", "USA"), ("9002", "CHN", "RUS")}
    assert pairs[("9001", "CAN", "USA")][6] is None  # right-censored: in force
    assert pairs[("9001", "GBR", "USA")][5:7] == (dt.date(1995, 3, 15), dt.date(2000, 12, 31))
    assert pairs[("9002", "CHN", "RUS")][7:12] == (False, False, False, True, True)
    dyad, skipped, _ = _read(FIXTURES / "atop" / "cow-by-dyad.csv")
    assert [(r[3], r[4], r[6]) for r in dyad.rows] == [("PRK", "RUS", None)]
    assert skipped == {alliances.SKIP_UNMAPPED: 1}


def test_bad_rows_are_reported_and_the_rest_loads():
    treaties, _, errors = _read(FIXTURES / "atop" / "bad-date.csv")
    assert {(e.record, e.field) for e in errors} == {("line 3", "yrent"), ("line 4", "dayent")}
    assert "30 is not a day of 1990-02" in str(next(e for e in errors if e.record == "line 4"))
    assert {(r[3], r[4]) for r in treaties.rows} == {("TUR", "USA")}


def test_ingest_replaces_a_dataset_and_skips_it_when_unchanged(tmp_path):
    db = tmp_path / "s.duckdb"
    report = ingest_records(alliances.read(ATOP), db)
    assert report.treaty_pairs == 23 and report.ok
    again = ingest_records(alliances.read(ATOP), db)
    assert again.treaty_sets_unchanged == 1 and again.treaty_pairs == 0
    con = connect_read_only(db)
    assert con.execute("SELECT count(*) FROM treaties").fetchone() == (23,)
