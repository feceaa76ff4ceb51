"""Query builders: the SQL shape without a store, then the results on the fixture store."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import article_queries, queries, rollups
from dashboard.errors import FilterError
from dashboard.queries import Filters

D = dt.date
INJECTION = "USA') OR 1=1 --"


@pytest.fixture(scope="module")
def con(app_store):
    c = queries.connect(app_store)
    yield c
    c.close()


@pytest.mark.parametrize("kwargs, message", [
    ({"relations": ("friendship",)}, "unknown relation type 'friendship'"),
    ({"date_from": D(2024, 3, 1), "date_to": D(2024, 1, 1)}, "the date range is empty"),
    ({"min_weight": 0}, "at least 1"),
    ({"min_weight": True}, "at least 1"),
    ({"date_from": "2024-01-01"}, "must be a date"),
    ({"stances": ("friendly",)}, "unknown stance 'friendly'"),
    ({"min_confidence": 1.5}, "between 0 and 1"),
    ({"min_confidence": True}, "between 0 and 1"),
    ({"events": ("hugging",)}, "unknown event type 'hugging'"),
])
def test_invalid_filters_raise_filter_error(kwargs, message):
    with pytest.raises(FilterError, match=message):
        Filters(**kwargs)


def test_filters_are_hashable_and_normalise_lists():
    f = Filters(relations=["attack"], actors=["USA"])
    assert f.relations == ("attack",) and f.actors == ("USA",)
    assert hash(f) == hash(Filters(relations=("attack",), actors=("USA",)))


FILTER_CASES = [
    (Filters(), []),
    (Filters(date_from=D(2024, 1, 1)), [D(2024, 1, 1)]),
    (Filters(date_to=D(2024, 2, 1)), [D(2024, 2, 1)]),
    (Filters(relations=("attack", "threat")), ["attack", "threat"]),
    (Filters(stances=("hostile",)), ["condemnation", "sanction", "threat", "attack"]),
    (Filters(relations=("attack", "alliance"), stances=("cooperative",)), ["alliance"]),
    (Filters(actors=("USA",)), ["USA"]),
    (Filters(actors=(INJECTION,)), [INJECTION]),
    (Filters(publishers=(INJECTION,)), [INJECTION]),
    (Filters(annotators=("auto",), min_confidence=0.5), ["auto", 0.5]),
    (Filters(events=("agree", "aid")), ["agree", "aid"]),
    (Filters(D(2024, 1, 1), D(2024, 2, 1), ("sanction",), ("JPN", "PRK")),
     [D(2024, 1, 1), D(2024, 2, 1), "sanction", "JPN", "PRK"]),
]


@pytest.mark.parametrize("filters, where_params", FILTER_CASES)
@pytest.mark.parametrize("builder", [queries.edge_summary, queries.timeline, queries.evidence,
                                     article_queries.article_search],
                         ids=["edge_summary", "timeline", "evidence", "article_search"])
def test_filter_values_travel_only_as_parameters(builder, filters, where_params):
    sql, params = builder(filters)
    assert sql.count("?") == len(params)
    for value in where_params:
        if isinstance(value, str):
            assert value not in sql
            assert value in params
    assert "1=1" not in sql


def test_summary_repeats_the_where_parameters_for_both_fact_tables():
    f = Filters(relations=("sanction",), actors=("JPN",), min_weight=2,
                publishers=("AP",))
    sql, params = queries.edge_summary(f)
    where = ["sanction", "JPN", "JPN", "AP"]  # an actor is matched at either end
    assert params == [*where, *where, 2]
    assert "multi_facts" in sql and "count(DISTINCT f.art)" in sql


@pytest.mark.parametrize("span, months", [
    ((D(2024, 1, 1), D(2024, 3, 31)), (D(2024, 1, 1), D(2024, 4, 1))),
    ((D(2024, 1, 15), D(2024, 3, 10)), (D(2024, 2, 1), D(2024, 3, 1))),
    ((D(2024, 12, 31), D(2025, 2, 28)), (D(2025, 1, 1), D(2025, 3, 1))),
    ((D(2024, 2, 3), D(2024, 2, 20)), (D(2024, 2, 3), D(2024, 2, 3))),  # no whole month
    ((D(2024, 1, 31), D(2024, 2, 28)), (D(2024, 1, 31), D(2024, 1, 31))),  # leap year: no
    ((None, D(2024, 2, 10)), (dt.date.min, D(2024, 2, 1))),
    ((D(2024, 2, 10), None), (D(2024, 3, 1), dt.date.max)),
])
def test_whole_months_inside_a_date_range(span, months):
    assert queries._whole_months(Filters(date_from=span[0], date_to=span[1])) == months


def test_a_date_range_counts_whole_months_from_edge_months_and_its_ends_from_facts():
    sql, params = queries.edge_summary(Filters(date_from=D(2024, 1, 15), date_to=D(2024, 3, 10),
                                               relations=("sanction",)))
    assert "FROM edge_months m" in sql and sql.count("?") == len(params)
    assert params[:3] == [D(2024, 2, 1), D(2024, 3, 1), "sanction"]
    assert params[3:6] == [D(2024, 1, 15), D(2024, 2, 1), "sanction"]
    assert params[6:9] == [D(2024, 3, 1), D(2024, 3, 10), "sanction"]
    # Any other row filter counts every row in `facts`.
    sql, _ = queries.edge_summary(Filters(date_from=D(2024, 1, 15), annotators=("auto",)))
    assert "edge_months" not in sql


def test_filters_on_whole_edges_read_the_precomputed_tables():
    f = Filters(relations=("sanction",), actors=("JPN",), min_weight=2)
    sql, params = queries.edge_summary(f)
    assert params == ["sanction", "JPN", "JPN", 2]
    assert "FROM whole_edges x WHERE" in sql and "facts" not in sql
    # One table, no join and no subquery: the stored heaviest-first order is the result's.
    assert " JOIN " not in sql and "SELECT" not in sql[sql.index("WHERE"):]
    sql, _ = queries.evidence(f, 10, involving="JPN", strongest=True)
    assert "edge_best" in sql and "FROM facts" not in sql
    for freq, table in (("month", "edge_months"), ("year", "edge_months"), ("week", "facts")):
        sql, _ = queries.timeline(f, freq, involving="JPN")
        assert f"FROM {table} f" in sql


# Filters that keep every row of the edges they keep, and the same with a row filter that
# removes nothing (a date range wider than the store), which takes the path through `facts`.
WHOLE_EDGES = [Filters(), Filters(stances=("hostile",)), Filters(actors=("USA", "RUS")),
               Filters(relations=("alliance", "condemnation"), min_weight=2),
               Filters(min_weight=3)]


@pytest.fixture(scope="module")
def every_publisher(con) -> tuple[str, ...]:
    # A publisher filter naming them all removes no row but takes the path through `facts`.
    return tuple(queries.run(con, queries.publisher_list())["publisher"])


@pytest.mark.parametrize("f", WHOLE_EDGES, ids=["all", "hostile", "actors", "relations", "min3"])
def test_precomputed_tables_match_the_rows(con, every_publisher, f):
    through_rows = f.replace(publishers=every_publisher)
    fast = queries.run(con, queries.edge_summary(f))
    assert not fast.empty or f.min_weight > 1
    pd.testing.assert_frame_equal(fast, queries.run(con, queries.edge_summary(through_rows)))
    pd.testing.assert_frame_equal(
        queries.run(con, queries.edge_summary(f, involving="USA")),
        queries.run(con, queries.edge_summary(through_rows, involving="USA")))
    for kwargs in ({}, {"involving": "USA"}, {"involving": "USA", "relation": "condemnation"}):
        pd.testing.assert_frame_equal(
            queries.run(con, queries.evidence(f, 12, strongest=True, **kwargs)),
            queries.run(con, queries.evidence(through_rows, 12, strongest=True, **kwargs)))
    for freq in ("month", "quarter", "year"):
        for kwargs in ({}, {"involving": "USA"}, {"pair": ("USA", "RUS")}):
            pd.testing.assert_frame_equal(
                queries.run(con, queries.timeline(f, freq, **kwargs)),
                queries.run(con, queries.timeline(through_rows, freq, **kwargs)))


def test_stance_and_relations_that_exclude_each_other_match_nothing():
    f = Filters(relations=("attack",), stances=("cooperative",))
    assert f.effective_relations() == ()
    sql, params = queries.edge_summary(f)
    assert "FALSE" in sql


@pytest.mark.parametrize("builder", ["actors_in_edges", "date_bounds", "overview_counts",
                                     "publishers", "annotators", "relation_counts",
                                     "publisher_list", "annotator_list"])
def test_unfiltered_builders_take_no_parameters(builder):
    sql, params = getattr(queries, builder)()
    assert params == [] and "?" not in sql


@pytest.mark.parametrize("call", [lambda: queries.timeline(Filters(), "fortnight"),
                                  lambda: queries.evidence(Filters(), 0),
                                  lambda: queries.evidence(Filters(), relation="friendship"),
                                  lambda: article_queries.article_search(Filters(), limit=0)])
def test_bad_period_or_limit_is_a_filter_error(call):
    with pytest.raises(FilterError):
        call()


# -- on the fixture store -----------------------------------------------------------------------


def test_edge_summary_weights_count_distinct_articles(con):
    df = queries.run(con, queries.edge_summary(Filters()))
    assert len(df) == 7
    top = df.iloc[0]
    assert (top.source, top.target, top.relation) == ("USA", "PRK", "condemnation")
    assert top.weight == 2
    assert (top.source_name, top.target_name) == ("United States", "North Korea")
    assert top.directed and top.stance == "hostile"
    alliance = df[df.relation == "alliance"].iloc[0]
    assert (alliance.source, alliance.target, bool(alliance.directed)) == ("KOR", "USA", False)


@pytest.mark.parametrize("filters, expected", [
    (Filters(), 7),
    (Filters(min_weight=2), 1),
    (Filters(relations=("condemnation",)), 2),
    (Filters(actors=("JPN",)), 1),
    (Filters(actors=("KOR",)), 3),  # source or target
    (Filters(date_from=D(2024, 2, 1)), 4),
    (Filters(date_to=D(2024, 1, 31)), 3),
    (Filters(date_from=D(2024, 2, 1), date_to=D(2024, 2, 28)), 2),
    (Filters(actors=(INJECTION,)), 0),
    (Filters(relations=("attack",)), 0),
    (Filters(stances=("hostile",)), 4),
    (Filters(stances=("cooperative",), actors=("USA",)), 2),
    (Filters(publishers=("Wire One",)), 4),
    (Filters(publishers=(INJECTION,)), 0),
    (Filters(annotators=("human",)), 7),
    (Filters(annotators=("auto",)), 0),
    (Filters(min_confidence=1.0), 7),
    (Filters(events=("agree",)), 0),  # hand annotations of this store record no event type
])
def test_edge_summary_filters(con, filters, expected):
    assert len(queries.run(con, queries.edge_summary(filters))) == expected


def test_timeline_counts_events_per_month_and_honours_min_weight(con):
    df = queries.run(con, queries.timeline(Filters()))
    jan = df[df.period == "2024-01-01"].set_index("relation")["events"].to_dict()
    assert jan == {"condemnation": 2, "cooperation": 1, "sanction": 1}
    assert df["events"].sum() == 8
    strong = queries.run(con, queries.timeline(Filters(min_weight=2)))
    assert strong[["relation", "events"]].values.tolist() == [["condemnation", 2]]


def test_evidence_joins_titles_and_names_and_limits(con):
    df = queries.run(con, queries.evidence(Filters(relations=("condemnation",)), 10))
    assert len(df) == 3
    assert df["date"].is_monotonic_decreasing
    row = df[df.article_id == "fx-001"].iloc[0]
    assert row.title == "Washington condemns Pyongyang missile launch"
    assert row.source == "United States" and row.target == "North Korea"
    assert row.evidence.startswith("The United States condemned")
    assert row.url == "https://example.org/fx-001"
    assert row.evidence == "The United States condemned North Korea on Monday after a missile " \
                           "launch."
    assert 0 <= row.cue_start - row.evidence_start < len(row.evidence)
    assert len(queries.run(con, queries.evidence(Filters(), 2))) == 2
    # evidence follows the edges drawn: min_weight drops the single-article reports
    assert set(queries.run(con, queries.evidence(Filters(min_weight=2)))["article_id"]) == {
        "fx-001", "fx-002"}


def test_store_wide_summaries(con):
    actors = queries.run(con, queries.actors_in_edges())
    assert actors["id"].tolist() == ["JPN", "PRK", "RUS", "KOR", "USA"]  # by display name
    assert actors.set_index("id")["articles"].to_dict() == {
        "JPN": 1, "PRK": 4, "RUS": 1, "KOR": 2, "USA": 4}
    bounds = queries.run(con, queries.date_bounds()).iloc[0]
    assert (bounds.first_date.date(), bounds.last_date.date()) == (D(2024, 1, 15),
                                                                  D(2024, 3, 11))
    counts = queries.run(con, queries.overview_counts()).iloc[0]
    assert (counts.articles, counts.edge_rows, counts.edges, counts.actors,
            counts.publishers) == (4, 8, 7, 5, 3)
    assert queries.run(con, queries.publishers())["articles"].tolist() == [2, 1, 1]
    assert queries.run(con, queries.publisher_list())["publisher"].tolist() == [
        "Daily Ledger", "Evening Post", "Wire One"]
    assert queries.run(con, queries.annotator_list())["annotator"].tolist() == ["human"]
    assert queries.run(con, queries.annotators())["annotator"].tolist() == ["human"]
    assert queries.run(con, queries.relation_counts())["edge_rows"].sum() == 8


def test_weight_counts_an_article_once_even_with_several_event_dates(tmp_path):
    # One article states the same fact for two dates (two edge rows), another states it once:
    # two articles, three events. The rollups count distinct articles exactly.
    import json

    from dashboard.store import ingest
    text = "Japan and South Korea agreed to cooperate. They agreed again a week later."
    folder = tmp_path / "in"
    folder.mkdir()
    for art, dates in (("m-1", ["2024-04-01", "2024-04-08"]), ("m-2", ["2024-04-03"])):
        (folder / f"{art}.json").write_text(json.dumps({
            "id": art, "title": "Patrols", "published": "2024-04-09", "publisher": "Harbour",
            "text": text, "relations": [
                {"source": "JPN", "target": "KOR", "relation": "cooperation", "date": d,
                 "evidence": {"start": 0, "end": 42}} for d in dates]}))
    db = tmp_path / "atlas.duckdb"
    assert ingest([folder], db).ok
    c = queries.connect(db)
    try:
        row = queries.run(c, queries.edge_summary(Filters())).iloc[0]
        assert row.weight == 2
        events = queries.run(c, queries.timeline(Filters(), "week"))
        assert events["events"].sum() == 3
        later = queries.run(c, queries.edge_summary(Filters(date_from=D(2024, 4, 5))))
        assert later.iloc[0].weight == 1  # only m-1's second date is left
        assert queries.run(c, queries.edge_summary(Filters(min_weight=3))).empty
    finally:
        c.close()


def test_pair_involving_and_strongest_evidence(con):
    pair = queries.run(con, queries.evidence(Filters(), 10, pair=("PRK", "USA")))
    assert set(pair["article_id"]) == {"fx-001", "fx-002"}
    mine = queries.run(con, queries.edge_summary(Filters(), involving="RUS"))
    assert sorted(mine["relation"]) == ["condemnation", "support"]
    strongest = queries.run(con, queries.evidence(Filters(), 3, involving="USA",
                                                  strongest=True))
    assert strongest.iloc[0]["relation"] == "condemnation" and len(strongest) == 3
    by_rel = queries.run(con, queries.evidence(Filters(), 10, involving="USA",
                                               relation="alliance"))
    assert by_rel["article_id"].tolist() == ["fx-003"]
    timeline = queries.run(con, queries.timeline(Filters(), "month", pair=("USA", "PRK")))
    assert timeline["events"].sum() == 2


def test_articles_search_read_and_edges(con):
    found = queries.run(con, article_queries.article_search(Filters(), "pyongyang"))
    assert found["id"].tolist() == ["fx-003", "fx-001"]  # "Pyongyang threatens Seoul" too
    assert found.set_index("id")["edges"].to_dict() == {"fx-003": 2, "fx-001": 2}
    assert queries.run(con, article_queries.article_search(Filters(), "100%_")).empty
    assert len(queries.run(con, article_queries.article_search(Filters()))) == 4
    japan = queries.run(con, article_queries.article_search(Filters(actors=("JPN",))))
    assert japan["id"].tolist() == ["fx-002"]
    assert queries.run(con, article_queries.article_search(
        Filters(publishers=("Wire One",))))["id"].tolist() == ["fx-003", "fx-001"]
    full = queries.run(con, article_queries.article_search(Filters(), "missile", full_text=True))
    assert "fx-001" in set(full["id"])
    art = queries.run(con, article_queries.article("fx-001")).iloc[0]
    assert art.title.startswith("Washington") and art.text.startswith("The United States")
    edges = queries.run(con, article_queries.article_edges("fx-001"))
    assert len(edges) == 2 and set(edges["relation"]) == {"condemnation", "cooperation"}
    assert queries.run(con, article_queries.article(INJECTION)).empty


def test_connect_refuses_what_is_not_a_store(tmp_path):
    from dashboard.errors import StoreError
    with pytest.raises(StoreError, match="no store at"):
        queries.connect(tmp_path / "missing.duckdb")
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    with pytest.raises(StoreError):
        queries.connect(bad)


@pytest.mark.parametrize("query", [
    queries.edge_summary(Filters()),
    queries.edge_summary(Filters(stances=("hostile",)), involving="USA"),
    queries.timeline(Filters(), "month"),
    queries.evidence(Filters(), 20),
    queries.actors_in_edges(),
    queries.overview_counts(),
    queries.annotators(),
    queries.evidence(Filters(), 10, involving="USA", strongest=True),
    queries.timeline(Filters(date_from=D(2024, 1, 1)), "week", involving="USA"),
    ("SELECT 1 AS n, NULL::BIGINT AS missing, 'x' AS s", []),
    ("SELECT NULL::VARCHAR AS nothing, 2.5::FLOAT AS f", []),
    ("SELECT * FROM (VALUES (1::INT, 1.5::DOUBLE, true, DATE '2024-01-02', 2::BIGINT, "
     "1.5::FLOAT, 3::SMALLINT, 4::TINYINT, 'a'), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
     "NULL, NULL)) t(i, d, b, day, big, f, small, tiny, s)", []),
    ("SELECT DATE '2024-02-29' AS day, 7::SMALLINT AS n, false AS b", []),
    ("SELECT NULL::DATE AS day", []),
    ("SELECT NULL::INT i, NULL::BIGINT bi, NULL::SMALLINT s, NULL::TINYINT ti, NULL::DOUBLE d, "
     "NULL::FLOAT f, NULL::BOOLEAN b, NULL::DATE dt, NULL::VARCHAR v FROM range(3)", []),
    ("SELECT 1::INT i, DATE '2024-01-01' AS day, 'x' AS v FROM range(0)", []),
], ids=["edges", "edges-involving", "timeline", "evidence", "actors", "overview", "annotators",
        "strongest", "weekly-dated", "null-int", "null-text", "nulls-of-every-type", "no-nulls",
        "all-null-date", "all-null-every-type", "no-rows"])
def test_run_gives_exactly_what_duckdb_gives(con, query):
    # `run` takes a faster path through Arrow for plain results; it must not change a value
    # or a dtype the pages rely on.
    sql, params = query
    pd.testing.assert_frame_equal(queries.run(con, query), con.execute(sql, params).df())


DEMO_SPANS = [(D(2022, 1, 1), D(2025, 12, 31)), (D(2023, 3, 15), D(2024, 6, 10)),
              (D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 2, 5), D(2024, 2, 25)),
              (None, D(2023, 7, 19)), (D(2023, 7, 19), None)]


@pytest.mark.parametrize("span", DEMO_SPANS, ids=lambda s: f"{s[0]}..{s[1]}")
@pytest.mark.parametrize("f", [Filters(), Filters(stances=("hostile",), min_weight=2),
                               Filters(actors=("USA",), relations=("alliance", "support"))],
                         ids=["all", "hostile-min2", "usa"])
def test_date_ranges_through_whole_months_match_the_rows(demo_store, span, f):
    """The demo corpus spans 32 months and has articles stating one fact on several dates,
    so both parts of the weight (single rows, distinct articles) are exercised."""
    con = queries.connect(demo_store)
    try:
        publishers = tuple(queries.run(con, queries.publisher_list())["publisher"])
        dated = f.replace(date_from=span[0], date_to=span[1])
        through_facts = dated.replace(publishers=publishers)
        assert "edge_months" in queries.edge_summary(dated)[0]
        fast = queries.run(con, queries.edge_summary(dated))
        pd.testing.assert_frame_equal(fast, queries.run(con, queries.edge_summary(through_facts)))
        assert not fast.empty or f != Filters()
        for build in (lambda g: queries.evidence(g, 15, strongest=True),
                      lambda g: queries.evidence(g, 15, involving="USA"),
                      lambda g: queries.timeline(g, "month", involving="USA")):
            pd.testing.assert_frame_equal(queries.run(con, build(dated)),
                                          queries.run(con, build(through_facts)))
    finally:
        con.close()


@pytest.mark.parametrize("f", [Filters(), Filters(min_weight=2),
                               Filters(date_from=D(2023, 3, 15), annotators=("human",))],
                         ids=["all", "min2", "rows"])
def test_an_actors_rows_of_the_summary_are_its_own_summary(demo_store, f):
    """The Actor page takes the actor's rows from the summary it already has instead of
    asking again with `involving`: both must be the same frame."""
    con = queries.connect(demo_store)
    try:
        edges = queries.run(con, queries.edge_summary(f))
        for actor in ("USA", "RUS", "PRK"):
            mine = edges[(edges["source"] == actor)
                         | (edges["target"] == actor)].reset_index(drop=True)
            expected = queries.run(con, queries.edge_summary(f, involving=actor))
            assert not expected.empty
            pd.testing.assert_frame_equal(mine, expected)
    finally:
        con.close()


@pytest.mark.parametrize("kwargs", [{}, {"strongest": True}, {"involving": "USA"},
                                    {"strongest": True, "involving": "PRK"}])
def test_evidence_rows_are_the_stores_rows(demo_store, kwargs):
    # Evidence is assembled from the rollups' codes and texts, never from `edges`: every
    # column must still be exactly what the store holds for that row.
    con = queries.connect(demo_store)
    try:
        shown = queries.run(con, queries.evidence(Filters(), 10_000, **kwargs))
        stored = con.execute("""
            SELECT e.date, e.relation, e.publisher, a.title, a.url, e.evidence, e.article_id,
                   e.source AS source_id, e.target AS target_id, e.confidence, e.annotator,
                   e.evidence_start, e.evidence_end, e.cue_start, e.cue_end, e.source_start,
                   e.source_end, e.target_start, e.target_end, e.stance, e.directed
            FROM edges e JOIN articles a ON a.id = e.article_id""").df()
    finally:
        con.close()
    assert len(shown) > 10 and shown["cue_start"].notna().all()
    keys = ["article_id", "source_id", "target_id", "relation", "date", "evidence_start"]
    merged = shown.merge(stored, on=keys, how="left", suffixes=("", "_store"),
                         validate="one_to_one", indicator=True)
    assert (merged["_merge"] == "both").all()
    for column in stored.columns.difference(keys):
        assert merged[column].equals(merged[f"{column}_store"].astype(merged[column].dtype)), \
            column


def test_mentions_are_read_by_article_exactly(demo_store):
    con = queries.connect(demo_store)
    try:
        ids = con.execute("SELECT id FROM articles ORDER BY id").df()["id"].tolist()
        direct = con.execute("""
            SELECT article_id, start_offset, end_offset, actor_id, surface FROM mentions
            WHERE article_id IN (SELECT unnest(?::VARCHAR[]))
            ORDER BY article_id, start_offset, end_offset""", [ids[::3]]).df()
        ranged = queries.run(con, queries.mentions_in(ids[::3]))
        assert len(direct) > 50
        pd.testing.assert_frame_equal(ranged, direct, check_dtype=False)
        assert queries.run(con, queries.mentions_in([])).empty
        assert queries.run(con, queries.mentions_in([INJECTION])).empty
    finally:
        con.close()


def test_strongest_evidence_ranks_by_confidence_then_date_through_the_rows(demo_store,
                                                                          tmp_path):
    """The strongest evidence under a row filter (a window over `facts`) picks the same rows
    as the precomputed `edge_best` (a top-2 aggregate), on a copy of the demo corpus whose
    confidences run against the dates, so that ranking by date first would pick other rows,
    and where a fifth of the rows have none, which both rank after every confidence."""
    import shutil

    import duckdb
    copy = tmp_path / "confident.duckdb"
    shutil.copy(demo_store, copy)
    with duckdb.connect(str(copy)) as db:
        db.execute("UPDATE edges SET confidence = CASE WHEN rowid % 5 = 0 THEN NULL ELSE "
                   "1.0 - (date - DATE '2000-01-01') / 20000.0 - (rowid % 7) / 100.0 END")
        db.execute("BEGIN TRANSACTION")
        rollups.build(db)  # as the ingest does after changing the rows
        db.execute("COMMIT")
    con = queries.connect(copy)
    try:
        publishers = tuple(queries.run(con, queries.publisher_list())["publisher"])
        for kwargs in ({}, {"involving": "USA"}, {"involving": "RUS"}):
            fast = queries.run(con, queries.evidence(Filters(), 20, strongest=True, **kwargs))
            rows = queries.run(con, queries.evidence(Filters(publishers=publishers), 20,
                                                     strongest=True, **kwargs))
            pd.testing.assert_frame_equal(fast, rows)
            assert rows["confidence"].nunique() > 10  # the confidences tell rows apart
    finally:
        con.close()


@pytest.mark.parametrize("f", [Filters(stances=("cooperative",)),
                               Filters(relations=("condemnation", "sanction")),
                               Filters(actors=("PRK",))], ids=["stance", "relations", "actors"])
def test_the_strongest_evidence_through_edge_best_is_the_one_through_the_rows(demo_store, f):
    """Filters of whole edges read the precomputed `edge_best`; a publisher filter that lets
    every row through takes the path through the rows: both must give the same cards, of
    the edges the filters keep only."""
    con = queries.connect(demo_store)
    try:
        everyone = tuple(queries.run(con, queries.publisher_list())["publisher"])
        got = queries.run(con, queries.evidence(f, 24, strongest=True, involving="USA"))
        rows = queries.run(con, queries.evidence(f.replace(publishers=everyone), 24,
                                                  strongest=True, involving="USA"))
        pd.testing.assert_frame_equal(got, rows)
        unfiltered = queries.run(con, queries.evidence(Filters(), 24, strongest=True,
                                                        involving="USA"))
        assert 0 < len(got) and not got.equals(unfiltered)
        kept = set(queries.run(con, queries.edge_summary(f))["relation"])
        assert set(got["relation"]) <= kept
        if f.actors:
            assert all("PRK" in (s, t) for s, t in zip(got["source_id"], got["target_id"],
                                                      strict=True))
    finally:
        con.close()


def test_event_type_filter_keeps_the_rows_of_those_events(tmp_path):
    from dashboard.formats import gdelt
    from dashboard.store import ingest_records
    from tests.formats.paths import FIXTURES

    db = tmp_path / "atlas.duckdb"
    assert ingest_records(gdelt.read(FIXTURES / "gdelt" / "gdelt2-sample.export.tsv"), db).added
    c = queries.connect(db)
    try:
        every = queries.run(c, queries.edge_summary(Filters()))
        agree = queries.run(c, queries.edge_summary(Filters(events=("agree",))))
        hostile = queries.run(c, queries.edge_summary(Filters(events=("sanction", "threaten"))))
        shown = queries.run(c, queries.evidence(Filters(events=("sanction",))))
    finally:
        c.close()
    assert len(every) > len(agree) >= 1
    assert set(agree["relation"]) == {"cooperation"}
    assert set(hostile["relation"]) == {"sanction", "threat"}
    assert set(shown["relation"]) == {"sanction"}
