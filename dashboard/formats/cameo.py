"""CAMEO, as GDELT codes events with it, mapped onto the taxonomy (the table in
docs/formats.md, which a test checks against this one).

One root code maps to one relation type, that of the root's PLOVER event in the taxonomy; GDELT
events never become `alliance` (formal alliances come from the treaty layer, see
`dashboard.formats.alliances`). QuadClass (1 verbal and 2 material cooperation, 3 verbal and 4
material conflict) is derived from the root in CAMEO, so it serves as a check: a row where the
two disagree is skipped and counted.
"""

from __future__ import annotations

from dashboard.registry import CAMEO_COUNTRY_EXCEPTIONS, CAMEO_STATE_ROLES
from dashboard.taxonomy import CAMEO_EVENTS, EVENTS, RelationType

_NAMES = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate",
    "04": "Consult", "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation", "07": "Provide aid", "08": "Yield",
    "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce",
    "18": "Assault", "19": "Fight", "20": "Use unconventional mass violence",
}
# A root's relation type is its PLOVER event's (`taxonomy.CAMEO_EVENTS`, `taxonomy.EVENTS`): one
# mapping for annotated and imported edges. Roots without an event (01, 02) carry no stance.
ROOTS: dict[str, tuple[str, RelationType | None]] = {
    root: (name, EVENTS[CAMEO_EVENTS[root]].relation if root in CAMEO_EVENTS else None)
    for root, name in _NAMES.items()
}
# CAMEO derives QuadClass from the root: 1 verbal cooperation (01-05), 2 material cooperation
# (06-09), 3 verbal conflict (10-14), 4 material conflict (15-20). The taxonomy's stance may
# differ from the quad's (09 "investigate" is PLOVER's accuse, hostile), so rows are checked
# against the root's quad, not against the stance.
ROOT_QUAD = {root: 1 if int(root) <= 5 else 2 if int(root) <= 9 else 3 if int(root) <= 14
             else 4 for root in _NAMES}

# CAMEO country codes are ISO 3166-1 alpha-3 but for a few older or territory codes; the
# registry keeps that table (it reads CAMEO actor dictionaries too), and the state roles.
COUNTRY_EXCEPTIONS = CAMEO_COUNTRY_EXCEPTIONS
STATE_TYPES = CAMEO_STATE_ROLES

