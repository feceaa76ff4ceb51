"""The relation taxonomy: seven relation types in two stances.

The mapping to PLOVER and CAMEO is documented in docs/taxonomy.md; the table here is the single
source the docs are checked against (tests/test_taxonomy.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Stance(StrEnum):
    COOPERATIVE = "cooperative"
    HOSTILE = "hostile"


class RelationType(StrEnum):
    ALLIANCE = "alliance"
    COOPERATION = "cooperation"
    SUPPORT = "support"
    CONDEMNATION = "condemnation"
    SANCTION = "sanction"
    THREAT = "threat"
    ATTACK = "attack"


@dataclass(frozen=True)
class RelationInfo:
    relation: RelationType
    stance: Stance
    symmetric: bool
    label: str
    plover: tuple[str, ...]
    cameo_roots: tuple[str, ...]
    description: str


RELATIONS: dict[RelationType, RelationInfo] = {
    info.relation: info
    for info in (
        RelationInfo(RelationType.ALLIANCE, Stance.COOPERATIVE, True, "Alliance",
                     ("AGREE", "COOPERATE"), ("03", "05", "06"),
                     "A formal or declared alliance, treaty, pact or strategic partnership."),
        RelationInfo(RelationType.COOPERATION, Stance.COOPERATIVE, True, "Cooperation",
                     ("AGREE", "CONSULT", "COOPERATE"), ("03", "04", "06"),
                     "Joint action: agreements signed, joint drills, coordination, talks."),
        RelationInfo(RelationType.SUPPORT, Stance.COOPERATIVE, False, "Support",
                     ("SUPPORT", "AID", "YIELD"), ("05", "07", "08"),
                     "One side backs the other: aid, arms, diplomatic backing, thanks, "
                     "concessions."),
        RelationInfo(RelationType.CONDEMNATION, Stance.HOSTILE, False, "Condemnation",
                     ("REQUEST", "ACCUSE", "REJECT", "PROTEST"),
                     ("09", "10", "11", "12", "14"),
                     "Public criticism, accusation, demands, rejection or protest."),
        RelationInfo(RelationType.SANCTION, Stance.HOSTILE, False, "Sanction",
                     ("SANCTION",), ("16",),
                     "Sanctions, expulsions, suspensions and other coercive restrictions."),
        RelationInfo(RelationType.THREAT, Stance.HOSTILE, False, "Threat",
                     ("THREATEN", "MOBILIZE"), ("13", "15"),
                     "Threats and warnings of force or punishment; shows of force."),
        RelationInfo(RelationType.ATTACK, Stance.HOSTILE, False, "Attack",
                     ("COERCE", "ASSAULT", "FIGHT"), ("17", "18", "19", "20"),
                     "Use of force: strikes, shelling, invasion, clashes, seizure, detention."),
    )
}

COOPERATIVE = tuple(r for r, i in RELATIONS.items() if i.stance is Stance.COOPERATIVE)
HOSTILE = tuple(r for r, i in RELATIONS.items() if i.stance is Stance.HOSTILE)

# A type's position in `RelationType`: its place in every list of types and its bit below.
RELATION_POSITION = {r.value: i for i, r in enumerate(RelationType)}


def type_order(relation: str) -> tuple[int, str]:
    """Sort key of a relation type's name: taxonomy order, unknown types last by name."""
    return RELATION_POSITION.get(relation, len(RELATION_POSITION)), relation

# Every set of relation types as its comma-separated list in taxonomy order, indexed by the
# set's bit mask (a type's bit is its position in `RelationType`): a pair's relation list is a
# bit_or of its types' bits and one lookup, in SQL (`rollups`) and in numpy (`analytics`).
RELATION_LISTS = tuple(", ".join(r.value for i, r in enumerate(RelationType) if mask >> i & 1)
                       for mask in range(1 << len(RelationType)))


