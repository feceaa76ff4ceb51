"""The CAMEO table in docs/formats.md is the one in dashboard/formats/cameo.py."""

import re
from pathlib import Path

from dashboard.formats import cameo
from dashboard.formats.gdelt import _States
from dashboard.registry import Registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


def test_documented_root_table_matches_the_code():
    rows = re.findall(r"^\| (\d\d) \| ([^|]+?) \| `?([a-z]+|skipped)`? \|", DOC.read_text(),
                      re.M)
    documented = {code: (name, None if rel == "skipped" else rel) for code, name, rel in rows}
    assert documented == {code: (name, rel.value if rel else None)
                          for code, (name, rel) in cameo.ROOTS.items()}


def test_documented_country_exceptions_match_the_code():
    text = DOC.read_text()
    for cameo_code, iso in cameo.COUNTRY_EXCEPTIONS.items():
        assert f"`{cameo_code}` → `{iso}`" in text


def test_country_codes_map_to_registry_states_only():
    states = _States(Registry.load())
    assert states("USA", "") == ("USA", "United States")
    assert states("ROM", "GOV")[0] == "ROU" and states("ZAR", "MIL")[0] == "COD"
    assert states("WSB", "")[0] == "PSE"
    assert states("EUR", "") is None  # a region
    assert states("USA", "BUS") is None  # a sector, not the state
    assert states("", "") is None
