"""What the screen and every export must agree on to draw one view as one picture.

The app's network, the exported images and the slides all read these values (nothing here
imports streamlit), so the number of actors drawn, the edge cap, the layout's seed, the
frame the layout is made for, the type sizes and the line widths cannot drift apart between
the page and the file a briefer takes away. Colours live in `dashboard.palette` (one colour
per relation and per bloc); this module only names which of them the network uses.
"""

from __future__ import annotations

from dashboard import palette

# How much of a store the network draws: the `DEFAULT_BUDGET` actors of largest weighted
# degree (the budgets offered on the page), then at most `MAX_EDGES` strongest relations
# between them (vis-network stays fluid on a briefing laptop; more lines are unreadable).
BUDGETS: tuple[int, ...] = (20, 40, 60, 100, 150, 250)
DEFAULT_BUDGET = 60
DEFAULT_STEPS = 1
MAX_EDGES = 600
COMPARE_BUDGET = 40  # the Compare page draws both periods on one frame: fewer actors

# How a pair is written in the address bar (`edge`): the two actors' labels, alphabetical.
PAIR_SEPARATOR = " \u2014 "

# Same data, same picture: briefings get compared across days.
LAYOUT_SEED = 7

# The frame a network is laid out for, in the pixels of a 1920x1080 export. Positions, type
# sizes and line widths are all in these units; the app's graph shows the same drawing
# scaled to its frame (vis-network fits it), so proportions never differ between the two.
EXPORT_WIDTH, EXPORT_HEIGHT = 1920, 1080
FRAME_WIDTH, FRAME_HEIGHT = 1600, 820  # the plot area left by title, legend and footer

# Type, in frame pixels: the smallest actor name is 14 px tall in a 1920-px export and the
# best-connected actors' names grow to `LABEL_MAX` (square root of their share of links).
LABEL_MIN, LABEL_MAX = 14.0, 26.0
NODE_MIN, NODE_MAX = 6.0, 20.0  # node radius
# Line widths scale to the view: the view's heaviest relation is `WIDTH_MAX` wide (square
# root of its share, so four times the articles is twice as thick), never wider, whatever
# the store's size.
WIDTH_MIN, WIDTH_MAX = 1.5, 10.0
ARROW_MIN, ARROW_MAX = 10.0, 18.0  # arrowhead size at the thinnest and thickest line

# Presenter mode enlarges every type size by this factor (chart axes and graph labels too):
# the network is shown at about two thirds of its frame on a 1080p projector, so its 14-px
# smallest label would be 9 px; at 1.6 it is 15.
PRESENT_SCALE = 1.6
# The heights presenter mode gives the network and the main chart of a page, so that the
# step's title, the picture and its key evidence fit one 1920x1080 screen.
PRESENT_NETWORK_HEIGHT = 560
PRESENT_CHART_HEIGHT = 420

# Node colours: by bloc (palette.BLOC_COLOURS), grey for no bloc, a gold ring for the focus.
BLOC_COLOURS = palette.BLOC_COLOURS
NO_BLOC_COLOUR = palette.NODE_COLOUR
FOCUS_RING = "#f1c40f"
