"""Actor mentions: every registry alias found in a sentence, resolved on the article's date.

Aliases are matched on exact token text (case-sensitive), so "US", "UN", "EU", "IS" are
actors and "us", "is" are not; "the Kremlin" also matches "The Kremlin". A demonym or a
country's possessive followed by a title ("Hungarian Prime Minister", "Russia's foreign
ministry", "US Secretary of State Antony Blinken") becomes one mention of the state, so the
rules see one noun phrase. Mentions next to each other form groups: coordinations
("Mali, Burkina Faso and Niger") and compounds ("the Seoul-Washington alliance").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboard.annotator.cues import Lexicon, match_phrase
from dashboard.annotator.tokens import POSSESSIVE, Sentence, tokenize
from dashboard.registry import Alias, AliasKind, Registry

_CONNECT = {"and", "or", "&"}
_COMPOUND = {"-", "–", "—", "/"}
_SKIP_IN_COORD = {"the", "its", "his", "her", "their"}
# "the States" is the USA, "States" alone is anybody's member states.
_NEEDS_THE = {("States",), ("Emirates",), ("PA",), ("Islamic", "Republic")}


@dataclass
class Mention:
    start: int  # token index
    end: int  # one past the last token, the possessive "'s" not included
    actor: str
    kind: str
    possessive: bool = False
    title: bool = False

    @property
    def last(self) -> int:
        """One past the last token including the possessive."""
        return self.end + (1 if self.possessive else 0)


@dataclass
class Group:
    members: list[Mention]
    kind: str = "single"  # single, coordination, compound
    id: int = 0
    actors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.actors = list(dict.fromkeys(m.actor for m in self.members))

    @property
    def start(self) -> int:
        return self.members[0].start

    @property
    def end(self) -> int:
        return self.members[-1].last

    @property
    def possessive(self) -> bool:
        return self.members[-1].possessive


class MentionFinder:
    def __init__(self, registry: Registry, lexicon: Lexicon) -> None:
        self.registry = registry
        self.lexicon = lexicon
        table: dict[tuple[str, ...], list[Alias]] = {}
        for alias in registry.aliases:
            # Canonical ids (RUS, PRK) are not how news writes; those that are (NATO, USA)
            # are listed as names or aliases too.
            if alias.kind is AliasKind.ID:
                continue
            words = tuple(_norm(t) for t in tokenize(alias.text))
            variants = [words]
            if words[0] == "the" and len(words) > 1:
                variants = [("the",) + words[1:], ("The",) + words[1:]]
                if words[1:] not in _NEEDS_THE:
                    variants.append(words[1:])
            for v in variants:
                table.setdefault(v, []).append(alias)
        self.by_first: dict[str, list[tuple[tuple[str, ...], list[Alias]]]] = {}
        for words, aliases in table.items():
            self.by_first.setdefault(words[0], []).append((words, aliases))
        for options in self.by_first.values():
            options.sort(key=lambda o: len(o[0]), reverse=True)

    def find(self, sent: Sentence, on: dt.date | None) -> list[Mention]:
        texts = [_norm(t) for t in sent.texts]
        n = len(texts)
        found: list[Mention] = []
        i = 0
        while i < n:
            hit = self._match(texts, i, on)
            if hit is None:
                i += 1
                continue
            length, actor, kind = hit
            mention = Mention(i, i + length, actor, kind)
            if not self._not_actor(texts, mention):
                found.append(mention)
            i += length
        return self._with_titles(sent, texts, found)

    def _match(self, texts: list[str], i: int, on: dt.date | None):
        for words, aliases in self.by_first.get(texts[i], ()):
            if tuple(texts[i:i + len(words)]) != words:
                continue
            actors = {a.actor_id: a for a in aliases if a.valid_on(on)}
            if len(actors) == 1:
                alias = next(iter(actors.values()))
                return len(words), alias.actor_id, alias.kind.value
            if len(actors) > 1:
                return None  # ambiguous on this date ("Rutte" between two offices)
        return None

    def _not_actor(self, texts: list[str], m: Mention) -> bool:
        if m.end < len(texts) and texts[m.end] in self.lexicon.heads_after:
            return True
        return any(tuple(texts[max(0, m.start - len(p)):m.start]) == p
                   for p in self.lexicon.words_before)

    def _with_titles(self, sent: Sentence, texts: list[str], found: list[Mention]) -> list[Mention]:
        lowers = sent.lowers
        out: list[Mention] = []
        k = 0
        while k < len(found):
            m = found[k]
            k += 1
            j = m.end
            if j < len(texts) and texts[j] in POSSESSIVE and not (
                    texts[j] in ("'", "’") and not texts[j - 1].endswith("s")):
                j += 1
                possessive = True
            else:
                possessive = False
            titled = False
            for _ in range(3):
                n = match_phrase(lowers, j, self.lexicon.titles)
                if not n:
                    break
                j += n
                titled = True
            if titled:
                # A name after the title belongs to the same phrase: "Foreign Minister Cho
                # Tae-yul", "President Andrzej Duda" (absent from the registry).
                if k < len(found) and found[k].start == j and found[k].actor == m.actor:
                    j = found[k].end
                    k += 1
                else:
                    names = 0
                    while (j < len(texts) and names < 3 and texts[j][:1].isupper()
                           and texts[j].isalpha() and not any(f.start == j for f in found)
                           and lowers[j] not in self.lexicon.forms):
                        j += 1
                        names += 1
                out.append(Mention(m.start, j, m.actor, m.kind, False, True))
            else:
                out.append(Mention(m.start, m.end, m.actor, m.kind, possessive, False))
        return out


def groups(sent: Sentence, mentions: list[Mention]) -> list[Group]:
    """Adjacent mentions joined into coordinations and compounds."""
    lowers = sent.lowers
    out: list[Group] = []
    i = 0
    while i < len(mentions):
        chain = [mentions[i]]
        links: list[str] = []
        j = i + 1
        while j < len(mentions):
            gap = lowers[chain[-1].last:mentions[j].start]
            link = _link(gap)
            if link is None:
                break
            chain.append(mentions[j])
            links.append(link)
            j += 1
        # "A, B and C" is a list; "With A, B said" is not: a comma list must end in "and".
        while links and links[-1] == ",":
            links.pop()
            chain.pop()
        kind = "single" if len(chain) == 1 else (
            "compound" if all(lk == "-" for lk in links) else "coordination")
        out.append(Group(chain, kind, id=len(out)))
        i += len(chain)
    return out


def _link(gap: list[str]) -> str | None:
    words = [w for w in gap if w not in _SKIP_IN_COORD]
    if len(words) == 1 and words[0] in _COMPOUND and len(gap) == 1:
        return "-"
    if words in (["and"], ["or"], ["&"], [",", "and"], [",", "or"], ["as", "well", "as"]):
        return "and"
    if words == [","]:
        return ","
    return None


def _norm(text: str) -> str:
    return text.replace("\u2019", "'")
