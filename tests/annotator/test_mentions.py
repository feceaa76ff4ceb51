import datetime as dt

import pytest

from dashboard.annotator.mentions import groups
from dashboard.annotator.tokens import sentences


def mentions(annotator, text, on="2024-06-21"):
    sent = next(sentences(text, [(0, len(text))]))
    found = annotator.finder.find(sent, dt.date.fromisoformat(on))
    return [(text[sent.starts[m.start]:sent.ends[m.end - 1]], m.actor) for m in found], sent, \
        found


@pytest.mark.parametrize("text, expected", [
    ("Let us say it is true.", []),
    ("The US and the UN met.", [("The US", "USA"), ("the UN", "UN")]),
    ("Mr Kim said the EU is ready.", [("the EU", "EU")]),
    ("Seoul's support grew.", [("Seoul", "KOR")]),
    ("The Kremlin said so.", [("The Kremlin", "RUS")]),
    ("Hungarian Prime Minister Viktor Orbán spoke.",
     [("Hungarian Prime Minister Viktor Orbán", "HUN")]),
    ("US Secretary of State Antony Blinken spoke.",
     [("US Secretary of State Antony Blinken", "USA")]),
    ("Russia's foreign ministry spoke.", [("Russia's foreign ministry", "RUS")]),
    ("Ships sailed in the South China Sea and the Sea of Japan.", []),
    ("The rupee fell against the US dollar.", []),
    ("He visited New Mexico.", []),
])
def test_mentions(annotator, text, expected):
    assert mentions(annotator, text)[0] == expected


def test_office_holders_resolve_only_in_their_term(annotator):
    assert mentions(annotator, "Blinken spoke.", "2024-06-21")[0] == [("Blinken", "USA")]
    assert mentions(annotator, "Blinken spoke.", "2026-01-01")[0] == []


def test_coordination_and_compound_groups(annotator):
    _, sent, found = mentions(annotator, "Mali, Burkina Faso and Niger signed it.")
    assert [(g.kind, g.actors) for g in groups(sent, found)] == [
        ("coordination", ["MLI", "BFA", "NER"])]
    _, sent, found = mentions(annotator, "the Seoul-Washington alliance")
    assert [(g.kind, g.actors) for g in groups(sent, found)] == [("compound", ["KOR", "USA"])]


def test_a_comma_alone_does_not_coordinate(annotator):
    _, sent, found = mentions(annotator, "In a call with Japan, China said so.")
    assert [g.actors for g in groups(sent, found)] == [["JPN"], ["CHN"]]
