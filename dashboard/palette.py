"""One colour per relation type, shared by every figure and legend.

Hue carries the stance (teal/green = cooperative, orange/red = hostile) but is never the only
cue, because red/green is exactly the pair colour-blind viewers lose: lightness steps strongly
within each stance (a projector washes out small lightness differences, so the steps are big),
hostile edges are dashed in the network, and the timeline puts hostile events below the axis.
Within a stance the colours darken with intensity: support < cooperation < alliance and
condemnation < sanction < threat < attack.
"""

from __future__ import annotations

from dashboard.taxonomy import RELATIONS, RelationType, Stance

RELATION_COLOURS: dict[str, str] = {
    RelationType.ALLIANCE.value: "#00594f",      # dark teal
    RelationType.COOPERATION.value: "#1f9e89",   # mid teal
    RelationType.SUPPORT.value: "#7fcf9b",       # light green
    RelationType.CONDEMNATION.value: "#f6a85d",  # light orange
    RelationType.SANCTION.value: "#e0602b",      # orange-red
    RelationType.THREAT.value: "#b8221f",        # red
    RelationType.ATTACK.value: "#5c0a12",        # near-black maroon
}

STANCE_COLOURS = {Stance.COOPERATIVE.value: "#1f9e89", Stance.HOSTILE.value: "#b8221f"}

NODE_COLOUR = "#34495e"
NODE_BORDER = "#ffffff"
TEXT_COLOUR = "#1c2833"
MUTED_COLOUR = "#7b8a97"
BACKGROUND = "#ffffff"

# Relations in legend order: cooperative strongest first, then hostile mildest first, so the
# legend reads as a scale from friendliest to most hostile.
LEGEND_ORDER: tuple[str, ...] = tuple(r.value for r in (
    RelationType.ALLIANCE, RelationType.COOPERATION, RelationType.SUPPORT,
    RelationType.CONDEMNATION, RelationType.SANCTION, RelationType.THREAT,
    RelationType.ATTACK))


def colour(relation: str) -> str:
    return RELATION_COLOURS.get(relation, MUTED_COLOUR)


def label(relation: str) -> str:
    try:
        return RELATIONS[RelationType(relation)].label
    except ValueError:
        return relation


def is_hostile(relation: str) -> bool:
    try:
        return RELATIONS[RelationType(relation)].stance is Stance.HOSTILE
    except ValueError:
        return False


def is_directed(relation: str) -> bool:
    try:
        return not RELATIONS[RelationType(relation)].symmetric
    except ValueError:
        return True


def dashed(relation: str) -> bool:
    """Hostile edges are dashed so stance survives greyscale printing and colour blindness."""
    return is_hostile(relation)
