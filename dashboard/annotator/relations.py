"""Who does what to whom in one sentence: the rules that turn cues and actor phrases into edges.

Order matters: relation nouns are read first, right to left, so that "condemned the
cooperation between X and Y" can ask the noun who its parties are; then verbs, left to right,
so an object used by one verb is not taken as the subject of the next ("X attacked Y and
threatened Z"); last, nouns without a stated source take the clause's subject ("The EU
imposed sanctions on Iran"), unless a condemnation or accusation is only talking about them
("condemned the attack on Israel" says nothing about who attacked).
"""

from __future__ import annotations

from itertools import combinations

from dashboard.annotator.cues import Lexicon, match_phrase
from dashboard.annotator.mentions import Group, Mention
from dashboard.annotator.scanning import (
    _FACTOR,
    ANAPHORS,
    AUX,
    BOUNDARY,
    DETERMINERS,
    MAX_SKIP_NOUN,
    MAX_SKIP_VERB,
    POSS_PRONOUNS,
    PREPS,
    Context,
    Hit,
    Proposed,
    SentenceRules,
)
from dashboard.annotator.tokens import QUOTES, Sentence
from dashboard.taxonomy import EventType, Stance, stance_of

Party = tuple[str, Mention | None]
# Confidence factor of an edge the sentence attributes to someone other than its source.
REPORTED = 0.85


def sentence_relations(sent: Sentence, groups: list[Group], lexicon: Lexicon,
                       kinds: dict[str, str], context: Context) -> tuple[list[Proposed], list[Hit]]:
    r = SentenceRules(sent, groups, lexicon, kinds, context)
    if not r.hits:
        _remember(r, [])
        return [], []
    if _about_sport(r):
        return [], r.hits
    nouns = [h for h in r.hits if h.pos == "noun"]
    for h in reversed(nouns):
        _read_noun(r, h)
    for h in r.hits:
        if h.pos == "verb":
            _apply_verb(r, h)
    for h in nouns:
        _finish_noun(r, h)
    out = _conditioned(r, _dedupe(r.out))
    _remember(r, out)
    return out, r.hits


def _conditioned(r: SentenceRules, out: list[Proposed]) -> list[Proposed]:
    """"X will withdraw ... / impose tariffs on Y unless ...": a threat, and nothing else of
    that clause has happened."""
    threat = [p for p in out if p.hit.cue.lemma == "unless"]
    if not threat:
        return out
    u = r.lw.index("unless")
    return [p for p in out if p in threat or p.hit.start > u]


def _about_sport(r: SentenceRules) -> bool:
    lw = r.lw
    for i in range(r.n):
        if r.group_at[i] is not None:
            continue
        if match_phrase(lw, i, r.lex.sports):
            return True
        if (lw[i].isdigit() and i + 2 < r.n and lw[i + 1] == "-" and lw[i + 2].isdigit()
                and len(lw[i]) <= 2 and len(lw[i + 2]) <= 2):
            return True  # a score: "1-0", "2-2"
    return False


# --- nouns ------------------------------------------------------------------------------

def _read_noun(r: SentenceRules, h: Hit) -> None:
    h.dropped = r.negated(h) or r.hearsay(h) or r.hedged(h) or r.conditional(h)
    before = _premodifier(r, h)
    if before:
        members, how = before
        if h.cue.symmetric:
            h.parties.extend(members)
        else:
            h.sources.extend(members)
        h.how = how
    agent = r.agent(h)
    if agent and not h.sources and not h.cue.symmetric:
        h.sources, h.how = agent, "by-agent"
    found, via = r.scan_right(h, h.end, MAX_SKIP_NOUN)
    if isinstance(found, Group) and via != "object":
        members = _allowed(r, h, r._members(found))
        r.consumed.add(found.id)
        if h.cue.symmetric:
            h.parties.extend(members)
            h.how = h.how or ("between" if via == "between" else "coordination"
                              if len(found.actors) > 1 else "with")
        else:
            h.targets = members
    elif isinstance(found, Hit):
        if stance_of(h.cue.relation) is Stance.HOSTILE:
            found.reported = True
        if not h.cue.symmetric:
            h.targets = found.sources or found.parties
    elif found is None and h.sources and not h.cue.symmetric:
        # "China's use of water cannon on its boats", "the strike on its territory": "its"
        # after the cue's preposition is the clause subject's.
        k = h.end
        while k < r.n and k < h.end + 4 and r.lw[k] not in POSS_PRONOUNS:
            if r.lw[k] in BOUNDARY or r.group_at[k] is not None:
                return
            k += 1
        if k < r.n and r.lw[k] in POSS_PRONOUNS and r.lw[k - 1] in h.cue.preps | {"on", "at"}:
            owner, _ = r.subject(h.start, ignore_consumed=True)
            sources = {a for a, _ in h.sources}
            h.targets = [(a, m) for a, m in owner if a not in sources]


