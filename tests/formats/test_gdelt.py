import datetime as dt

import pytest

from dashboard.errors import InputError
from dashboard.formats import gdelt
from dashboard.loaders import Prepared, Skipped
from dashboard.store import connect_read_only, ingest_records
from tests.formats.paths import FIXTURES

SAMPLE = FIXTURES / "gdelt" / "gdelt2-sample.export.tsv"
V1 = FIXTURES / "gdelt" / "20191024.export.CSV"
BROKEN = FIXTURES / "gdelt" / "broken-lines.export.tsv"


def _split(path):
    items = list(gdelt.read(path))
    prepared = [i for i in items if isinstance(i, Prepared)]
    skipped = {i.reason: i.count for i in items if isinstance(i, Skipped)}
    errors = [i for i in items if isinstance(i, InputError)]
    return prepared, skipped, errors


def test_real_rows_map_to_machine_coded_edges():
    prepared, skipped, errors = _split(SAMPLE)
    assert errors == []
    edges = {p.article[0]: p.edges[0] for p in prepared}
    # EventRootCode 03 (intent to cooperate) CHN -> BRA: symmetric, stored in sorted order
    coop = edges["gdelt-881990861"]
    assert coop[1:6] == ("BRA", "CHN", "cooperation", "cooperative", False)
    assert edges["gdelt-881991161"][1:4] == ("BLR", "LTU", "condemnation")
    assert edges["gdelt-881991443"][1:4] == ("DEU", "SYR", "sanction")
    assert edges["gdelt-881992240"][1:4] == ("MYS", "PAK", "threat")
    assert edges["gdelt-881991918"][1:4] == ("IRL", "GBR", "attack")
    assert edges["gdelt-881991513"][1:4] == ("ESP", "ARE", "support")
    assert {e[18] for e in edges.values()} == {"machine"}
    # every edge records the PLOVER event type of its CAMEO root, and the root
    assert coop[20:22] == ("agree", "03")
    assert edges["gdelt-881991918"][20] in {"coerce", "assault", "fight"}
    assert skipped == {gdelt.SKIP_NOT_STATES: 3, gdelt.SKIP_SAME_STATE: 1}


def test_roots_08_09_14_import_through_the_taxonomy_mapping():
    # yield (08), investigate (09, PLOVER's accuse) and protest (14) between two states
    path = FIXTURES / "gdelt" / "yield-investigate-protest.export.tsv"
    prepared, skipped, errors = _split(path)
    assert errors == []
    edges = {p.article[0]: p.edges[0] for p in prepared}
    assert edges["gdelt-900000801"][1:5] == ("DEU", "SYR", "support", "cooperative")
    assert edges["gdelt-900000801"][20:22] == ("yield", "08")
    assert edges["gdelt-900000902"][1:5] == ("DEU", "SYR", "condemnation", "hostile")
    assert edges["gdelt-900000902"][20:22] == ("accuse", "09")
    assert edges["gdelt-900001403"][1:4] == ("DEU", "SYR", "condemnation")
    assert edges["gdelt-900001403"][20:22] == ("protest", "14")
    # a QuadClass other than the one CAMEO gives the root is still a contradiction
    assert skipped == {gdelt.SKIP_QUAD: 1}


def test_event_article_keeps_url_goldstein_and_counts():
    prepared, _, _ = _split(SAMPLE)
    event = next(p for p in prepared if p.article[0] == "gdelt-881991443")
    article_id, title, published, publisher, url, text = event.article[:6]
    assert title.startswith("GDELT event 881991443: Reduce relations (16")
    assert published == dt.date(2019, 10, 24) and url.startswith("http")
    assert publisher in url and event.article[-1] == "gdelt"
    edge = event.edges[0]
    assert edge[8] == text and (edge[9], edge[10]) == (0, len(text))
    assert text[edge[13]:edge[14]] == "Germany" and text[edge[15]:edge[16]] == "Syria"
    (table, row), = event.extra
    assert table == "gdelt_events" and row[1] == 881991443 and row[3] == "16"
    assert isinstance(row[5], float) and isinstance(row[8], int) and row[-1] == "2.0"


