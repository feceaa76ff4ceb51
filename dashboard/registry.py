"""The actor registry: every name an article may use for an actor, resolved to one canonical id.

Canonical ids are ISO 3166-1 alpha-3 codes for states (all of pycountry's, so any state
resolves by its code or ISO name), upper-case acronyms for organisations and stable names for
non-state actors. The names news writing uses live in YAML files under `data/actors/`. Office
holders resolve only during their term: "Blinken" is the USA between 2021-01-26 and 2025-01-20
and nobody outside it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import pycountry
import yaml

from dashboard.errors import RegistryError, UnknownActorError
from dashboard.paths import actors_dir


class ActorKind(StrEnum):
    STATE = "state"
    ORGANISATION = "organisation"
    NON_STATE = "non_state"


class AliasKind(StrEnum):
    ID = "id"
    NAME = "name"
    ALIAS = "alias"
    DEMONYM = "demonym"
    METONYM = "metonym"
    OFFICE_HOLDER = "office_holder"


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: ActorKind
    full_name: str


@dataclass(frozen=True)
class Alias:
    text: str
    actor_id: str
    kind: AliasKind
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    office: str | None = None
    source: str | None = None  # an extra dictionary's file and line, for `explain`

    def valid_on(self, on: dt.date | None) -> bool:
        if on is None:
            # Without a date we cannot tell whose term it is: only timeless aliases count.
            return self.valid_from is None and self.valid_to is None
        return ((self.valid_from is None or self.valid_from <= on)
                and (self.valid_to is None or on <= self.valid_to))


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-",
                              "\u2011": "-", "\u2013": "-", "\u2014": "-"})


def normalise(name: str) -> str:
    """The lookup key of a name: case, accents, "the", possessives and spacing don't matter."""
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()
    text = re.sub(r"'s$|'$", "", text)
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"[\s.]+", " ", text).strip()
    return text


class Registry:
    def __init__(self, actors: dict[str, Actor], aliases: list[Alias]) -> None:
        self.actors = actors
        self.aliases = aliases
        self._by_key: dict[str, list[Alias]] = defaultdict(list)
        for alias in aliases:
            self._by_key[normalise(alias.text)].append(alias)

    @classmethod
    def load(cls, directory: Path | None = None,
             dictionaries: tuple[Path, ...] | None = None) -> Registry:
        """The registry of `directory` (default data/actors/), plus the CAMEO/PETRARCH actor
        dictionaries given, or else those named by $ALLIANCE_ATLAS_ACTORS (paths separated
        by the platform's path separator; the command line's --actors sets it)."""
        if dictionaries is None:
            dictionaries = extra_dictionaries()
        return _load(directory or actors_dir(), tuple(Path(p).resolve() for p in dictionaries))

    def get(self, actor_id: str) -> Actor:
        return self.actors[actor_id]

    def resolve(self, name: str, on: dt.date | None = None) -> Actor:
        """The actor `name` stands for on date `on`; `UnknownActorError` if none or several."""
        if name in self.actors:
            return self.actors[name]
        candidates = {a.actor_id: a for a in self._by_key.get(normalise(name), ())
                      if a.valid_on(on)}
        if len(candidates) == 1:
            return self.actors[next(iter(candidates))]
        if candidates:
            names = ", ".join(sorted(candidates))
            raise UnknownActorError(f"'{name}' is ambiguous on {on}: it could be {names}; "
                                    "use the canonical id")
        return self._unknown(name, on)

    def explain(self, name: str, on: dt.date | None = None) -> str:
        """How `name` resolves on `on`, in words: the actor and the entry that makes it so."""
        actor = self.resolve(name, on)
        alias = next((a for a in self._by_key[normalise(name)]
                      if a.actor_id == actor.id and a.valid_on(on) and a.kind is not AliasKind.ID),
                     None)
        if alias is None:
            return f"{actor.id} ({actor.name}, {actor.kind.value}): a canonical id"
        what = {AliasKind.NAME: "its name", AliasKind.ALIAS: "an alias",
                AliasKind.DEMONYM: "a demonym or people noun",
                AliasKind.METONYM: "a metonym (capital, seat, ministry or force)",
                AliasKind.OFFICE_HOLDER: "an office holder",
                AliasKind.ID: "a canonical id"}[alias.kind]
        text = f"{actor.id} ({actor.name}, {actor.kind.value}): {what}"
        if alias.kind is AliasKind.OFFICE_HOLDER:
            text += (f", {alias.office or 'in office'} from {alias.valid_from} to "
                     f"{alias.valid_to or 'now'}")
        if alias.source:
            text += f" [{alias.source}]"
        return text

    def try_resolve(self, name: str, on: dt.date | None = None) -> Actor | None:
        try:
            return self.resolve(name, on)
        except UnknownActorError:
            return None

    def _unknown(self, name: str, on: dt.date | None) -> Actor:
        terms = [a for a in self._by_key.get(normalise(name), ())]
        if terms:
            spans = "; ".join(f"{a.actor_id} from {a.valid_from or 'always'} to "
                              f"{a.valid_to or 'now'}" for a in terms)
            raise UnknownActorError(f"'{name}' names no actor on {on} (known terms: {spans})")
        raise UnknownActorError(f"unknown actor '{name}': not a canonical id or an alias in "
                                f"data/actors/ (add it there to resolve it)")