def _premodifier(r: SentenceRules, h: Hit):
    lw, k, skipped = r.lw, h.start - 1, 0
    while k >= 0:
        g = r.group_at[k]
        if g is not None:
            how = ("compound" if g.kind == "compound" else "coordination" if len(g.actors) > 1
                   else "possessive" if g.possessive else "premodifier")
            return r._members(g), how
        w = lw[k]
        if w in POSS_PRONOUNS:
            members = _possessive_pronoun(r, k)
            return (members, "possessive") if members else None
        if w in QUOTES or w == "-":
            k -= 1
            continue
        if w in {"new", "fresh", "further", "additional", "latest", "first"}:
            k -= 1
            continue
        if w in {"and", "or", "but"} or r._verb_at(k):
            return None  # "... and announced new sanctions": not a premodifier
        if (w in DETERMINERS or w in BOUNDARY or w in PREPS or w in AUX
                or any(o.head == k for o in r.hits)):
            return None
        skipped += 1
        if skipped > 3:
            return None
        k -= 1
    return None


def _possessive_pronoun(r: SentenceRules, k: int) -> list:
    left = [g for g in r.groups if g.end <= k]
    if r.lw[k] == "their":
        for g in reversed(left):
            if len(g.actors) > 1:
                return r._members(g)
        subject, _ = r.subject(k)
        return subject
    if left:
        return r._members(left[-1])
    return r.from_context(r.ctx.last_subject, k)


def _finish_noun(r: SentenceRules, h: Hit) -> None:
    if h.dropped:
        return
    how = h.how or "with"
    if h.cue.symmetric:
        parties = list(h.parties)
        if len({a for a, _ in parties}) < 2 and not h.reported:
            subject, how2 = _subject_or_speaker(r, h.start)
            if subject and how2 == "subject" and _other_event(r, subject, h):
                subject = []
            if subject:
                parties = subject + parties
                how = how2 if not h.parties else "clause-subject"
        if h.cue.lemma == "drills" and len(h.parties) < 2 and len(
                {a for a, _ in parties}) > len({a for a, _ in h.parties}) and len(
                {a for a, _ in parties} - {a for a, _ in h.parties}) < 2:
            return  # plain "drills" are joint only between a coordination or "with" parties
        _emit_pairs(r, h, parties, how)
        return
    sources = h.sources
    if not sources and not h.reported:
        sources, how = _subject_or_speaker(r, h.start)
        how = "clause-subject" if how == "subject" else how
        if how == "clause-subject" and _other_event(r, sources, h):
            return
    _emit(r, h, sources, h.targets, how)


def _other_event(r: SentenceRules, sources: list, h: Hit) -> bool:
    """"X imposed sanctions on Y after the drone attack on Z": a noun in an after/amid phrase
    names another event, not one of the clause subject's."""
    ends = [m.end for _, m in sources if m is not None]
    start = max(ends) if ends else 0
    return any(w in {"after", "following", "amid", "despite", "over", "since", "before"}
               for w in r.lw[start:h.start])


# --- verbs ------------------------------------------------------------------------------