def test_gdelt_1_daily_files_are_read_by_their_column_count():
    v2, _, _ = _split(SAMPLE)
    v1, skipped, errors = _split(V1)
    assert errors == [] and len(v1) == len(v2)
    assert [p.edges[0][1:4] for p in v1] == [p.edges[0][1:4] for p in v2]
    assert {p.extra[0][1][-1] for p in v1} == {"1.0"}


def test_broken_lines_are_reported_and_the_rest_loads():
    prepared, skipped, errors = _split(BROKEN)
    assert len(prepared) == 4
    assert skipped == {gdelt.SKIP_DUPLICATE: 1}
    where = {(e.record.split(" (")[0], e.field) for e in errors}
    assert where == {("line 2", None), ("line 4", "SQLDATE"), ("line 6", "GoldsteinScale")}
    assert all(e.file.endswith("broken-lines.export.tsv") for e in errors)
    assert "60 fields" in str(next(e for e in errors if e.field is None))


def test_duplicates_across_files_are_dropped():
    seen: set[int] = set()
    first = [i for i in gdelt.read(SAMPLE, seen=seen) if isinstance(i, Prepared)]
    again = list(gdelt.read(SAMPLE, seen=seen))
    assert first and not any(isinstance(i, Prepared) for i in again)
    assert sum(i.count for i in again if isinstance(i, Skipped)
               and i.reason == gdelt.SKIP_DUPLICATE) == 10


def test_not_a_gdelt_file(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\tc\n")
    (error,) = list(gdelt.read(path))
    assert "3 tab-separated columns" in str(error)


@pytest.mark.parametrize("sources, articles, expected", [
    (1, 1, 0.4), (1, 8, 0.55), (2, 1, 0.55), (5, 100, 0.95), (0, 0, 0.4)])
def test_confidence_grows_with_sources_and_articles(sources, articles, expected):
    assert gdelt.confidence(sources, articles) == pytest.approx(expected)


def test_ingest_is_idempotent_and_keeps_gdelt_columns(tmp_path):
    db = tmp_path / "s.duckdb"
    report = ingest_records(gdelt.read(BROKEN), db)
    assert (report.added, report.rejected_records, report.skipped[gdelt.SKIP_DUPLICATE]) == \
        (4, 3, 1)
    assert "skipped 1 rows: 1 repeated GLOBALEVENTIDs" in report.summary()
    again = ingest_records(gdelt.read(BROKEN), db)
    assert (again.added, again.unchanged) == (0, 4)
    con = connect_read_only(db)
    assert con.execute("SELECT count(*), count(DISTINCT origin) FROM articles").fetchone() == \
        (4, 1)
    row = con.execute("SELECT g.goldstein, g.num_articles, e.annotator FROM gdelt_events g "
                      "JOIN edges e USING (article_id) WHERE g.event_id = 881991161").fetchone()
    assert row[1] > 0 and row[2] == "machine" and isinstance(row[0], float)


def test_events_dated_outside_the_plausible_span_are_named_and_the_rest_loads():
    prepared, _, errors = _split(FIXTURES / "gdelt" / "implausible-dates.export.tsv")
    assert [p.article[0] for p in prepared] == ["gdelt-881990861"]
    assert {(e.record.split(" (")[0], e.field) for e in errors} == {
        ("line 1", "SQLDATE"), ("line 2", "SQLDATE")}
    assert "'30000101' is outside the plausible span" in str(errors[0])
    assert "'10661014'" in str(errors[1])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_a_byte_order_mark_is_honoured(tmp_path, encoding):
    path = tmp_path / "resaved.export.tsv"
    path.write_text(SAMPLE.read_text(encoding="utf-8"), encoding=encoding)
    prepared, _, errors = _split(path)
    expected, _, _ = _split(SAMPLE)
    assert errors == []
    assert [p.edges[0][1:4] for p in prepared] == [p.edges[0][1:4] for p in expected]
