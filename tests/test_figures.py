"""Figures: the network page is offline and inert to hostile names; the timeline is signed."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from dashboard import figures, palette
from dashboard.taxonomy import RELATIONS, Stance

EVIL = "<img src=x onerror=alert(1)>"
COLUMNS = ["source", "target", "relation", "stance", "directed", "weight", "publishers"]


def summary(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


SAMPLE = summary([
    ("USA", "PRK", "condemnation", "hostile", True, 3, 2),
    ("KOR", "USA", "alliance", "cooperative", False, 2, 2),
    ("KOR", "USA", "cooperation", "cooperative", False, 1, 1),
    ("PRK", "KOR", "threat", "hostile", True, 1, 1),
])
NAMES = {"USA": "United States", "PRK": "North Korea", "KOR": "South Korea"}


def vis_data(page: str, name: str) -> list[dict]:
    found = re.search(rf"{name} = new vis\.DataSet\((.*?)\);\n", page)
    assert found, f"no {name} DataSet"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def page() -> str:
    return figures.network_html(SAMPLE, NAMES, 500)


def test_palette_covers_every_relation_with_distinct_colours():
    assert set(palette.RELATION_COLOURS) == {r.value for r in RELATIONS}
    assert len(set(palette.RELATION_COLOURS.values())) == len(RELATIONS)
    assert set(palette.LEGEND_ORDER) == set(palette.RELATION_COLOURS)
    for relation, info in RELATIONS.items():
        assert palette.dashed(relation.value) == (info.stance is Stance.HOSTILE)


def test_network_is_self_contained(page):
    assert "new vis.Network" in page  # vis-network is inlined
    assert figures.external_references(page) == []
    assert not re.search(r"<(script|link)\b[^>]*(src|href)\s*=\s*[\"']?(https?:)?//", page,
                         re.IGNORECASE)
    assert "bootstrap" not in page.lower() and "cdn.jsdelivr" not in page


def test_network_nodes_edges_and_hover_text(page):
    nodes = {n["id"]: n for n in vis_data(page, "nodes")}
    assert set(nodes) == {"USA", "PRK", "KOR"}
    assert nodes["USA"]["label"] == "United States"
    assert nodes["USA"]["size"] > nodes["PRK"]["size"] > 0  # weighted degree 6 vs 4
    edges = vis_data(page, "edges")
    assert len(edges) == 4
    by_rel = {e["relation"]: e for e in edges}
    cond = by_rel["condemnation"]
    assert cond["title"] == "United States \u2192 North Korea: condemnation, 3 articles, " \
                            "2 publishers"
    assert cond["arrows"]["to"]["enabled"] is True and cond["dashes"]
    assert cond["color"]["color"] == palette.colour("condemnation")
    alliance = by_rel["alliance"]
    assert alliance["arrows"]["to"]["enabled"] is False and alliance["dashes"] is False
    assert "1 article, 1 publisher" in by_rel["cooperation"]["title"]
    assert cond["width"] > by_rel["threat"]["width"]
    # two relations between the same pair are fanned out rather than drawn on top
    assert by_rel["cooperation"]["smooth"]["enabled"] != alliance["smooth"]["enabled"]


def test_layout_is_seeded_and_frozen_after_stabilisation(page):
    assert f'"randomSeed": {figures.LAYOUT_SEED}' in page
    assert "stabilizationIterationsDone" in page and "physics: false" in page
    assert figures.network_html(SAMPLE, NAMES, 500) == page  # deterministic


@pytest.mark.parametrize("evil", [EVIL, "</script><script>alert(1)</script>",
                                  '<a href="javascript:alert(1)">x</a>', "O'Brien & \"Co\""])
def test_untrusted_names_never_reach_markup(evil):
    rows = summary([(evil, "USA", "attack", "hostile", True, 1, 1)])
    page = figures.network_html(rows, {evil: evil, "USA": evil}, 400, heading=evil)
    raw = [evil] if evil.startswith("O'") else [evil, "<img", "<script>alert", "<a href"]
    for fragment in raw:
        assert fragment not in page
    assert "popup.innerHTML" not in page  # pyvis's HTML tooltip mode stays off
    ids = [n["id"] for n in vis_data(page, "nodes")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.~-]+", i) for i in ids)
    labels = [n["label"] for n in vis_data(page, "nodes")]
    assert labels[0].replace("\u200b", "") == evil  # shown as text, not dropped


def test_empty_network_says_so():
    page = figures.network_html(summary([]), {}, 300)
    assert "No edges match" in page and "data-nodes='0'" in page


def test_legend_lists_relations_in_order_with_dashes_for_hostile():
    legend = figures.legend_html(["attack", "alliance"])
    assert legend.index("Alliance") < legend.index("Attack")
    assert "Threat" not in legend
    assert legend.count("dashed") == 1 and legend.count("solid") == 1


def test_timeline_puts_hostile_below_the_axis():
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
                       "relation": ["alliance", "attack", "attack"],
                       "stance": ["cooperative", "hostile", "hostile"],
                       "events": [2, 3, 1]})
    fig = figures.timeline_figure(df)
    traces = {t.name: t for t in fig.data}
    assert list(traces) == ["Alliance", "Attack"]
    assert list(traces["Alliance"].y) == [2] and list(traces["Attack"].y) == [-3, -1]
    assert traces["Attack"].marker.color == palette.colour("attack")
    assert fig.layout.barmode == "relative"
    assert all(not t.startswith("-") for t in fig.layout.yaxis.ticktext)


def test_empty_timeline_has_a_no_events_note():
    fig = figures.timeline_figure(pd.DataFrame(columns=["period", "relation", "stance",
                                                        "events"]))
    assert not fig.data
    assert "No events" in fig.layout.annotations[0].text
