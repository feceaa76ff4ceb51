"""The treaty-disagreement queries on a tiny hand-built store with a known answer."""

import datetime as dt

import pandas as pd
import pytest

from dashboard import treaty_queries
from dashboard.loaders import Record, TreatySet
from dashboard.models import Article
from dashboard.queries import Filters
from dashboard.store import connect_read_only, ingest_records

D = dt.date
TEXT = "Ankara condemned Washington. Beijing threatened Washington. Berlin hit Washington."


def _article(aid: str, day: dt.date, relations: list[tuple[str, str, str]],
             annotator: str = "human") -> Record:
    spans = {"TUR": (0, 28), "CHN": (29, 59), "DEU": (60, 82)}
    article = Article.model_validate({
        "id": aid, "title": aid, "published": day, "publisher": "Wire",
        "url": f"https://example.org/{aid}", "text": TEXT,
        "relations": [{"source": s, "target": t, "relation": r, "annotator": annotator,
                       "evidence": dict(zip(("start", "end"), spans[s], strict=True))}
                      for s, t, r in relations]})
    return Record("test", aid, article)


def _pair(a, b, start, end, treaty="3180", defense=True):
    return ("ATOP 4.01", treaty, 2, a, b, start, end, defense, False, False, True, True, "t")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("treaty") / "s.duckdb"
    items = [
        # allies in force: reported
        _article("a1", D(2020, 5, 1), [("TUR", "USA", "condemnation")]),
        _article("a2", D(2021, 1, 1), [("TUR", "USA", "sanction")], annotator="machine"),
        # not allies: not reported
        _article("a3", D(2020, 5, 1), [("CHN", "USA", "threat")]),
        # allies, but before the treaty bound them: not reported
        _article("a4", D(1950, 1, 1), [("DEU", "USA", "attack")]),
        # allies and cooperative: not a disagreement
        _article("a5", D(2020, 6, 1), [("TUR", "USA", "cooperation")]),
        TreatySet("ATOP 4.01", "t", [
            _pair("TUR", "USA", D(1952, 2, 18), None),
            _pair("TUR", "USA", D(1960, 1, 1), None, treaty="9999", defense=False),
            _pair("DEU", "USA", D(1955, 5, 6), None),
            _pair("CHN", "RUS", D(2001, 7, 16), D(2021, 2, 1), treaty="4000")]),
    ]
    assert ingest_records(items, db).ok
    return db


def _run(db, query):
    con = connect_read_only(db)
    try:
        sql, params = query
        return con.execute(sql, params).fetchdf()
    finally:
        con.close()


def test_hostile_edges_between_allies_in_force(store):
    rows = _run(store, treaty_queries.treaty_conflicts())
    assert list(zip(rows.article_id, rows.relation, strict=True)) == [
        ("a2", "sanction"), ("a1", "condemnation")]
    first = rows.iloc[1]
    assert first.treaties == "ATOP 4.01 3180, ATOP 4.01 9999"
    assert bool(first.defense) and first.url == "https://example.org/a1"
    assert first.evidence == "Ankara condemned Washington."


def test_filters_apply_to_the_news_edges(store):
    machine_only = Filters(annotators=("human",))
    rows = _run(store, treaty_queries.treaty_conflicts(machine_only))
    assert list(rows.article_id) == ["a1"]
    cooperative = Filters(stances=("cooperative",))
    assert _run(store, treaty_queries.treaty_conflicts(cooperative)).empty
    only_2021 = Filters(date_from=D(2021, 1, 1))
    assert list(_run(store, treaty_queries.treaty_conflicts(only_2021))
                .article_id) == ["a2"]


def test_counts_and_an_actor_filter(store):
    assert _run(store, treaty_queries.treaty_counts()).values.tolist() == [["ATOP 4.01", 4, 3]]
    assert len(_run(store, treaty_queries.treaty_conflicts(Filters(actors=("TUR",))))) == 2
    assert _run(store, treaty_queries.treaty_conflicts(Filters(actors=("CHN",)))).empty


def test_pairs_summary(store):
    pairs = _run(store, treaty_queries.conflict_pairs())
    assert pairs.to_dict("records")[0] == {
        "actor_a": "TUR", "actor_b": "USA", "hostile_edges": 2, "articles": 2,
        "machine_coded": 1, "relations": "condemnation, sanction", "first": pd_ts(2020, 5, 1),
        "last": pd_ts(2021, 1, 1), "treaties": "ATOP 4.01 3180, ATOP 4.01 9999"}


def pd_ts(y, m, d):
    return pd.Timestamp(y, m, d)


def test_treaties_in_force_in_the_period(store):
    period = Filters(date_from=D(2021, 6, 1), date_to=D(2021, 12, 31))
    rows = _run(store, treaty_queries.treaties_in_force(period))
    assert sorted(zip(rows.member_a, rows.member_b, rows.treaty_id, strict=True)) == [
        ("DEU", "USA", "3180"), ("TUR", "USA", "3180"), ("TUR", "USA", "9999")]
    chinese = Filters(actors=("CHN",), date_to=D(2010, 1, 1))
    assert list(_run(store, treaty_queries.treaties_in_force(chinese))
                .treaty_id) == ["4000"]
