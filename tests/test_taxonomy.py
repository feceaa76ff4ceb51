import re
from pathlib import Path

from dashboard.taxonomy import COOPERATIVE, HOSTILE, RELATIONS, Stance, is_symmetric, stance_of

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
        if len(cells) >= 5 and cells[0] in {r.value for r in RELATIONS}:
            rows[cells[0]] = cells
    assert set(rows) == {r.value for r in RELATIONS}
    for relation, info in RELATIONS.items():
        cells = rows[relation.value]
        assert cells[1] == info.stance.value
        assert set(re.findall(r"[A-Z]+", cells[3])) == set(info.plover)
        assert set(re.findall(r"\d\d", cells[4])) == set(info.cameo_roots)