class EventType(StrEnum):
    """PLOVER's event types (the successor ontology to CAMEO), as edges record them."""

    AGREE = "agree"
    CONSULT = "consult"
    SUPPORT = "support"
    COOPERATE = "cooperate"
    AID = "aid"
    YIELD = "yield"
    REQUEST = "request"
    ACCUSE = "accuse"
    REJECT = "reject"
    THREATEN = "threaten"
    PROTEST = "protest"
    SANCTION = "sanction"
    MOBILIZE = "mobilize"
    COERCE = "coerce"
    ASSAULT = "assault"
    FIGHT = "fight"


@dataclass(frozen=True)
class EventInfo:
    event: EventType
    relation: RelationType  # the type an edge of this event gets unless its cue says otherwise
    cameo_roots: tuple[str, ...]  # the first is the root an edge of this event records
    description: str


E, R = EventType, RelationType
EVENTS: dict[EventType, EventInfo] = {
    info.event: info
    for info in (
        EventInfo(E.AGREE, R.COOPERATION, ("03",),
                  "Agree to, or announce, cooperation, a settlement or a meeting; a formal "
                  "alliance or defence treaty is an `alliance`."),
        EventInfo(E.CONSULT, R.COOPERATION, ("04",),
                  "Meet, visit, host, telephone, negotiate, mediate."),
        EventInfo(E.SUPPORT, R.SUPPORT, ("05",),
                  "Praise, endorse, defend verbally, recognise, apologise, thank."),
        EventInfo(E.COOPERATE, R.COOPERATION, ("06",),
                  "Material cooperation: joint drills and patrols, shared intelligence, "
                  "judicial and economic cooperation."),
        EventInfo(E.AID, R.SUPPORT, ("07",),
                  "Give economic, military or humanitarian aid; grant asylum."),
        EventInfo(E.YIELD, R.SUPPORT, ("08",),
                  "Concede to the target: release people or property, ease or lift "
                  "sanctions, a veto or a blockade, allow access."),
        EventInfo(E.REQUEST, R.CONDEMNATION, ("10",),
                  "Demand that the target stop, withdraw, release or change course."),
        EventInfo(E.ACCUSE, R.CONDEMNATION, ("11", "09"),
                  "Criticise, denounce, accuse, blame, complain officially, sue."),
        EventInfo(E.REJECT, R.CONDEMNATION, ("12",),
                  "Reject or veto the target's proposal, request, demand, plan or claims."),
        EventInfo(E.THREATEN, R.THREAT, ("13",),
                  "Threaten force, sanctions or a break; ultimatums; conditional "
                  "withdrawals (\"unless\")."),
        EventInfo(E.PROTEST, R.CONDEMNATION, ("14",),
                  "A diplomatic protest (lodged a protest, summoned the ambassador) or a "
                  "people's demonstration against the target."),
        EventInfo(E.SANCTION, R.SANCTION, ("16",),
                  "Reduce relations: sanctions, embargoes, tariffs, expulsions, suspensions, "
                  "halting aid, talks or cooperation, recalling an ambassador."),
        EventInfo(E.MOBILIZE, R.THREAT, ("15",),
                  "Show of force against the target: troops massed or put on alert, warships "
                  "sent, reservists called up."),
        EventInfo(E.COERCE, R.ATTACK, ("17",),
                  "Seize, detain, arrest, block, occupy, hack, jam."),
        EventInfo(E.ASSAULT, R.ATTACK, ("18", "20"),
                  "One-sided use of force: strikes, shelling, bombing, raids, killings."),
        EventInfo(E.FIGHT, R.ATTACK, ("19",),
                  "Armed clashes between the parties: each attacks the other."),
    )
}
del E, R

# CAMEO root code -> PLOVER event type; roots 01 (statements) and 02 (appeals) have none.
CAMEO_EVENTS: dict[str, EventType] = {root: info.event for info in EVENTS.values()
                                      for root in info.cameo_roots}


def stance_of(relation: RelationType | str) -> Stance:
    return RELATIONS[RelationType(relation)].stance


def is_symmetric(relation: RelationType | str) -> bool:
    return RELATIONS[RelationType(relation)].symmetric
