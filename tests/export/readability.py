"""Measures of a network figure's readability, from the figure's own coordinates and type sizes:
label boxes (measured with a real font where one is installed), node discs, the drawing's span
of the plot area and its widest line. Shared by the tests and the benchmark."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from dashboard import layout

# Wider than the Arial-like fonts Chromium draws the labels in, so the measure errs on the
# side of finding an overlap.
_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@functools.cache
def _font(size: float):
    from PIL import ImageFont
    return ImageFont.truetype(str(_FONT), size=size)


def text_width(text: str, size: float) -> float:
    if _FONT.is_file():
        return float(_font(round(size, 1)).getlength(text))
    return layout.text_width(text, size)


@dataclass
class Report:
    labels: int
    label_overlaps: int
    labels_on_nodes: int
    span: float  # the larger of the drawing's width and height shares of the plot area
    widest_line: float  # px in the 1920-px-wide figure
    smallest_label: float  # px
    inside: bool  # every label and node inside the figure


def _px(fig: go.Figure):
    margin = fig.layout.margin
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range  # reversed: y0 is the bottom
    plot_w = fig.layout.width - margin.l - margin.r
    plot_h = fig.layout.height - margin.t - margin.b

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (margin.l + (x - x0) / (x1 - x0) * plot_w,
                margin.t + (y - y1) / (y0 - y1) * plot_h)
    return to_px, plot_w, plot_h


def _hit(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def measure(fig: go.Figure) -> Report:
    to_px, plot_w, plot_h = _px(fig)
    labels = next(t for t in fig.data if t.name == "labels")
    actors = next(t for t in fig.data if t.name == "actors")
    sizes = labels.textfont.size
    boxes = []
    for x, y, text, size in zip(labels.x, labels.y, labels.text, sizes, strict=True):
        cx, cy = to_px(x, y)
        w, h = text_width(text, size), size * 1.2
        boxes.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    discs = []
    for x, y, s in zip(actors.x, actors.y, actors.marker.size, strict=True):
        cx, cy = to_px(x, y)
        r = s / 2
        discs.append((cx - r, cy - r, cx + r, cy + r))
    overlaps = sum(_hit(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # A label's own node is just below it: a label box that reaches into a node counts
    # when that node is not the one the label names.
    own = []
    for x, y in zip(labels.x, labels.y, strict=True):
        # The node the label is written under or over: the nearest one.
        best = min(range(len(actors.x)), key=lambda i: abs(actors.x[i] - x)
                   + abs(actors.y[i] - y))
        own.append(best)
    on_nodes = sum(_hit(box, disc) for i, box in enumerate(boxes)
                   for j, disc in enumerate(discs) if j != own[i])
    every = boxes + discs
    xs = [v for b in every for v in (b[0], b[2])]
    ys = [v for b in every for v in (b[1], b[3])]
    span = max((max(xs) - min(xs)) / plot_w, (max(ys) - min(ys)) / plot_h)
    widths = [t.line.width for t in fig.data if t.mode == "lines" and t.x is not None
              and len([v for v in t.x if v is not None]) and t.line.width]
    inside = min(xs) >= 0 and min(ys) >= 0 and max(xs) <= fig.layout.width \
        and max(ys) <= fig.layout.height
    return Report(len(boxes), overlaps, on_nodes, span, max(widths, default=0.0),
                  min(sizes, default=0.0), inside)
