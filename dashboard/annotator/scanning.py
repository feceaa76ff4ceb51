"""The sentence scanner the who-and-whom rules (relations.py) are built on.

There is no parser (the blank pipeline has none), so the rules read the token sequence the
way a careful reader skims: the subject is the nearest actor phrase to the left of the cue
that is not governed by a preposition or already used as an object; the target is the first
actor phrase to the right reachable through determiners, modifiers and the cue's own
prepositions. Nouns ("condemnation", "the Seoul-Washington alliance") take their parties from
a possessive or compound before them, "of/by/with/between" after them, or else the clause's
subject. This module finds the cues and the phrases; relations.py decides the edges.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.annotator.cues import Cue, Form, Lexicon, match_phrase
from dashboard.annotator.mentions import Group, Mention
from dashboard.annotator.tokens import POSSESSIVE, QUOTES, Sentence

PREPS = frozenset({"in", "at", "with", "to", "for", "on", "from", "by", "over", "against",
                   "during", "near", "into", "across", "between", "among", "about", "under",
                   "through", "toward", "towards", "within", "without", "around", "off", "via",
                   "like", "including", "behind", "beyond", "along", "upon",
                   "onto", "throughout", "outside", "inside", "of", "after", "before"})
BOUNDARY = frozenset({",", ";", ":", ".", "!", "?", "that", "which", "who", "whom", "while",
                      "but", "because", "since", "although", "though", "amid", "despite",
                      "following", "after", "before", "when", "as", "until", "unless", "if",
                      "where", "whereas", "(", ")", "—", "–", "|"})
LEFT_BOUNDARY = frozenset({";", ":", "that", "which", "who", "whom", "while", "but", "because",
                           "since", "although", "though", "whereas", "if", "unless", "(", ")",
                           "|"})
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "these",
                         "those", "any", "no", "new", "fresh", "further", "our", "such",
                         "more", "additional", "some", "latest", "first", "all"})
BE = frozenset({"was", "were", "is", "are", "been", "being", "be", "get", "got", "gets"})
AUX = BE | {"will", "would", "can", "could", "may", "might", "must", "shall", "should", "did",
            "does", "do", "has", "have", "had", "to", "not", "n't", "never"}
PRONOUNS = frozenset({"he", "she", "it", "they", "we"})
# Nouns that refer back to an earlier event ("Moscow welcomed the deal").
ANAPHORS = frozenset({"agreement", "deal", "pact", "accord", "treaty", "move", "decision",
                      "step", "truce", "memorandum", "arrangement", "announcement", "plan"})
# Heads after a state's name or demonym that are not the state ("Syrian rebels").
NOT_STATE_HEADS = frozenset({"opposition", "rebels", "rebel", "insurgents", "militants",
                             "dissidents", "protesters", "protestors", "refugees", "civilians",
                             "minority", "minorities", "separatists", "guerrillas", "exiles",
                             "diaspora", "activists", "warring", "rival", "factions"})
_BACKERS = frozenset({"backed", "funded", "supported", "armed", "sponsored", "aligned",
                      "allied", "based", "born", "trained", "financed"})
# Adjectives between a preposition and the place it governs ("in northern Syria").
_PLACE_ADJECTIVES = frozenset({"northern", "southern", "eastern", "western", "central",
                               "northeastern", "northwestern", "southeastern", "southwestern",
                               "occupied", "neighbouring", "neighboring", "war-torn"})
POSS_PRONOUNS = frozenset({"its", "their", "his", "her"})
PAIR_NOUNS = frozenset({"sides", "countries", "leaders", "nations", "governments", "ministers",
                        "allies", "presidents"})
MAX_SKIP_VERB, MAX_SKIP_NOUN = 6, 3
# Words that make what follows them in the clause a possibility, not a fact ("may impose",
# "is considering sanctions", "has yet to ratify", "a possible offensive").
HEDGES = frozenset({"may", "might", "could", "considering", "weighing", "mulling", "studying",
                    "reviewing", "possible", "possibly", "potential", "yet", "expected",
                    "preparing", "planning", "mull", "weigh", "consider", "contemplating",
                    "proposed", "likely", "unlikely", "reportedly"})
# Words that open a clause about what has not happened ("if China invaded Taiwan").
CONDITIONALS = frozenset({"if", "whether", "unless", "lest"})


@dataclass
class Hit:
    start: int
    end: int
    head: int
    form: Form
    pos: str
    reported: bool = False  # inside what a condemnation or accusation is about
    dropped: bool = False
    sources: list[tuple[str, Mention | None]] = field(default_factory=list)
    parties: list[tuple[str, Mention | None]] = field(default_factory=list)
    targets: list[tuple[str, Mention | None]] = field(default_factory=list)
    how: str = ""

    @property
    def cue(self) -> Cue:
        return self.form.cue


@dataclass
class Proposed:
    source: str
    target: str
    hit: Hit
    source_mention: Mention | None
    target_mention: Mention | None
    rule: str
    confidence: float


@dataclass
class Context:
    """What earlier sentences of the article leave for pronouns ("He thanked Cho")."""

    last_subject: list[tuple[str, Mention | None]] = field(default_factory=list)
    last_pair: list[tuple[str, Mention | None]] = field(default_factory=list)
    # The parties (symmetric) or the source (directed) of the last sentence's last cooperative
    # event: "the agreement", "the deal", "the move" in a later sentence refer back to it.
    last_event: list[tuple[str, Mention | None]] = field(default_factory=list)


_FACTOR = {"subject": 1.0, "passive": 0.95, "possessive": 0.95, "compound": 0.95,
           "between": 0.95, "coordination": 0.95, "clause-subject": 0.85, "speaker": 0.8,
           "pronoun": 0.75, "both": 0.75, "object-of": 0.9}


class SentenceRules:
    def __init__(self, sent: Sentence, groups: list[Group], lexicon: Lexicon,
                 kinds: dict[str, str], context: Context) -> None:
        self.s = sent
        self.lw = sent.lowers
        self.n = len(sent)
        self.lex = lexicon
        self.kinds = kinds
        self.ctx = context
        self.groups = groups
        self.group_at: list[Group | None] = [None] * self.n
        for g in groups:
            for k in range(g.start, g.end):
                self.group_at[k] = g
        self.consumed: set[int] = set()
        self.hits = self._find_cues()
        self.noun_at = {h.start: h for h in self.hits if h.pos == "noun"}
        self.out: list[Proposed] = []

    # --- cues ---------------------------------------------------------------------------
    def _find_cues(self) -> list[Hit]:
        hits, i = [], 0
        while i < self.n:
            if self.group_at[i] is not None:
                i += 1
                continue
            hit = self._cue_at(i)
            if hit:
                hits.append(hit)
                # Past the words the cue took ("cut off talks": "talks" is not a cue again).
                i = max(hit.end, hit.head + len(hit.form.words))
            else:
                i += 1
        return hits

    def _cue_at(self, i: int) -> Hit | None:
        lw = self.lw
        options = [f for f in self.lex.forms.get(lw[i], ())
                   if tuple(lw[i:i + len(f.words)]) == f.words]
        for form in options:
            cue, start, end = form.cue, i, i + len(form.words)
            if cue.before:
                found = next((k for k in range(max(0, i - cue.gap - 1), i)
                              if match_phrase(lw, k, cue.before)), None)
                if found is None:
                    continue
                start = found
            if end < self.n and lw[end] in cue.not_next:
                continue
            if cue.requires and not any(w in cue.requires for w in lw[end:end + cue.within]):
                continue
            if cue.after:
                found = next((k for k in range(end, min(self.n, end + cue.gap + 1))
                              if match_phrase(lw, k, cue.after)), None)
                if found is None:
                    continue
                end = found + match_phrase(lw, found, cue.after)
            pos = self._pos(form, options, start, end)
            if pos is None:
                continue
            chosen = next((f for f in options if f.cue is form.cue and f.pos == pos), form)
            return Hit(start, end, i, chosen, pos)
        return None

    def _pos(self, form: Form, options: list[Form], start: int, end: int) -> str | None:
        poses = {f.pos for f in options if f.cue is form.cue and f.words == form.words}
        prev = self.lw[start - 1] if start else ""
        after_group = start > 0 and self.group_at[start - 1] is not None
        if len(poses) == 1:
            pos = next(iter(poses))
            # "the launch", "its backing": a verb form after a determiner is a noun we
            # do not list, so not a cue.
            if pos == "verb" and (prev in DETERMINERS or prev in POSSESSIVE):
                return None
            return pos
        if prev in AUX or prev in {"and", "who", "which", "n't"}:
            return "verb"
        if prev in DETERMINERS or prev in POSSESSIVE or prev in PREPS:
            return "noun"
        if after_group:
            nxt = self.lw[end] if end < self.n else ""
            if self.group_at[end] if end < self.n else False:
                return "verb"
            return "verb" if nxt in DETERMINERS else "noun"
        return "noun"

    # --- scanning helpers ----------------------------------------------------------------
    def _governed(self, g: Group) -> bool:
        k = g.start - 1
        while k >= 0 and (self.lw[k] in DETERMINERS | QUOTES or self.lw[k] in _PLACE_ADJECTIVES):
            k -= 1
        return k >= 0 and self.lw[k] in PREPS and self.lw[k] != "of"

    def subject(self, pos: int, ignore_consumed: bool = False):
        """Actors (with mentions) of the subject left of token `pos`, and how found."""
        lw, j, steps = self.lw, pos - 1, 0
        while j >= 0 and steps < 30:
            steps += 1
            g = self.group_at[j]
            if g is not None:
                if ((g.id in self.consumed and not ignore_consumed)
                        or (self._governed(g) and not self._clause_subject(g))
                        or self.proxy(g, subject=True)):
                    j = g.start - 1
                    continue
                return self._listed(g), "subject"
            w = lw[j]
            if w == "and" and j + 1 < pos and self._verb_at(j + 1):
                # "X condemned Y's ... and announced sanctions": the first verb's subject
                first = next((h for h in self.hits if h.pos == "verb" and h.start < j), None)
                if first is not None:
                    return self.subject(first.start, ignore_consumed=True)
            if w in PRONOUNS:
                return self._pronoun(j), "pronoun"
            if w == "both" or (w in PAIR_NOUNS and j and lw[j - 1] in {"two", "both"}):
                return self._both(j), "both"
            if w in LEFT_BOUNDARY:
                if w in {"which", "who"} and j >= 2 and lw[j - 1] == ",":
                    g = self.group_at[j - 2]
                    if g is not None:
                        return self._members(g), "subject"
                return [], ""
            j -= 1
        return [], ""

    def _clause_subject(self, g: Group) -> bool:
        """ "after Minsk and Moscow held drills": after a conjunction that is also a
        preposition, a group followed by a finite verb is its clause's subject."""
        k = g.start - 1
        while k >= 0 and self.lw[k] in DETERMINERS:
            k -= 1
        return (k >= 0 and self.lw[k] in {"after", "before", "since", "until", "as", "while"}
                and g.end < self.n and self._verb_at(g.end))

    def _listed(self, g: Group) -> list[tuple[str, Mention | None]]:
        """A subject and the actors listed before it with bare commas from the start of the
        sentence: headlines coordinate that way ("Japan, Philippines seal troop pact")."""
        members, k = self._members(g), g.start
        chain = []
        while k >= 2 and self.lw[k - 1] == "," and self.group_at[k - 2] is not None:
            prev = self.group_at[k - 2]
            chain = self._members(prev) + chain
            k = prev.start
        return chain + members if chain and k == 0 else members

    def _members(self, g: Group) -> list[tuple[str, Mention | None]]:
        return [(m.actor, m) for m in g.members]

    def _pronoun(self, j: int):
        if self.lw[j] == "we":
            speaker = self.speaker()
            if speaker:  # '"We condemn ...," the ministry said'
                return speaker
        for k in range(j - 1, -1, -1):
            g = self.group_at[k]
            if g is not None and not self._governed(g):
                return self._members(g)
        return self.from_context(self.ctx.last_subject, j)

    def from_context(self, parties, j: int):
        """Actors of an earlier sentence, pinned to the pronoun at token j of this one."""
        return [(a, Mention(j, j + 1, a, "pronoun")) for a, _ in parties]

    def _both(self, j: int):
        for p in reversed(self.out):
            return [(p.source, p.source_mention), (p.target, p.target_mention)]
        return self.from_context(self.ctx.last_pair, j)

    def speaker(self):
        lw = self.lw
        for v, w in enumerate(lw):
            if w not in self.lex.speech_verbs:
                continue
            if w == "according" and v + 1 < self.n and lw[v + 1] == "to":
                k = v + 2
                while k < self.n and lw[k] in DETERMINERS:
                    k += 1
                if k < self.n and self.group_at[k] is not None:
                    return self._members(self.group_at[k])
                continue
            k = v + 1
            while k < self.n and lw[k] in {",", "the"}:
                k += 1
            if k < self.n and self.group_at[k] is not None and self.group_at[k].start == k:
                return self._members(self.group_at[k])
            k = v - 1
            while k >= 0 and lw[k] in {"also", "has", "had", "have"}:
                k -= 1
            if k >= 0 and self.group_at[k] is not None:
                return self._members(self.group_at[k])
        return []

    def scan_right(self, hit: Hit, j: int, max_skip: int):
        """The first group (or relation noun) an object search reaches from token j."""
        lw, skipped, via = self.lw, 0, "object"
        while j < self.n:
            if hit.start <= j < hit.end and j != hit.head:
                j += 1
                continue
            g = self.group_at[j]
            if g is not None:
                if self.proxy(g):  # "Turkish-backed fighters" are not Turkey
                    j = g.end + 2
                    continue
                return g, via
            inner = self.noun_at.get(j)
            if inner is not None and inner is not hit:
                return inner, via
            w = lw[j]
            if w in QUOTES or w in DETERMINERS or w in POSSESSIVE:
                j += 1
                continue
            if w in hit.cue.preps or w == "of":
                via = w
                j += 1
                continue
            if w == "as" and j == hit.head + 1 and hit.cue.event in {"accuse", "reject"}:
                # "denounced as a gross violation of its sovereignty the US sale of arms":
                # the object comes after the "as" phrase.
                max_skip += 8
                j += 1
                continue
            if w in BOUNDARY or w in PREPS:
                return None, via
            if w == "and":
                nxt = self._hit_at(j + 1)
                if nxt is not None and nxt.pos == "verb" or (j + 1 < self.n
                                                              and lw[j + 1] in PRONOUNS):
                    return None, via
                j += 1
                continue
            skipped += 1
            if skipped > max_skip:
                return None, via
            j += 1
        return None, via

    def proxy(self, g: Group, subject: bool = False) -> bool:
        """The group only qualifies a noun ("Turkish-backed fighters", "Iranian-funded"; as an
        object also "Hamas-run", "Saudi-led"), or names people who are not its state
        ("Syrian rebels", "Syria's opposition")."""
        lw = self.lw
        if (g.end < self.n and lw[g.end] in NOT_STATE_HEADS
                and all(self.kinds.get(a) == "state" for a in g.actors)):
            return True
        qualifiers = _BACKERS if subject else _BACKERS | {"led", "run", "controlled"}
        return g.end + 1 < self.n and lw[g.end] == "-" and lw[g.end + 1] in qualifiers

    def _verb_at(self, j: int) -> bool:
        """A finite verb at token j: a verb cue, or a past tense / speech verb."""
        w = self.lw[j]
        return (any(h.start == j and h.pos == "verb" for h in self.hits)
                or (w.endswith("ed") and len(w) > 4) or w in self.lex.speech_verbs
                or w in {"sent", "made", "gave", "took", "held", "set", "put", "cut"})

    def _hit_at(self, j: int) -> Hit | None:
        return next((h for h in self.hits if h.start == j), None)

    def negated(self, hit: Hit) -> bool:
        lw, k = self.lw, hit.start - 1
        steps = 0
        # "refused to commit to any direct assistance": a negation reaches through a chain of
        # infinitives to a noun with "any"/"no", further than to a verb.
        reach = 10 if k >= 0 and (lw[k] in {"any", "no"} or lw[max(0, k - 1)] in {"any", "no"}) \
            else 4
        while k >= 0 and steps < reach:
            if self.group_at[k] is not None or lw[k] in BOUNDARY:
                return False
            if any(h is not hit and h.start <= k < h.end for h in self.hits):
                return False
            for neg in self.lex.negators:
                if tuple(lw[k - len(neg) + 1:k + 1]) == neg:
                    return True
            k -= 1
            steps += 1
        return False

    def hedged(self, hit: Hit) -> bool:
        """A hedge shortly before the cue in its clause: "may impose", "a possible war"."""
        lw, k, steps = self.lw, hit.start - 1, 0
        while k >= 0 and steps < 5:
            w = lw[k]
            if w in HEDGES:
                return True
            if w in BOUNDARY or self.group_at[k] is not None:
                return False
            k -= 1
            steps += 1
        return False

    def conditional(self, hit: Hit) -> bool:
        """The cue is in an if-clause, in a sentence opened by "Should X ...," or about a
        scenario; or it is a noun that is the subject of a modal ("a blockade of Taiwan
        could cost ...")."""
        lw = self.lw
        if any(w in {"scenario", "scenarios", "hypothetical"} for w in lw[:hit.start]):
            return True
        if hit.pos == "noun":
            for k in range(hit.end, min(self.n, hit.end + 5)):
                if lw[k] in {"could", "would", "might", "unlikely"} or lw[k:k + 2] == [
                        "as", "unlikely"]:
                    return True
                if lw[k] in BOUNDARY - {"as"} or any(h.start == k for h in self.hits):
                    break
        for k in range(hit.start - 1, -1, -1):
            if lw[k] in CONDITIONALS:
                return True
            if lw[k] in {",", ";", ":", "—", "–"}:
                break
        if lw and lw[0] == "should":
            first_comma = next((k for k, w in enumerate(lw) if w == ","), self.n)
            return hit.start < first_comma
        return False

    def hearsay(self, hit: Hit) -> bool:
        lw = self.lw
        if hit.start and lw[hit.start - 1] in {"alleged", "allegedly", "suspected"}:
            return True
        saw_link = False
        for k in range(hit.start - 1, max(-1, hit.start - 10), -1):
            if lw[k] in {"and", ";", "but"} or lw[k] in LEFT_BOUNDARY - {"that"}:
                return False
            if lw[k] in {"of", "that"}:
                saw_link = True
            if lw[k] in self.lex.hearsay and saw_link:
                return True
        return False

    def infinitive(self, hit: Hit) -> str:
        """'' if not a to-infinitive; 'commit' if it states a fact; else 'irrealis'."""
        lw, k = self.lw, hit.start - 1
        if k >= 0 and lw[k].endswith("ly"):
            k -= 1
        if k < 0 or lw[k] != "to":
            return ""
        g = k - 1
        if g >= 0 and lw[g].endswith("ly"):
            g -= 1
        if g >= 0 and lw[g] in self.lex.commit_verbs:
            return "commit"
        return "irrealis"

    def passive(self, hit: Hit) -> bool:
        lw, k = self.lw, hit.head - 1
        word = lw[hit.head]
        if not (word.endswith(("ed", "ck", "ot")) or word in {"struck", "shot", "seized"}):
            return False
        while k >= 0 and (lw[k].endswith("ly") or lw[k] in {"also", "not", "reportedly"}):
            k -= 1
        if k >= 0 and lw[k] in BE:
            return True
        nxt = hit.head + 1
        return (nxt < self.n and lw[nxt] == "by" and k >= 0
                and (lw[k] == "," or self.group_at[k] is not None))

    def agent(self, hit: Hit):
        lw = self.lw
        for k in range(hit.end, min(self.n, hit.end + 4)):
            # "criticism from the G7", "a request from Kyiv": a noun's source
            if lw[k] == "by" or (lw[k] == "from" and hit.pos == "noun" and k == hit.end):
                j = k + 1
                while j < self.n and lw[j] in DETERMINERS:
                    j += 1
                if j < self.n and self.group_at[j] is not None:
                    return self._members(self.group_at[j])
                return []
            if lw[k] in BOUNDARY:
                break
        return []
