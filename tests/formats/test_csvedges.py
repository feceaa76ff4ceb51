import datetime as dt

import pytest

from dashboard.formats import csvedges
from dashboard.formats.meta import Defaults
from tests.formats.paths import FIXTURES

BAD = FIXTURES / "csv" / "bad"


def test_rows_become_one_article_each_with_names_resolved_later():
    records = list(csvedges.read(FIXTURES / "csv" / "edges.csv", Defaults()))
    assert [r.errors for r in records] == [(), (), ()]
    ev, finland, attack = (r.article for r in records)
    assert ev.relations[0].source == "United States"  # resolved by the registry at ingest
    assert (ev.publisher, ev.url, ev.published) == ("Example Wire", "https://example.org/ev",
                                                    dt.date(2024, 5, 14))
    # the sidecar's publisher fills in before the URL's host would
    assert finland.publisher == "Fallback Desk"
    assert attack.text == "Russia Attack Ukraine." and attack.relations[0].relation.value == \
        "attack"


def test_ids_follow_content_not_position(tmp_path):
    src = (FIXTURES / "csv" / "edges.csv").read_text().splitlines()
    (tmp_path / "e.csv").write_text("\n".join([src[0], *reversed(src[1:])]) + "\n")
    (tmp_path / "e.csv.meta.yaml").write_text("publisher: Fallback Desk\n")
    one = {r.article.id for r in csvedges.read(FIXTURES / "csv" / "edges.csv", Defaults())}
    two = {r.article.id for r in csvedges.read(tmp_path / "e.csv", Defaults())}
    assert one == two and len(one) == 3


@pytest.mark.parametrize("name, record, field, words", [
    ("bad_header", "line 1", "header", "source, target and relation"),
    ("unknown_actor", "line 2", "source", "'Atlantis' names no actor"),
    ("bad_date", "line 2", "published", "not a YYYY-MM-DD date"),
    ("bad_relation", "line 2", "relation", "'hug' is not one of"),
    ("short_row", "line 2", None, "number of fields"),
    ("empty_target", "line 2", "target", "is empty"),
])
def test_bad_input_names_file_line_and_field(name, record, field, words):
    records = list(csvedges.read(BAD / f"{name}.csv", Defaults()))
    bad = records[0]
    assert bad.article is None
    error = bad.errors[0]
    assert words in str(error) and error.record == record and error.field == field
    assert error.file.endswith(f"{name}.csv")
    if name == "short_row":
        assert records[1].article is not None  # the rest still loads
