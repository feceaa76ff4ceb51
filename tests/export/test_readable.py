"""The exported network is readable: counted from the figure's own coordinates and type sizes
(label boxes measured with a real font), and the widths in the rendered SVG."""

from __future__ import annotations

import re

import pytest

from dashboard.export import data as export_data
from dashboard.export import images, render
from dashboard.export.view import from_url

from .conftest import MADE
from .readability import measure


@pytest.fixture(scope="module")
def labels(con):
    return export_data.labels_from_store(con)


@pytest.mark.parametrize("url", ["http://localhost:8501/",
                                 "http://localhost:8501/network?focus=Russia&steps=2",
                                 "http://localhost:8501/network?stance=hostile",
                                 "http://localhost:8501/blocs"])
def test_network_figure_is_readable(con, labels, url):
    view = from_url(url, labels)
    data = export_data.load(con, view)
    report = measure(images.figure(data, view.view, MADE))
    assert report.labels == len(set(data.edges["source"]) | set(data.edges["target"]))
    assert report.label_overlaps == 0
    assert report.labels_on_nodes <= 1
    assert report.span >= 0.85
    assert 0 < report.widest_line <= 16
    assert report.smallest_label >= 14
    assert report.inside


@pytest.mark.render
@pytest.mark.usefixtures("chromium")
def test_no_line_in_the_svg_is_wider_than_16_px(network):
    svg = render.render(images.figure(network, "network", MADE), "svg").decode()
    widths = [float(w) for w in re.findall(r"stroke-width: ([0-9.]+)px", svg)]
    assert widths and max(widths) <= 16
    sizes = [float(s) for s in re.findall(r"font-size: ([0-9.]+)px", svg)]
    assert min(sizes) >= 14


def test_the_export_colours_nodes_by_bloc_as_the_app_does(network):
    fig = images.figure(network, "network", MADE)
    actors = next(t for t in fig.data if t.name == "actors")
    assert network.blocs, "the demo store has blocs"
    assert len(set(actors.marker.color)) > 1
