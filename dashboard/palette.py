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

# Blocs (communities of the signed network) colour the nodes on the Network and Blocs pages.
# Colour-blind-safe hues from Okabe & Ito's and Paul Tol's qualitative sets, leaving out the
# greens, oranges and reds that carry stance on the edges, so a node's colour is never read as
# a relation. After eight blocs the colours repeat with another node shape (`bloc_shape`);
# actors in no bloc stay slate grey.
BLOC_COLOURS: tuple[str, ...] = (
    "#0072b2",  # blue
    "#cc79a7",  # reddish purple
    "#ddcc77",  # sand
    "#332288",  # indigo
    "#56b4e9",  # sky blue
    "#999933",  # olive
    "#aa4499",  # purple
    "#7f6a4f",  # taupe
)
BLOC_SHAPES: tuple[str, ...] = ("dot", "square", "triangle", "diamond")

# Period comparison: what happened to a pair between period A and period B.
STATUS_COLOURS: dict[str, str] = {
    "new": "#0072b2",      # blue: appeared
    "lost": "#3d4752",     # charcoal, dashed: gone
    "flipped": "#d55e00",  # vermilion: changed sign
    "kept": "#b3bec9",     # light grey: unchanged, the background
}
ABSENT_COLOUR = "#dfe4e9"  # an actor drawn for the shared frame but idle in this period
STATUS_LABELS: dict[str, str] = {"new": "New in B", "lost": "Gone in B",
                                 "flipped": "Changed sign", "kept": "In both"}

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


def bloc_colour(bloc: int | None) -> str:
    """The colour of bloc number `bloc` (0 = the biggest), slate grey for None."""
    if bloc is None or bloc < 0:
        return NODE_COLOUR
    return BLOC_COLOURS[bloc % len(BLOC_COLOURS)]


def bloc_shape(bloc: int | None) -> str:
    """Node shape: a dot for the first eight blocs, then another shape per round of colours, so
    two blocs never look the same."""
    if bloc is None or bloc < 0:
        return "dot"
    return BLOC_SHAPES[(bloc // len(BLOC_COLOURS)) % len(BLOC_SHAPES)]


def bloc_label(bloc: int) -> str:
    return f"Bloc {bloc + 1}"