def _apply_verb(r: SentenceRules, h: Hit) -> None:
    lw = r.lw
    mode = r.infinitive(h)
    drop = (r.negated(h) or r.hearsay(h) or mode == "irrealis" or r.hedged(h)
            or r.conditional(h) or h.dropped)
    if r.passive(h):
        agent = r.agent(h)
        patient, _ = r.subject(h.start)
        if not drop and agent:
            _emit(r, h, agent, _allowed(r, h, patient), "passive")
        return
    gerund = lw[h.head].endswith("ing") and h.start > 0 and lw[h.start - 1] in {"for", "of"}
    # "companies supplying the Russian army": a participle after its noun takes that noun's
    # actor even when an earlier cue took it as its object.
    participle = (lw[h.head].endswith("ing") and h.start > 0 and r.group_at[h.start - 1]
                  is None and lw[h.start - 1] not in AUX and lw[h.start - 1] not in BOUNDARY
                  and lw[h.start - 1] not in {"and", "or", "by", "for", "of"})
    subject, how = r.subject(h.start, ignore_consumed=gerund or participle)
    if gerund and subject:
        how = "object-of"
    if not subject:
        subject, how = _subject_or_speaker(r, h.start)
    found, _ = r.scan_right(h, h.head + 1, MAX_SKIP_VERB)
    targets: list = []
    if h.cue.event is EventType.MOBILIZE:
        found = _mobilize_target(r, h)
    elif h.cue.event is EventType.REJECT:
        found = _agent_after(r, h) or found
    elif h.cue.event is EventType.THREATEN and found is None:
        found = _threat_target(r, h)
    if found is None and _refers_back(r, h.end):
        # "Brussels criticised the move": the parties or source of the last event
        targets = _allowed(r, h, r.from_context(r.ctx.last_event, h.end))
    if isinstance(found, Group):
        r.consumed.add(found.id)
        targets = _allowed(r, h, r._members(found))
        for k in range(found.end, min(r.n, found.end + 3)):
            after = r.noun_at.get(k)
            if after is not None and (drop or stance_of(h.cue.relation) is Stance.HOSTILE):
                # "suspended Gabon's membership", "rejects EU migration pact": the noun is
                # what is acted upon
                after.reported = True
    elif isinstance(found, Hit):
        noun = found
        if h.cue.light or noun.cue.relation is h.cue.relation:
            return  # "signed a treaty", "launched an offensive": the noun says it
        if drop:
            noun.reported = True  # "has yet to approve the aid package": not the subject's
        if stance_of(h.cue.relation) is Stance.HOSTILE:
            noun.reported = True
        targets = _allowed(r, h, noun.sources or noun.parties)
        if not targets and _refers_back(r, noun.start - 1):
            targets = _allowed(r, h, r.from_context(r.ctx.last_event, noun.head))
            noun.reported = True
        if not targets and h.cue.event is EventType.THREATEN:
            targets = _allowed(r, h, noun.targets)  # "threatened to cut supplies to X"
    if h.cue.event is EventType.REQUEST:
        # What is demanded has not happened: no edge from the cues of the demand itself.
        for other in r.hits:
            if other.start > h.end and other.start <= h.end + 10:
                other.dropped = True
    if drop:
        return
    end = h.end
    if h.cue.mutual:
        # "X and Y clashed", "X fought Y": each side attacks the other.
        parties = subject + [t for t in targets if t[0] not in {a for a, _ in subject}]
        if targets:
            _emit(r, h, subject, targets, how)
            _emit(r, h, targets, subject, how)
        else:
            for a, b in combinations(parties, 2):
                _emit(r, h, [a], [b], "reciprocal")
                _emit(r, h, [b], [a], "reciprocal")
        return
    if lw[end:end + 2] in (["each", "other"], ["one", "another"]):
        for a, b in combinations(subject, 2):
            _emit(r, h, [a], [b], "reciprocal")
            _emit(r, h, [b], [a], "reciprocal")
        return
    if h.cue.symmetric:
        _emit_pairs(r, h, subject + targets, how if not targets else "coordination"
                    if not subject else how)
    else:
        _emit(r, h, subject, targets, how)


_BORDER = {"border", "borders", "frontier", "frontiers", "line", "waters", "airspace", "coast"}
_AIMED = {"against", "toward", "towards", "near", "around", "deter", "at", "as", "off"}


def _refers_back(r: SentenceRules, k: int) -> bool:
    """ "the deal", "this move" at token k, with an earlier sentence's event to refer to."""
    lw = r.lw
    if not r.ctx.last_event or k >= r.n or lw[k] not in {"the", "this", "that"}:
        return False
    j = k + 1
    while j < r.n and j < k + 3 and lw[j] not in ANAPHORS:
        if r.group_at[j] is not None or lw[j] in BOUNDARY:
            return False
        j += 1
    if j >= r.n or lw[j] not in ANAPHORS:
        return False
    nxt = lw[j + 1] if j + 1 < r.n else "."
    return nxt in BOUNDARY or nxt in {"and", "as", "for", "on", "in", "by"}


def _mobilize_target(r: SentenceRules, h: Hit) -> Group | None:
    """Whom a show of force is aimed at: "massed troops on the border with X", "near the X
    border", "for a possible war against X", "as a warning to X", "after the X attack"; a
    destination alone ("sent troops to X") is not a target."""
    lw = r.lw
    for j in range(h.end, min(r.n, h.end + 16)):
        if lw[j] in {"after", "following"}:
            k = j + 1
            while k < r.n and lw[k] in DETERMINERS:
                k += 1
            g = r.group_at[k] if k < r.n else None
            if g is not None and g.end < r.n and r.noun_at.get(g.end) is not None and \
                    stance_of(r.noun_at[g.end].cue.relation) is Stance.HOSTILE:
                return g  # "put its forces on alert after the Indian strikes"
    for j in range(h.end, min(r.n, h.end + 16)):
        if lw[j] in {".", ";", "!", "?"}:
            break
        g = r.group_at[j]
        if g is None or g.start != j:
            continue
        if g.end < r.n and lw[g.end] in _BORDER:
            return g
        k = j - 1
        while k >= h.end and lw[k] in DETERMINERS | {"possible", "any"}:
            k -= 1
        prev = lw[k] if k >= h.end else ""
        if prev in _AIMED or (prev == "with" and k and lw[k - 1] in _BORDER) or (
                prev == "to" and k and lw[k - 1] in {"warning", "message", "signal"}):
            return g
    return None


