"""`fetch` against the local news site: feeds, layouts, the ways a site fails, and what a
second run does. Nothing here reaches the internet."""

import datetime as dt
import json

import pytest

from dashboard.intake import log, run
from dashboard.intake.http import Fetcher, FetchFailed, Policy
from dashboard.store import connect_read_only


def fetch(urls, db, policy, **options):
    return run.fetch(urls, db=db, options=run.Options(policy=policy, **options))


def rows(db, sql):
    con = connect_read_only(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def reasons(summary):
    return {f.url.rsplit("/", 1)[-1]: f.reason for f in summary.failed}


def test_rss_feed_entries_are_fetched_annotated_and_ingested(site, fast_policy, tmp_path):
    db = tmp_path / "atlas.duckdb"
    summary = fetch([site.base + "/feed.rss"], db, fast_policy)
    assert (summary.fetched, summary.added, summary.failed) == (4, 3, [])
    articles = dict(rows(db, "SELECT url, publisher FROM articles"))
    assert articles == {f"{site.base}/world/finland-joins-nato": "Northern Wire",
                        "http://ledger.example/2024/03/sweden-nato": "Baltic Ledger",
                        f"{site.base}/asia/pact": "Pacific Notes"}
    edges = set(rows(db, "SELECT source, relation, target, CAST(date AS VARCHAR) FROM edges"))
    assert ("FIN", "alliance", "NATO", "2023-04-04") in edges
    assert ("HUN", "support", "SWE", "2024-02-26") in edges
    assert ("JPN", "cooperation", "PHL", "2024-07-08") in edges
    # Hidden text, scripts and trending lists on the pages gave no edge.
    furniture = {("NATO", "attack", "CHN"), ("RUS", "attack", "JPN"), ("RUS", "attack", "CAN"),
                 ("CHN", "condemnation", "USA")}
    assert not {e for e in edges if e[:3] in furniture}
    origins = rows(db, "SELECT DISTINCT origin FROM articles")
    assert origins == [("web",)]


def test_atom_feed_and_a_page_without_a_date(site, fast_policy, tmp_path):
    summary = fetch([site.base + "/feed.atom"], tmp_path / "a.duckdb", fast_policy)
    assert summary.added == 1
    assert reasons(summary) == {"admission": "no date found"}


@pytest.mark.parametrize("path, reason", [
    ("/missing", "HTTP 404 Not Found"),
    ("/loop-a", "redirect loop"),
    ("/broken.rss", "broken feed"),
    ("/huge", "page too large (over the 1 MB cap)"),
    ("/slow", "timed out"),
    ("/report.pdf", "not an article (content type application/pdf)"),
    ("/private/memo", "disallowed by the site's robots.txt"),
    ("/fr/otan", "not in English (language 'fr')"),
])
def test_each_failure_is_named(site, fast_policy, tmp_path, path, reason):
    summary = fetch([site.base + path], tmp_path / "a.duckdb", fast_policy)
    [failure] = summary.failed
    assert failure.url == site.base + path and failure.reason.startswith(reason)
    assert summary.added == 0


def test_the_huge_page_is_abandoned_not_read_whole(site):
    with Fetcher(Policy(interval=0, max_bytes=2**20)) as fetcher, \
            pytest.raises(FetchFailed, match="too large"):
        fetcher.get(site.base + "/huge")


def test_only_http_and_https(site, fast_policy, tmp_path):
    summary = fetch(["file:///etc/passwd", "javascript:alert(1)"], tmp_path / "a.duckdb",
                    fast_policy)
    assert all("only http:// and https://" in f.reason for f in summary.failed)
    assert len(summary.failed) == 2 and not (tmp_path / "a.duckdb").exists() or \
        rows(tmp_path / "a.duckdb", "SELECT count(*) FROM articles") == [(0,)]


def test_addresses_that_do_not_parse_are_named_failures(site, fast_policy, tmp_path):
    urls = ["https://[x]/story", "http://news.test:99999/story", site.base + "/bad-redirect"]
    summary = fetch(urls, tmp_path / "a.duckdb", fast_policy)
    reasons = {f.url: f.reason for f in summary.failed}
    assert set(reasons) == set(urls)
    assert reasons[urls[0]].startswith("not a web address that parses")
    assert reasons[urls[1]].startswith("not a web address that parses")
    assert reasons[urls[2]] == "redirected to an address that does not parse"


def test_redirects_are_followed(site, fast_policy, tmp_path):
    db = tmp_path / "a.duckdb"
    summary = fetch([site.base + "/moved"], db, fast_policy)
    assert summary.added == 1
    assert rows(db, "SELECT url FROM articles") == [(f"{site.base}/asia/pact",)]


def test_a_failure_does_not_stop_the_others_and_is_logged(site, fast_policy, tmp_path):
    db = tmp_path / "a.duckdb"
    summary = fetch([site.base + "/missing", site.base + "/asia/pact"], db, fast_policy)
    assert summary.added == 1 and len(summary.failed) == 1
    logged = dict(rows(db, "SELECT url, outcome FROM fetches"))
    assert logged == {site.base + "/missing": "failed", site.base + "/asia/pact": "fetched"}


def test_one_story_through_two_urls_is_one_article(site, fast_policy, tmp_path):
    db = tmp_path / "a.duckdb"
    urls = [site.base + p for p in ("/world/finland-joins-nato", "/amp/finland-joins-nato",
                                    "/asia/pact", "/syndicated/pact-copy")]
    summary = fetch(urls, db, fast_policy)
    assert (summary.added, summary.unchanged) == (2, 2)
    assert rows(db, "SELECT count(*) FROM articles") == [(2,)]
    duplicates = rows(db, "SELECT url, reason FROM fetches WHERE outcome = 'duplicate'")
    assert {u for u, _ in duplicates} == {urls[1], urls[3]}


def test_a_second_run_adds_only_new_or_changed_articles(site, fast_policy, tmp_path):
    db = tmp_path / "a.duckdb"
    feed = site.base + "/feed.rss"
    first = fetch([feed], db, fast_policy)
    assert first.added == 3
    before = dict(site.hits)
    again = fetch([feed], db, fast_policy)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    # Conditional GETs: each page was asked once more and answered 304 (the fixture server
    # counts requests, a 304 included); the store was not rewritten with new rows.
    assert site.hits["/asia/pact"] == before["/asia/pact"] + 1
    outcomes = rows(db, "SELECT reason FROM fetches WHERE outcome = 'unchanged'")
    assert outcomes == [("not modified (HTTP 304)",)] * 3
    # A changed page is fetched and updated.
    site.pages["/asia/pact"] = site.pages["/asia/pact"].replace(
        b"deepen security ties", b"deepen defence and security ties")
    third = fetch([feed], db, fast_policy)
    assert (third.added, third.updated, third.unchanged) == (0, 1, 2)
    texts = rows(db, "SELECT text FROM articles WHERE url LIKE '%/asia/pact'")
    assert "defence and security ties" in texts[0][0]


def test_since_skips_older_articles(site, fast_policy, tmp_path):
    summary = fetch([site.base + "/feed.rss"], tmp_path / "a.duckdb", fast_policy,
                    since=dt.date(2024, 1, 1))
    # The feed's own dates are all in May 2024; the pages' dates decide: the 2023 page goes.
    assert summary.added == 2 and summary.skipped == 1


def test_batches_land_one_by_one(site, fast_policy, tmp_path):
    db = tmp_path / "a.duckdb"
    summary = fetch([site.base + "/feed.rss"], db, fast_policy, batch=1)
    assert summary.added == 3
    assert rows(db, "SELECT count(*) FROM articles") == [(3,)]


def test_the_fetch_log_of_a_store(site, fast_policy, tmp_path):
    db = tmp_path / "a.duckdb"
    fetch([site.base + "/asia/pact", site.base + "/missing"], db, fast_policy)
    known = log.known(db)
    assert set(known.by_url) == {site.base + "/asia/pact"}
    assert known.by_url[site.base + "/asia/pact"].etag
    con = connect_read_only(db)
    try:
        sql, params = log.recent(10, failed_only=True)
        assert [r[2] for r in con.execute(sql, params).fetchall()] == [site.base + "/missing"]
    finally:
        con.close()


def test_out_writes_native_articles_without_a_store(site, fast_policy, tmp_path):
    from dashboard.annotator.cli import write_records

    out = tmp_path / "articles"
    summary = run.fetch([site.base + "/asia/pact"], out=out,
                        options=run.Options(policy=fast_policy),
                        write=lambda records, folder: write_records(records, folder, None))
    [written] = list(out.glob("*.json"))
    data = json.loads(written.read_text())
    assert summary.written == 1 and data["publisher"] == "Pacific Notes"
    assert any(r["relation"] == "cooperation" for r in data["relations"])


def test_rate_limit_spaces_requests_to_one_host(site):
    import time

    with Fetcher(Policy(interval=0.2, robots=False)) as fetcher:
        start = time.monotonic()
        for _ in range(3):
            fetcher.get(site.base + "/asia/pact")
        assert time.monotonic() - start >= 0.4


@pytest.mark.parametrize("failed_only, expected", [
    (False, "FROM fetches  ORDER BY"),
    (True, "FROM fetches WHERE outcome = 'failed' ORDER BY"),
])
def test_recent_query(failed_only, expected):
    sql, params = log.recent(5, failed_only=failed_only)
    assert expected in " ".join(sql.split(" ")) and params == [5]


def test_a_run_stopped_midway_keeps_whole_batches_only(site, fast_policy, tmp_path):
    db = tmp_path / "a.duckdb"
    done = []

    def stop_after_two(finished: int, more: int = 0) -> None:
        done.append(finished)
        if sum(done) == 3:  # the feed and two pages: the third page is never handled
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run.fetch([site.base + "/feed.rss"], db=db, progress=stop_after_two,
                  options=run.Options(policy=fast_policy, batch=1))
    stored = rows(db, "SELECT id FROM articles")
    logged = rows(db, "SELECT article_id FROM fetches WHERE outcome = 'fetched'")
    assert len(stored) == 1 and stored == logged  # the first batch, whole, with its log row
    assert not list(tmp_path.glob("*.tmp*"))
    again = fetch([site.base + "/feed.rss"], db, fast_policy)
    assert (again.added, again.unchanged) == (2, 1)
