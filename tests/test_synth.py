"""The synthetic corpus of the benchmarks (tests/benchmarks/synth.py) is valid and repeatable."""

import datetime as dt
import importlib.util
import sys
from pathlib import Path

from dashboard.loaders import read_records
from dashboard.registry import Registry
from dashboard.store import connect_read_only, ingest

_SPEC = importlib.util.spec_from_file_location(
    "atlas_bench_synth", Path(__file__).parent / "benchmarks" / "synth.py")
synth = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = synth
_SPEC.loader.exec_module(synth)


def test_synthetic_articles_validate_and_ingest_without_rejections(tmp_path):
    files = synth.generate(tmp_path / "corpus", 50, seed=7, per_file=20, workers=1)
    assert [f.name for f in files] == ["articles-00000.jsonl", "articles-00001.jsonl",
                                       "articles-00002.jsonl"]
    records = [r for f in files for r in read_records(f)]
    assert len(records) == 50
    assert all(r.article is not None for r in records), [r.errors for r in records]

    report = ingest([tmp_path / "corpus"], tmp_path / "s.duckdb")
    assert report.ok, report.rejected[:3]
    assert (report.added, report.rejected_records) == (50, 0)
    assert 5 * 50 <= report.edges_written <= 20 * 50
    con = connect_read_only(tmp_path / "s.duckdb")
    try:
        statements = con.execute("SELECT max(statements) FROM edges").fetchone()[0]
    finally:
        con.close()
    assert statements >= 2  # some articles state a fact twice


def test_evidence_is_a_sentence_naming_both_actors():
    registry = Registry.load()
    for article in synth.articles(30, seed=3):
        text, when = article["text"], article["published"]
        for relation in article["relations"]:
            evidence = relation["evidence"]
            sentence = text[evidence["start"]:evidence["end"]]
            assert sentence[0].isupper() and sentence.endswith("."), sentence
            assert evidence["start"] <= relation["cue"]["start"] < relation["cue"]["end"] \
                <= evidence["end"]
            named = {m["actor"] for m in article["mentions"]
                     if evidence["start"] <= m["start"] and m["end"] <= evidence["end"]}
            on = dt.date.fromisoformat(relation.get("date", when))
            ends = {registry.resolve(relation["source"], on).id,
                    registry.resolve(relation["target"], on).id}
            assert ends <= named, (sentence, ends, named)
        for mention in article["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]


def test_the_generator_is_deterministic_for_a_seed(tmp_path):
    assert synth.articles(20, seed=3) == synth.articles(20, seed=3)
    assert synth.articles(20, seed=3) != synth.articles(20, seed=4)
    a = synth.generate(tmp_path / "a", 30, seed=5, per_file=10, workers=1)
    b = synth.generate(tmp_path / "b", 30, seed=5, per_file=10, workers=2)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