def _read_yaml(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegistryError(f"{path}: cannot read the actor file: {exc}") from exc


def _as_list(value, path: Path, key: str, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RegistryError(f"{path}: {key}: '{field}' must be a list of names")
    return value


def _named_entries(path: Path, kind: ActorKind, actors: dict[str, Actor],
                   aliases: list[Alias]) -> None:
    entries = _read_yaml(path) or {}
    if not isinstance(entries, dict):
        raise RegistryError(f"{path}: expected a mapping of actor ids to entries")
    for actor_id, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise RegistryError(f"{path}: {actor_id}: every entry needs a 'name'")
        if kind is ActorKind.STATE and pycountry.countries.get(alpha_3=actor_id) is None:
            raise RegistryError(f"{path}: {actor_id} is not an ISO 3166-1 alpha-3 code")
        previous = actors.get(actor_id)
        full_name = entry.get("full_name") or (previous.full_name if previous else entry["name"])
        actors[actor_id] = Actor(actor_id, entry["name"], kind, full_name)
        aliases.append(Alias(entry["name"], actor_id, AliasKind.NAME))
        for field, alias_kind in (("aliases", AliasKind.ALIAS), ("demonyms", AliasKind.DEMONYM),
                                  ("metonyms", AliasKind.METONYM)):
            for text in _as_list(entry.get(field), path, actor_id, field):
                aliases.append(Alias(text, actor_id, alias_kind))
        if full_name != entry["name"]:
            aliases.append(Alias(full_name, actor_id, AliasKind.ALIAS))


def _date(value, path: Path, who: str, field: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise RegistryError(f"{path}: {who}: '{field}' is not a YYYY-MM-DD date") from exc


def _office_holders(path: Path, actors: dict[str, Actor], aliases: list[Alias]) -> None:
    entries = _read_yaml(path) or []
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: expected a list of office holders")
    for i, entry in enumerate(entries):
        who = f"entry {i + 1} ({entry.get('name', '?') if isinstance(entry, dict) else '?'})"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("actor"):
            raise RegistryError(f"{path}: {who}: needs 'name' and 'actor'")
        if entry["actor"] not in actors:
            raise RegistryError(f"{path}: {who}: unknown actor id {entry['actor']!r}")
        start = _date(entry.get("from"), path, who, "from")
        end = _date(entry.get("to"), path, who, "to")
        if start is None:
            raise RegistryError(f"{path}: {who}: needs a 'from' date")
        if end is not None and end < start:
            raise RegistryError(f"{path}: {who}: 'to' is before 'from'")
        for text in [entry["name"], *_as_list(entry.get("aliases"), path, who, "aliases")]:
            aliases.append(Alias(text, entry["actor"], AliasKind.OFFICE_HOLDER, start, end,
                                 entry.get("office")))


def extra_dictionaries() -> tuple[Path, ...]:
    value = os.environ.get("ALLIANCE_ATLAS_ACTORS", "")
    return tuple(Path(p) for p in value.split(os.pathsep) if p)


# --- CAMEO/PETRARCH actor dictionaries -----------------------------------------------------
# The format users' event-coding dictionaries use (docs/annotator.md, "Actor dictionaries"):
#
#   # a comment
#   VLADIMIR_PUTIN_ [RUSGOV 991231-080507] [RUSGOV >120507]
#   +PUTIN_
#   PENTAGON_ [USAMIL]
#
# A name pattern is words joined by "_" (a trailing "_" ends the pattern); "+" lines are more
# names of the entry above. A code in brackets is a CAMEO actor code: three letters of country
# (ISO 3166-1 alpha-3, or CAMEO's older codes below) and roles; optional dates restrict it:
# "YYMMDD-YYMMDD" (a term), ">YYMMDD" (from), "<YYMMDD" (until), years 00-29 being 20xx and
# 30-99 19xx (or eight-digit YYYYMMDD). Only codes that act for a state (no role, GOV, MIL,
# LEG, JUD, COP, SPY) become aliases of that state; other roles (rebels, business, media...)
# name no state and are counted as skipped.
CAMEO_COUNTRY_EXCEPTIONS = {
    "ROM": "ROU",  # Romania (pre-2002 ISO code)
    "ZAR": "COD",  # Zaire, now the Democratic Republic of the Congo
    "TMP": "TLS",  # East Timor (pre-2002 ISO code)
    "WSB": "PSE",  # West Bank
    "GZS": "PSE",  # Gaza Strip
}
CAMEO_STATE_ROLES = frozenset({"", "GOV", "MIL", "LEG", "JUD", "COP", "SPY"})
_CAMEO_CODE = re.compile(r"\[\s*([A-Z]{3})([A-Z]*)\s*([^\]]*)\]")


def _cameo_date(text: str, path: Path, line: int) -> dt.date:
    try:
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6:
            year = int(text[:2])
            return dt.date(2000 + year if year < 30 else 1900 + year, int(text[2:4]),
                           int(text[4:]))
    except ValueError:
        pass
    raise RegistryError(f"{path}: line {line}: {text!r} is not a YYMMDD or YYYYMMDD date")


def _cameo_term(text: str, path: Path, line: int) -> tuple[dt.date | None, dt.date | None]:
    text = text.strip()
    if not text:
        return None, None
    if text.startswith(">"):
        return _cameo_date(text[1:].strip(), path, line), None
    if text.startswith("<"):
        return None, _cameo_date(text[1:].strip(), path, line)
    start, sep, end = text.partition("-")
    if not sep:
        raise RegistryError(f"{path}: line {line}: date restriction {text!r} is not "
                            "'YYMMDD-YYMMDD', '>YYMMDD' or '<YYMMDD'")
    return _cameo_date(start.strip(), path, line), _cameo_date(end.strip(), path, line)


def _cameo_dictionary(path: Path, actors: dict[str, Actor], aliases: list[Alias]) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read the actor dictionary: {exc}") from exc
    names: list[str] = []
    codes: list[tuple[str, dt.date | None, dt.date | None]] = []

    def flush() -> None:
        for name in names:
            for actor_id, start, end in codes:
                kind = AliasKind.OFFICE_HOLDER if start or end else AliasKind.ALIAS
                aliases.append(Alias(name, actor_id, kind, start, end,
                                     "CAMEO dictionary" if kind is AliasKind.OFFICE_HOLDER
                                     else None, f"{path.name}: line {where}"))

    where = 0
    for number, raw in enumerate(lines, 1):
        text = raw.split("#", 1)[0].rstrip()
        if not text.strip():
            continue
        if text.lstrip().startswith("+"):
            if not names:
                raise RegistryError(f"{path}: line {number}: a '+' name before any entry")
            names.append(_cameo_name(text.lstrip()[1:], path, number))
            continue
        flush()
        where = number
        pattern = text.split("[", 1)[0]
        names = [_cameo_name(pattern, path, number)]
        codes = []
        for country, role, term in _CAMEO_CODE.findall(text):
            actor_id = CAMEO_COUNTRY_EXCEPTIONS.get(country, country)
            if actor_id not in actors or actors[actor_id].kind is not ActorKind.STATE:
                continue  # regional or unknown country code: names no state we know
            if role[:3] not in CAMEO_STATE_ROLES:
                continue  # rebels, business, media... of a country are not its state
            codes.append((actor_id, *_cameo_term(term, path, number)))
        if "[" in text and not _CAMEO_CODE.search(text):
            raise RegistryError(f"{path}: line {number}: no CAMEO code in brackets such as "
                                "[USAGOV] or [RUSGOV >120507]")
    flush()


def _cameo_name(pattern: str, path: Path, line: int) -> str:
    words = [w for w in pattern.strip().split("_") if w]
    if not words:
        raise RegistryError(f"{path}: line {line}: an entry needs a name pattern such as "
                            "VLADIMIR_PUTIN_")
    # Dictionaries write names in capitals; news writes them in title case, but a one-word
    # name of up to four letters is an acronym ("IDF", "PLA").
    if len(words) == 1 and len(words[0]) <= 4:
        return words[0]
    return " ".join(w if any(c.islower() for c in w) else w.capitalize() for w in words)


@lru_cache(maxsize=4)
def _load(directory: Path, dictionaries: tuple[Path, ...] = ()) -> Registry:
    actors: dict[str, Actor] = {}
    aliases: list[Alias] = []
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        actors[country.alpha_3] = Actor(country.alpha_3, name, ActorKind.STATE,
                                        getattr(country, "official_name", None) or country.name)
        for text in {country.name, name, getattr(country, "official_name", None)} - {None}:
            aliases.append(Alias(text, country.alpha_3, AliasKind.NAME))
    files = {"states.yaml": ActorKind.STATE, "organisations.yaml": ActorKind.ORGANISATION,
             "non_state.yaml": ActorKind.NON_STATE}
    for filename, kind in files.items():
        path = directory / filename
        if path.is_file():
            _named_entries(path, kind, actors, aliases)
    holders = directory / "office_holders.yaml"
    if holders.is_file():
        _office_holders(holders, actors, aliases)
    for path in dictionaries:
        _cameo_dictionary(path, actors, aliases)
    for actor_id in actors:
        aliases.append(Alias(actor_id, actor_id, AliasKind.ID))
    return Registry(actors, aliases)
