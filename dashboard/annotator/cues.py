"""The relation cues of data/cues.yaml and the word lists the rules use, loaded once.

Why a word-form table and not spaCy's lookup lemmatizer: the lemmatizer needs the
spacy-lookups-data package (a ~100 MB wheel of every language's tables) and still gives no
help with what matters here, which is nominalisations (condemnation, invasion) and forms
that must *not* be cues ("shells" of artillery, "strikes" by workers are nouns we gate by
context). A reviewable list of forms per cue, with regular inflections generated, is smaller,
faster and says exactly what fires.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from dashboard.errors import AtlasError
from dashboard.paths import data_dir
from dashboard.taxonomy import EVENTS, EventType, RelationType, is_symmetric


@dataclass(frozen=True)
class Cue:
    lemma: str
    relation: RelationType
    preps: frozenset[str]
    before: tuple[tuple[str, ...], ...] = ()
    after: tuple[tuple[str, ...], ...] = ()
    gap: int = 0
    target_kinds: frozenset[str] = frozenset()
    light: bool = False
    confidence: float = 0.85
    event: EventType = EventType.COOPERATE
    cameo: str = ""
    mutual: bool = False  # "clashed with": each side attacks the other
    # Words one of which must follow the head within `within` words without becoming part of
    # the cue ("released" + prisoners, "rejected" + plan): the target may stand between.
    requires: frozenset[str] = frozenset()
    within: int = 6
    # Words that must not come right after the head ("refused to ..." is a negation, not a
    # rejection; "sent a delegation").
    not_next: frozenset[str] = frozenset()

    @property
    def symmetric(self) -> bool:
        return is_symmetric(self.relation)


@dataclass(frozen=True)
class Form:
    """One way a cue is written: its words (lower case) and its part of speech."""

    words: tuple[str, ...]
    cue: Cue
    pos: str  # "verb" or "noun"


@dataclass(frozen=True)
class Lexicon:
    forms: dict[str, list[Form]]  # by first word, longest first
    negators: tuple[tuple[str, ...], ...]
    commit_verbs: frozenset[str]
    hearsay: frozenset[str]
    speech_verbs: frozenset[str]
    titles: tuple[tuple[str, ...], ...]
    sports: tuple[tuple[str, ...], ...]
    heads_after: frozenset[str]
    words_before: tuple[tuple[str, ...], ...]


# The event a cue that names only its relation records.
_DEFAULT_EVENT = {RelationType.ALLIANCE: EventType.AGREE,
                  RelationType.COOPERATION: EventType.COOPERATE,
                  RelationType.SUPPORT: EventType.SUPPORT,
                  RelationType.CONDEMNATION: EventType.ACCUSE,
                  RelationType.SANCTION: EventType.SANCTION,
                  RelationType.THREAT: EventType.THREATEN,
                  RelationType.ATTACK: EventType.ASSAULT}


def inflect(lemma: str) -> list[str]:
    """Regular English verb forms: the base, -s, -ed and -ing."""
    if lemma.endswith("e"):
        past, ing = lemma + "d", lemma[:-1] + "ing"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        past, ing = lemma[:-1] + "ied", lemma + "ing"
    else:
        past, ing = lemma + "ed", lemma + "ing"
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        third = lemma + "es"
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    return [lemma, third, past, ing]


def _words(phrase: str) -> tuple[str, ...]:
    # The tokenizer splits hyphens between letters ("co-operate" -> co, -, operate).
    return tuple(phrase.lower().replace("-", " - ").split())


def _strings(values, where: str) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list):
        raise AtlasError(f"data/cues.yaml: {where} must be a list")
    for v in values:
        if not isinstance(v, str):
            # YAML reads unquoted on/off/yes/no as booleans: a silent "on" -> True would
            # quietly disable every "sanctions on X" rule.
            raise AtlasError(f"data/cues.yaml: {where}: {v!r} is not a word (quote it)")
    return values


def _phrases(values, where: str) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({_words(v) for v in _strings(values, where)}, key=len, reverse=True))


def load(path: Path | None = None) -> Lexicon:
    return _load(path or data_dir() / "cues.yaml")


@lru_cache(maxsize=4)
def _load(path: Path) -> Lexicon:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AtlasError(f"{path}: cannot read the cue file: {exc}") from exc
    forms: dict[str, list[Form]] = {}
    for i, entry in enumerate(data.get("cues") or []):
        where = f"{path}: cues[{i}] ({entry.get('lemma', '?')})"
        try:
            relation = RelationType(entry["relation"]) if "relation" in entry else None
            event = (EventType(entry["event"]) if "event" in entry
                     else _DEFAULT_EVENT[relation] if relation else None)
        except ValueError as exc:
            raise AtlasError(f"{where}: 'event' must be one of "
                             f"{[e.value for e in EventType]} and 'relation' one of "
                             f"{[r.value for r in RelationType]}") from exc
        if event is None:
            raise AtlasError(f"{where}: needs an 'event' (a PLOVER event type) or a "
                             "'relation'")
        relation = relation or EVENTS[event].relation
        cameo = str(entry.get("cameo", EVENTS[event].cameo_roots[0]))
        cue = Cue(lemma=str(entry["lemma"]), relation=relation,
                  preps=frozenset(_strings(entry.get("preps"), f"{where}: preps")),
                  before=_phrases(entry.get("before"), f"{where}: before"),
                  after=_phrases(entry.get("after"), f"{where}: after"),
                  gap=int(entry.get("gap", 0)),
                  target_kinds=frozenset(entry.get("target_kinds") or ()),
                  light=bool(entry.get("light", False)),
                  confidence=float(entry.get("confidence", 0.85)),
                  event=event, cameo=cameo, mutual=bool(entry.get("mutual", False)),
                  requires=frozenset(_strings(entry.get("requires"), f"{where}: requires")),
                  within=int(entry.get("within", 6)),
                  not_next=frozenset(_strings(entry.get("not_next"), f"{where}: not_next")))
        verb = entry.get("verb")
        verbs = inflect(verb) if isinstance(verb, str) else _strings(verb, f"{where}: verb")
        nouns = _strings(entry.get("noun"), f"{where}: noun")
        for pos, values in (("verb", verbs), ("noun", nouns)):
            for value in values:
                words = _words(str(value))
                forms.setdefault(words[0], []).append(Form(words, cue, pos))
        if not verbs and not entry.get("noun"):
            raise AtlasError(f"{where}: needs 'verb' or 'noun' forms")
    for options in forms.values():
        options.sort(key=lambda f: len(f.words), reverse=True)
    not_actor = data.get("not_actor") or {}
    return Lexicon(
        forms=forms,
        negators=_phrases(data.get("negators"), "negators"),
        commit_verbs=frozenset(map(str.lower, _strings(data.get("commit_verbs"), "commit_verbs"))),
        hearsay=frozenset(map(str.lower, _strings(data.get("hearsay"), "hearsay"))),
        speech_verbs=frozenset(map(str.lower, _strings(data.get("speech_verbs"), "speech_verbs"))),
        titles=_phrases(data.get("titles"), "titles"),
        sports=_phrases(data.get("sports"), "sports"),
        heads_after=frozenset(_strings(not_actor.get("heads_after"), "not_actor.heads_after")),
        words_before=tuple(sorted({tuple(str(v).split()) for v in
                                   _strings(not_actor.get("words_before"), "words_before")},
                                  key=len, reverse=True)),
    )


def match_phrase(lowers: list[str], i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the longest phrase starting at token i, or 0."""
    for phrase in phrases:
        n = len(phrase)
        if tuple(lowers[i:i + n]) == phrase:
            return n
    return 0
