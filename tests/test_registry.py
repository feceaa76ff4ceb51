import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from dashboard.errors import RegistryError, UnknownActorError
from dashboard.registry import Registry, normalise

REG = Registry.load()
JUNE_2024 = dt.date(2024, 6, 21)


@pytest.mark.parametrize("name, expected", [
    ("USA", "USA"), ("the US", "USA"), ("U.S.", "USA"), ("Washington", "USA"),
    ("the White House", "USA"), ("Seoul", "KOR"), ("Seoul's", "KOR"), ("South Korean", "KOR"),
    ("DPRK", "PRK"), ("Pyongyang", "PRK"), ("the Kremlin", "RUS"), ("Russian", "RUS"),
    ("Britain", "GBR"), ("Türkiye", "TUR"), ("Turkiye", "TUR"), ("NATO", "NATO"),
    ("the European Union", "EU"), ("the African Union", "AU"), ("ECOWAS", "ECOWAS"),
    ("Hamas", "Hamas"), ("the Houthis", "Houthis"),
    # pycountry's names for states the alias files do not mention
    ("Bolivia, Plurinational State of", "BOL"), ("Uruguay", "URY"),
])
def test_names_resolve(name, expected):
    assert REG.resolve(name, JUNE_2024).id == expected


def test_office_holders_are_date_aware():
    assert REG.resolve("Antony Blinken", dt.date(2021, 1, 26)).id == "USA"
    assert REG.resolve("Blinken", dt.date(2025, 1, 20)).id == "USA"
    for outside in (dt.date(2021, 1, 25), dt.date(2025, 1, 21), None):
        with pytest.raises(UnknownActorError, match="2021-01-26"):
            REG.resolve("Blinken", outside)


def test_one_person_can_hold_two_offices_in_turn():
    assert REG.resolve("Mark Rutte", dt.date(2023, 5, 1)).id == "NLD"
    assert REG.resolve("Mark Rutte", dt.date(2024, 12, 1)).id == "NATO"


def test_unknown_actor_is_reported_not_dropped():
    with pytest.raises(UnknownActorError, match="Atlantis"):
        REG.resolve("Atlantis")
    assert REG.try_resolve("Atlantis") is None


def test_no_timeless_alias_names_two_actors():
    owners = defaultdict(set)
    for alias in REG.aliases:
        if alias.valid_from is None:
            owners[normalise(alias.text)].add(alias.actor_id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_normalise_ignores_case_accents_articles_and_possessives():
    assert normalise("The Élysée’s") == normalise("elysee")


@pytest.mark.parametrize("filename, content, needle", [
    ("states.yaml", "XYZ:\n  name: Nowhere\n", "not an ISO 3166-1 alpha-3"),
    ("states.yaml", "USA: [1, 2]\n", "needs a 'name'"),
    ("states.yaml", "USA:\n  name: US\n  aliases: America\n", "must be a list"),
    ("office_holders.yaml", "- name: X\n  actor: ATL\n  from: 2020-01-01\n", "unknown actor"),
    ("office_holders.yaml", "- name: X\n  actor: USA\n", "needs a 'from'"),
    ("office_holders.yaml", "- name: X\n  actor: USA\n  from: 2020-01-01\n  to: 2019-01-01\n",
     "before"),
    ("organisations.yaml", "NATO: {name: NATO\n", "cannot read"),
])
def test_broken_registry_files_name_file_and_entry(tmp_path: Path, filename, content, needle):
    (tmp_path / filename).write_text(content)
    with pytest.raises(RegistryError, match=needle) as info:
        Registry.load(tmp_path)
    assert filename in str(info.value)
