"""CAMEO, as GDELT codes events with it, mapped onto the taxonomy (the table in
docs/formats.md, which a test checks against this one).

One root code maps to one relation type; GDELT events never become `alliance` (formal alliances
come from the treaty layer, see `dashboard.formats.alliances`). QuadClass (1 verbal and 2
material cooperation, 3 verbal and 4 material conflict) is derived from the root in CAMEO, so it
serves as a check: a row where the two disagree is skipped and counted.
"""

from __future__ import annotations

from dashboard.registry import CAMEO_COUNTRY_EXCEPTIONS, CAMEO_STATE_ROLES
from dashboard.taxonomy import RelationType, Stance

R = RelationType
ROOTS: dict[str, tuple[str, RelationType | None]] = {
    "01": ("Make public statement", None),
    "02": ("Appeal", None),
    "03": ("Express intent to cooperate", R.COOPERATION),
    "04": ("Consult", R.COOPERATION),
    "05": ("Engage in diplomatic cooperation", R.COOPERATION),
    "06": ("Engage in material cooperation", R.COOPERATION),
    "07": ("Provide aid", R.SUPPORT),
    "08": ("Yield", None),
    "09": ("Investigate", None),
    "10": ("Demand", R.CONDEMNATION),
    "11": ("Disapprove", R.CONDEMNATION),
    "12": ("Reject", R.CONDEMNATION),
    "13": ("Threaten", R.THREAT),
    "14": ("Protest", None),
    "15": ("Exhibit force posture", R.THREAT),
    "16": ("Reduce relations", R.SANCTION),
    "17": ("Coerce", R.ATTACK),
    "18": ("Assault", R.ATTACK),
    "19": ("Fight", R.ATTACK),
    "20": ("Use unconventional mass violence", R.ATTACK),
}
QUAD_STANCE = {1: Stance.COOPERATIVE, 2: Stance.COOPERATIVE, 3: Stance.HOSTILE,
               4: Stance.HOSTILE}

# CAMEO country codes are ISO 3166-1 alpha-3 but for a few older or territory codes; the
# registry keeps that table (it reads CAMEO actor dictionaries too), and the state roles.
COUNTRY_EXCEPTIONS = CAMEO_COUNTRY_EXCEPTIONS
STATE_TYPES = CAMEO_STATE_ROLES

