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
                     ("AGREE", "COOPERATE"), ("05", "06"),
                     "A formal or declared alliance, treaty, pact or strategic partnership."),
        RelationInfo(RelationType.COOPERATION, Stance.COOPERATIVE, True, "Cooperation",
                     ("COOPERATE", "AGREE", "CONSULT"), ("03", "04", "05", "06"),
                     "Joint action: agreements signed, joint drills, coordination, talks."),
        RelationInfo(RelationType.SUPPORT, Stance.COOPERATIVE, False, "Support",
                     ("SUPPORT", "AID"), ("05", "07"),
                     "One side backs the other: aid, arms, diplomatic backing, thanks."),
        RelationInfo(RelationType.CONDEMNATION, Stance.HOSTILE, False, "Condemnation",
                     ("ACCUSE", "REJECT", "DEMAND"), ("10", "11", "12"),
                     "Public criticism, accusation, censure or protest."),
        RelationInfo(RelationType.SANCTION, Stance.HOSTILE, False, "Sanction",
                     ("SANCTION", "REDUCE"), ("16",),
                     "Sanctions, expulsions, suspensions and other coercive restrictions."),
        RelationInfo(RelationType.THREAT, Stance.HOSTILE, False, "Threat",
                     ("THREATEN", "MOBILIZE"), ("13", "15"),
                     "Threats and warnings of force or punishment; shows of force."),
        RelationInfo(RelationType.ATTACK, Stance.HOSTILE, False, "Attack",
                     ("ASSAULT", "COERCE"), ("17", "18", "19", "20"),
                     "Use of force: strikes, shelling, invasion, seizure."),
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


def stance_of(relation: RelationType | str) -> Stance:
    return RELATIONS[RelationType(relation)].stance


def is_symmetric(relation: RelationType | str) -> bool:
    return RELATIONS[RelationType(relation)].symmetric