def _agent_after(r: SentenceRules, h: Hit) -> Group | None:
    """"rejected a resolution drafted by the United States": the proposal's author."""
    lw = r.lw
    for j in range(h.end, min(r.n, h.end + 10)):
        if lw[j] in BOUNDARY - {"that"}:
            return None
        if lw[j] in {"by", "from"}:
            k = j + 1
            while k < r.n and lw[k] in DETERMINERS:
                k += 1
            if k < r.n and r.group_at[k] is not None:
                return r.group_at[k]
    return None


def _threat_target(r: SentenceRules, h: Hit) -> Group | None:
    """"threatened to expand its operations into Lebanon", "... if NATO expands"."""
    lw = r.lw
    if h.end >= r.n or lw[h.end] != "to":
        return None
    for j in range(h.end + 1, min(r.n, h.end + 14)):
        if lw[j] in {".", ";", ","}:
            return None
        g = r.group_at[j]
        if g is None or g.start != j:
            continue
        k = j - 1
        while k > h.end and lw[k] in DETERMINERS:
            k -= 1
        if lw[k] in {"into", "against", "on", "at", "if", "unless", "with", "to"}:
            return g
    return None


def _subject_or_speaker(r: SentenceRules, pos: int):
    subject, how = r.subject(pos)
    if subject:
        return subject, how
    speaker = r.speaker()
    return (speaker, "speaker") if speaker else ([], "")


def _allowed(r: SentenceRules, h: Hit, members: list) -> list:
    kinds = h.cue.target_kinds
    if not kinds:
        return list(members)
    return [(a, m) for a, m in members if r.kinds.get(a) in kinds]


# --- output -----------------------------------------------------------------------------

def _emit(r: SentenceRules, h: Hit, sources: list, targets: list, how: str) -> None:
    for source, sm in sources:
        for target, tm in targets:
            if source != target:
                r.out.append(Proposed(source, target, h, sm, tm, _rule(h, how),
                                      _confidence(r, h, how, source)))


def _emit_pairs(r: SentenceRules, h: Hit, parties: list, how: str) -> None:
    seen: dict[str, Mention | None] = {}
    for actor, m in parties:
        seen.setdefault(actor, m)
    for (a, am), (b, bm) in combinations(seen.items(), 2):
        r.out.append(Proposed(a, b, h, am, bm, _rule(h, how), _confidence(r, h, how, a, b)))


def _rule(h: Hit, how: str) -> str:
    return f"{h.cue.lemma}/{h.pos}:{how or 'subject'}"


def _confidence(r: SentenceRules, h: Hit, how: str, *sources: str) -> float:
    """The cue's base confidence, times how the parties were found, times 0.85 when the
    sentence reports what someone else said ("..., according to Seoul", "Kyiv said Russia
    struck ...") and the source is not that speaker. docs/annotator.md says what a level means
    and how it was calibrated."""
    confidence = h.cue.confidence * _FACTOR.get(how, 0.8)
    speaker = r.speaker()
    if speaker and how != "speaker" and not {a for a, _ in speaker} & set(sources):
        confidence *= REPORTED
    return round(confidence, 2)


def _dedupe(found: list[Proposed]) -> list[Proposed]:
    best: dict[tuple, Proposed] = {}
    for p in found:
        relation = p.hit.cue.relation
        pair = (tuple(sorted((p.source, p.target))) if p.hit.cue.symmetric
                else (p.source, p.target))
        key = (pair, relation)
        if key not in best or p.confidence > best[key].confidence:
            best[key] = p
    return list(best.values())


def _remember(r: SentenceRules, out: list[Proposed]) -> None:
    speaker = r.speaker()
    # Token positions mean nothing in the next sentence: keep the actors only.
    if speaker:
        r.ctx.last_subject = [(a, None) for a, _ in speaker]
    else:
        for g in r.groups:
            if not r._governed(g) and g.id not in r.consumed:
                r.ctx.last_subject = [(a, None) for a in g.actors]
                break
    if out:
        r.ctx.last_pair = [(out[-1].source, None), (out[-1].target, None)]
        last = out[-1]
        r.ctx.last_event = ([(last.source, None), (last.target, None)] if last.hit.cue.symmetric
                            else [(last.source, None)])
