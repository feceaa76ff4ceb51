import re
from pathlib import Path

from dashboard.taxonomy import (
    CAMEO_EVENTS,
    COOPERATIVE,
    EVENTS,
    HOSTILE,
    RELATIONS,
    EventType,
    Stance,
    is_symmetric,
    stance_of,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "taxonomy.md"


def test_stances_partition_the_relations():
    assert {r.value for r in COOPERATIVE} == {"alliance", "cooperation", "support"}
    assert {r.value for r in HOSTILE} == {"condemnation", "sanction", "threat", "attack"}
    assert stance_of("sanction") is Stance.HOSTILE


def test_only_alliance_and_cooperation_are_symmetric():
    assert {r.value for r in RELATIONS if is_symmetric(r)} == {"alliance", "cooperation"}


def test_documented_table_matches_the_code():
    rows = {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip(" `") for c in line.strip().strip("|").split("|")]
        if (len(cells) >= 5 and cells[0] in {r.value for r in RELATIONS}
                and cells[1] in {s.value for s in Stance}):
            rows[cells[0]] = cells
    assert set(rows) == {r.value for r in RELATIONS}
    for relation, info in RELATIONS.items():
        cells = rows[relation.value]
        assert cells[1] == info.stance.value
        assert set(re.findall(r"[A-Z]+", cells[3])) == set(info.plover)
        assert set(re.findall(r"\d\d", cells[4])) == set(info.cameo_roots)


def test_every_event_type_maps_onto_a_relation_of_its_own_listing():
    for event, info in EVENTS.items():
        assert event.value.upper() in RELATIONS[info.relation].plover
        for root in info.cameo_roots:
            assert root in RELATIONS[info.relation].cameo_roots
            assert CAMEO_EVENTS[root] is event
    assert {f"{i:02d}" for i in range(3, 21)} == set(CAMEO_EVENTS)  # 01, 02: no event
    assert len(EventType) == 16


def test_documented_event_table_matches_the_code():
    rows = {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip(" `") for c in line.strip().strip("|").split("|")]
        if (len(cells) >= 4 and cells[0] in {e.value for e in EventType}
                and cells[1] in {r.value for r in RELATIONS}):
            rows[cells[0]] = cells
    assert set(rows) == {e.value for e in EventType}
    for event, info in EVENTS.items():
        cells = rows[event.value]
        assert cells[1] == info.relation.value
        assert set(re.findall(r"\d\d", cells[2])) == set(info.cameo_roots)
