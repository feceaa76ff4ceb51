"""The bundled demo corpus is the demo and also test data: it must ingest cleanly and cover
what the README promises."""

import datetime as dt
from pathlib import Path

import pytest

from dashboard.loaders import discover, read_records
from dashboard.registry import Registry
from dashboard.store import connect_read_only, ingest

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
REG = Registry.load()


@pytest.fixture(scope="module")
def articles():
    files, errors = discover([DEMO])
    assert errors == []
    records = [r for f in files for r in read_records(f)]
    assert all(r.article for r in records), [e for r in records for e in r.errors]
    return [r.article for r in records]


def test_size_span_and_breadth(articles):
    assert len(articles) >= 80
    assert len({a.id for a in articles}) == len(articles)
    dates = [a.published for a in articles]
    assert min(dates) <= dt.date(2022, 3, 1) and max(dates) >= dt.date(2025, 4, 1)
    assert max(dates) <= dt.date(2025, 7, 31)
    actors = {x for a in articles for r in a.relations for x in (r.source, r.target)}
    assert len(actors) >= 40


def test_file_names_are_ids(articles):
    assert sorted(p.stem for p in DEMO.glob("*.json")) == sorted(a.id for a in articles)


def test_every_mention_surface_resolves_to_its_actor(articles):
    wrong = []
    for a in articles:
        for m in a.mentions:
            actor = REG.try_resolve(m.text, a.published)
            if actor is None or actor.id != m.actor:
                wrong.append((a.id, m.text, m.actor))
    assert wrong == []


def test_publishers_are_the_fictional_demo_outlets(articles):
    assert {a.publisher for a in articles} <= {"Atlas Wire", "Meridian Review", "Harbour Post",
                                               "Northline Daily", "Capital Ledger",
                                               "Eastern Dispatch"}
    assert all(a.url is None or a.url.startswith("https://example.org/") for a in articles)


def test_demo_ingests_with_no_rejection(tmp_path: Path):
    db = tmp_path / "demo.duckdb"
    report = ingest([DEMO], db)
    assert report.ok and report.added >= 80
    con = connect_read_only(db)

    def has(source, target, relation, on=None):
        sql = "SELECT count(*) FROM edges WHERE source = ? AND target = ? AND relation = ?"
        params = [source, target, relation]
        if on:
            sql += " AND date = ?"
            params.append(on)
        return con.execute(sql, params).fetchone()[0] > 0

    # The stories the README promises, spot-checked.
    assert has("PRK", "RUS", "alliance", dt.date(2024, 6, 19))  # the Pyongyang treaty
    assert has("USA", "PRK", "condemnation")  # the US response (the seed story)
    assert has("FIN", "NATO", "alliance", dt.date(2023, 4, 4))
    assert has("RUS", "UKR", "attack")
    assert has("ECOWAS", "NER", "sanction")
    assert has("IND", "CAN", "condemnation")
    weights = dict(con.execute(
        "SELECT relation, max(statements) FROM edges GROUP BY relation").fetchall())
    assert max(weights.values()) >= 2  # some facts are stated twice in one article
