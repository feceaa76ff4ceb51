"""The wire-style development set (tests/annotator/gold/wire_*.yaml): its make-up, its split,
and the test split's scores as floors.

The split was decided by a hash of each sentence's text before any result was looked at; the
rules were tuned on wire_dev.yaml only. Floors sit a little below the measured test-split
values in docs/annotator.md, so a change that makes the annotator worse on text it was not
tuned on fails here.
"""

import hashlib
from collections import Counter

from dashboard.annotator.evaluate import GOLD_DIR, load_gold, score
from dashboard.registry import Registry
from dashboard.taxonomy import EventType, RelationType

DEV, TEST = GOLD_DIR / "wire_dev.yaml", GOLD_DIR / "wire_test.yaml"
FLOOR_F1 = 0.84  # measured 0.862 (docs/annotator.md)


def _in_dev(text: str) -> bool:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 10 < 6


def test_the_split_is_the_hash_split():
    dev, test = load_gold(DEV), load_gold(TEST)
    assert all(_in_dev(item["text"]) for item in dev)
    assert not any(_in_dev(item["text"]) for item in test)
    assert not {i["text"] for i in dev} & {i["text"] for i in test}


def test_the_set_covers_every_event_type_and_has_sentences_without_edges():
    items = load_gold(DEV) + load_gold(TEST)
    assert len(items) >= 600
    assert len({i["id"] for i in items}) == len(items)
    events = Counter(i["event"] for i in items)
    assert set(events) == {e.value for e in EventType} | {"none"}
    assert min(events[e.value] for e in EventType) >= 25
    assert sum(not i["edges"] for i in items) >= 150
    registry = Registry.load()
    for item in items:
        for edge in item["edges"]:
            assert edge["source"] in registry.actors and edge["target"] in registry.actors
            RelationType(edge["relation"])


def test_test_split_scores(annotator):
    report = score(TEST, annotator)
    assert report.stance.f1 >= FLOOR_F1
    assert report.stance.precision >= 0.80
    precision, n = report.precision_at(0.8)
    assert n and precision >= 0.90  # what confidence 0.8 promises (docs/annotator.md)

