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


DICTIONARY = Path(__file__).parent / "fixtures" / "actors" / "petrarch-style.actors"


def test_every_office_holder_resolves_to_its_actor_over_its_term():
    # No alias of a term is ambiguous with another actor's on the term's first and last day.
    for alias in REG.aliases:
        if alias.kind.value != "office_holder":
            continue
        for day in filter(None, (alias.valid_from, alias.valid_to)):
            assert REG.resolve(alias.text, day).id == alias.actor_id, (alias.text, day)


@pytest.mark.parametrize("name, on, expected", [
    ("Merkel", "2015-06-01", "DEU"), ("Lula", "2024-06-14", "BRA"), ("Lula", "2005-01-01", "BRA"),
    ("Obama", "2012-01-01", "USA"), ("Medvedev", "2010-01-01", "RUS"), ("Putin", "2005-01-01",
                                                                          "RUS"),
    ("Hu Jintao", "2010-01-01", "CHN"), ("David Cameron", "2024-01-10", "GBR"),
    ("Jaishankar", "2024-06-14", "IND"), ("Kaja Kallas", "2025-01-10", "EU"),
    ("the IDF", "2024-06-14", "ISR"), ("the PLA", "2024-06-14", "CHN"),
    ("the Quai d'Orsay", "2024-06-14", "FRA"), ("the Pentagon", "2024-06-14", "USA"),
    ("Palestinians", "2024-06-14", "PSE"), ("Kurds", "2024-06-14", "Kurds"),
    ("M23 rebels", "2024-06-14", "M23"), ("al-Shabaab", "2024-06-14", "al-Shabaab"),
])
def test_wire_names_resolve(name, on, expected):
    assert REG.resolve(name, dt.date.fromisoformat(on)).id == expected


def test_office_holders_do_not_resolve_outside_their_terms():
    assert REG.try_resolve("Merkel", dt.date(2022, 1, 1)) is None
    assert REG.try_resolve("Obama", dt.date(2018, 1, 1)) is None


def test_explain_says_which_entry_resolves_a_name():
    assert REG.explain("Blinken", JUNE_2024).startswith(
        "USA (United States, state): an office holder, Secretary of State from 2021-01-26")
    assert "metonym" in REG.explain("Seoul", JUNE_2024)
    assert "demonym or people noun" in REG.explain("Palestinians", JUNE_2024)


def test_cameo_dictionary_adds_dated_names():
    reg = Registry.load(dictionaries=(DICTIONARY,))
    assert reg.resolve("Alexandra Novak", dt.date(2016, 3, 1)).id == "RUS"
    assert reg.resolve("A. Novak", dt.date(2016, 3, 1)).id == "RUS"  # a "+" synonym
    assert reg.resolve("Minister Novak", dt.date(2021, 3, 1)).id == "UKR"  # ">YYMMDD"
    assert reg.try_resolve("Alexandra Novak", dt.date(2019, 12, 31)).id == "RUS"
    assert reg.try_resolve("Alexandra Novak", dt.date(2014, 12, 31)) is None
    assert reg.resolve("Harbour Command", None).id == "PHL"  # undated: always
    assert reg.resolve("Zoran Velkov", dt.date(2009, 1, 1)).id == "ROU"  # CAMEO's ROM
    assert reg.try_resolve("Zoran Velkov", dt.date(2011, 1, 1)) is None  # "<YYMMDD"
    assert reg.try_resolve("Kestrel Front", None) is None  # rebels are not the state
    assert reg.try_resolve("Northern Council", None) is None  # a regional code
    assert "petrarch-style.actors: line 3" in reg.explain("A. Novak", dt.date(2016, 3, 1))
    assert REG.try_resolve("Alexandra Novak", dt.date(2016, 3, 1)) is None  # only when asked


@pytest.mark.parametrize("text, message", [
    ("ALEXANDRA_NOVAK_ [RUSGOV 150101-19]\n", "line 1: '19' is not a YYMMDD"),
    ("+A._NOVAK_\n", r"line 1: a '\+' name before any entry"),
    ("ALEXANDRA_NOVAK_ [rusgov]\n", "line 1: no CAMEO code"),
    ("X_ [RUSGOV 1501-1912]\n", "line 1"),
])
def test_bad_cameo_dictionary_lines_are_named(tmp_path, text, message):
    path = tmp_path / "bad.actors"
    path.write_text(text)
    with pytest.raises(RegistryError, match=message):
        Registry.load(dictionaries=(path,))


def test_the_command_line_reads_actor_dictionaries(capsys, monkeypatch):
    from dashboard import cli

    monkeypatch.delenv("ALLIANCE_ATLAS_ACTORS", raising=False)
    assert cli.main(["resolve", "--actors", str(DICTIONARY), "--on", "2016-03-01",
                     "Alexandra Novak"]) == 0
    assert "RUS (Russia, state): an office holder" in capsys.readouterr().out
