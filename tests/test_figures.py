"""Figures and charts: the network page is offline, inert to hostile names and drawn at the
positions it is given; the timeline is signed; article text is escaped before it is marked."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import charts, figures, layout, marking, palette, picture
from dashboard.taxonomy import RELATIONS, Stance
from tests.edge_frames import NAMES, SAMPLE

EVIL = "<img src=x onerror=alert(1)>"
COLUMNS = ["source", "target", "relation", "stance", "directed", "weight"]


def summary(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


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
    assert "new vis.Network" in page
    served = (Path(figures.__file__).parent / "static" / figures.ASSETS[0]).read_text()
    assert f"<script>{served}</script>" in page  # the vendored vis-network, inlined
    assert "lib/vis-9.1.2" not in page and "@version 9.1.2" not in page
    assert figures.external_references(page) == []
    assert not re.search(r"<(script|link)\b[^>]*(src|href)\s*=\s*[\"']?(https?:)?//", page,
                         re.IGNORECASE)
    assert "bootstrap" not in page.lower() and "cdn.jsdelivr" not in page


def test_network_can_link_vis_network_from_the_apps_own_server(page):
    (script,) = figures.ASSETS
    linked = figures.network_html(SAMPLE, NAMES, 500, assets="/app/static/")
    assert f'<script src="/app/static/{script}"></script>' in linked
    assert "<link" not in linked  # the build injects its own stylesheet
    assert "<script src=" not in page and len(linked) < len(page) - 600_000
    assert figures.external_references(linked) == []
    # The graph itself is the same: only where the library comes from differs.
    assert vis_data(linked, "edges") == vis_data(page, "edges")
    assert vis_data(linked, "nodes") == vis_data(page, "nodes")
    compare = figures.compare_html(figures_diff(), "after", NAMES, {"USA": (0, 0),
                                   "PRK": (100, 0)}, assets="/base/app/static/")
    assert f'<script src="/base/app/static/{script}"></script>' in compare


def test_both_pages_tell_when_the_network_is_drawn(page):
    linked = figures.network_html(SAMPLE, NAMES, 500, assets="/app/static/")
    for html_page in (page, linked):
        # The listener is added in the script that makes the network, before the animation
        # frame in which vis-network draws it.
        assert re.search(r"new vis\.Network\(container, .*?\);\s*(?:.*\n)*?"
                         r"network\.once\(\"afterDrawing\"", html_page)
        assert "network.fit(" not in html_page  # vis-network fits it, once


def test_the_served_vis_network_is_its_standalone_build_unmodified():
    # dashboard/static/ holds vis-network's standalone build as the npm package ships it,
    # with the package's licences: the checksum is the one docs/vendored.md records.
    served = Path(figures.__file__).parent / "static"
    (script,) = figures.ASSETS
    assert sorted(p.name for p in served.iterdir()) == sorted(
        [script, "vis-network-LICENSE-APACHE-2.0", "vis-network-LICENSE-MIT"])
    code = (served / script).read_bytes()
    vendored = (Path(__file__).resolve().parents[1] / "docs" / "vendored.md").read_text()
    assert hashlib.sha256(code).hexdigest() in vendored
    text = code.decode("utf-8")
    assert text.startswith("/**\n * vis-network\n") and "@license" in text[:1000]
    assert f"@version {script.split('-')[2].removesuffix('.min.js')}" in text[:1000]
    assert "</script" not in text.lower()  # it is inlined in self-contained pages
    assert not re.search(r"https?://[^\s\"']*\.(js|css)\b", text)  # loads nothing itself


def test_pages_come_from_our_template_not_pyvis_own(page):
    # pyvis's template links bootstrap from a CDN and draws a heading; ours does neither.
    assert "<center>" not in page and "card-body" not in page
    assert page.startswith("<!doctype html>")


def figures_diff() -> pd.DataFrame:
    return pd.DataFrame([{"a": "PRK", "b": "USA", "status": "new", "stance_before": None,
                          "stance_after": "hostile", "weight_before": 0, "weight_after": 2,
                          "net_before": 0, "net_after": -2, "relations_before": "",
                          "relations_after": "condemnation"}])


def test_network_nodes_edges_and_hover_text(page):
    nodes = {n["id"]: n for n in vis_data(page, "nodes")}
    assert set(nodes) == {"USA", "PRK", "KOR"}
    assert nodes["USA"]["label"] == "United States"
    assert nodes["USA"]["size"] > nodes["PRK"]["size"] > 0  # weighted degree 6 vs 4
    edges = vis_data(page, "edges")
    assert len(edges) == 4
    by_rel = {e["relation"]: e for e in edges}
    cond = by_rel["condemnation"]
    assert cond["title"] == "United States \u2192 North Korea: condemnation, 3 articles"
    assert cond["arrows"]["to"]["enabled"] is True and cond["dashes"]
    assert cond["color"]["color"] == palette.colour("condemnation")
    alliance = by_rel["alliance"]
    assert alliance["arrows"]["to"]["enabled"] is False and alliance["dashes"] is False
    assert by_rel["cooperation"]["title"].endswith("cooperation, 1 article")
    assert cond["width"] > by_rel["threat"]["width"]
    # two relations between the same pair are fanned out rather than drawn on top
    assert by_rel["cooperation"]["smooth"]["enabled"] != alliance["smooth"]["enabled"]


def test_nodes_sit_where_the_views_picture_puts_them_with_physics_off():
    blocs = {"USA": 0, "KOR": 0, "PRK": 9}
    page = figures.network_html(SAMPLE, NAMES, 500, blocs=blocs, focus="PRK")
    pic = picture.network_picture(SAMPLE, NAMES, blocs=blocs, focus="PRK")
    nodes = {n["id"]: n for n in vis_data(page, "nodes")}
    assert {a: (n["x"], n["y"]) for a, n in nodes.items()} == \
        {a: (round(p.x, 1), round(p.y, 1)) for a, p in pic.nodes.items()}
    assert {a: n["font"]["size"] for a, n in nodes.items()} == \
        {a: round(p.font, 1) for a, p in pic.nodes.items()}
    assert '"physics": {"enabled": false}' in page
    assert nodes["USA"]["color"]["background"] == palette.bloc_colour(0)
    assert nodes["PRK"]["color"]["background"] == palette.bloc_colour(9)
    assert nodes["PRK"]["shape"] == "square"  # the ninth bloc repeats a colour, not a shape
    assert nodes["PRK"]["borderWidth"] > nodes["USA"]["borderWidth"]  # the focus actor
    assert "Bloc 1" in nodes["USA"]["title"]
    # The page shows the frame the picture was laid out in.
    assert f'data-frame-width="{int(pic.width)}"' in page


def test_the_layout_is_the_seeded_server_layout(page):
    expected = layout.positions(SAMPLE, NAMES, seed=figures.LAYOUT_SEED)
    nodes = {n["id"]: (n["x"], n["y"]) for n in vis_data(page, "nodes")}
    assert nodes == {a: (round(x, 1), round(y, 1)) for a, (x, y) in expected.items()}
    assert figures.network_html(SAMPLE, NAMES, 500) == page  # deterministic
    assert "data-stabilized" not in page.split("<body")[0]  # set by script once drawn
    assert 'dataset.stabilized = "true"' in page


@pytest.mark.parametrize("evil", [EVIL, "</script><script>alert(1)</script>",
                                  '<a href="javascript:alert(1)">x</a>', "O'Brien & \"Co\""])
def test_untrusted_names_never_reach_markup(evil):
    rows = summary([(evil, "USA", "attack", "hostile", True, 1)])
    page = figures.network_html(rows, {evil: evil, "USA": evil}, 400, heading=evil)
    raw = [evil] if evil.startswith("O'") else [evil, "<img", "<script>alert", "<a href"]
    for fragment in raw:
        assert fragment not in page
    assert "popup.innerHTML" not in page  # pyvis's HTML tooltip mode stays off
    ids = [n["id"] for n in vis_data(page, "nodes")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.~-]+", i) for i in ids)
    titles = [n["title"] for n in vis_data(page, "nodes")]
    assert titles[0].startswith(evil)  # shown as text, not dropped


def test_empty_network_says_so():
    page = figures.network_html(summary([]), {}, 300)
    assert "No edges match" in page and "data-nodes='0'" in page


def test_legend_lists_relations_in_order_with_dashes_for_hostile():
    legend = figures.legend_html(["attack", "alliance"])
    assert legend.index("Alliance") < legend.index("Attack")
    assert "Threat" not in legend
    assert legend.count("dashed") == 1 and legend.count("solid") == 1


def test_bloc_and_status_legends():
    legend = figures.bloc_legend_html({0: 5, 1: 2})
    assert "Bloc 1 (5)" in legend and "Bloc 2 (2)" in legend and "No bloc" in legend
    status = figures.status_legend_html()
    for label in palette.STATUS_LABELS.values():
        assert label in status


def test_bloc_palette_is_distinct_from_the_relation_colours():
    assert not set(palette.BLOC_COLOURS) & set(palette.RELATION_COLOURS.values())
    assert len(set(palette.BLOC_COLOURS)) == len(palette.BLOC_COLOURS)
    assert palette.bloc_colour(None) == palette.NODE_COLOUR
    assert palette.bloc_colour(len(palette.BLOC_COLOURS)) == palette.bloc_colour(0)
    assert palette.bloc_shape(0) == "dot" != palette.bloc_shape(len(palette.BLOC_COLOURS))


DIFF = pd.DataFrame({
    "a": ["KOR", "PRK", "KOR"], "b": ["USA", "USA", "PRK"],
    "status": ["kept", "flipped", "new"],
    "stance_before": ["cooperative", "cooperative", None],
    "stance_after": ["cooperative", "hostile", "hostile"],
    "weight_before": [2, 1, 0], "weight_after": [3, 2, 1],
})


def test_compare_draws_both_periods_in_one_frame():
    placed = {"KOR": (0.0, 0.0), "PRK": (100.0, 0.0), "USA": (50.0, 80.0), "JPN": (9.0, 9.0)}
    before = figures.compare_html(DIFF, "before", NAMES, placed, 400)
    after = figures.compare_html(DIFF, "after", NAMES, placed, 400)
    for page in (before, after):
        nodes = {n["id"]: (n["x"], n["y"]) for n in vis_data(page, "nodes")}
        assert nodes == placed  # the same actors at the same places in both pictures
        assert figures.external_references(page) == []
    edges_before = {e["status"] for e in vis_data(before, "edges")}
    edges_after = {e["status"]: e for e in vis_data(after, "edges")}
    assert edges_before == {"kept", "flipped"}
    assert set(edges_after) == {"kept", "flipped", "new"}
    assert edges_after["new"]["color"]["color"] == palette.STATUS_COLOURS["new"]
    assert edges_after["flipped"]["dashes"]  # hostile in B
    idle = {n["id"]: n for n in vis_data(before, "nodes")}["JPN"]
    assert idle["color"]["background"] == palette.ABSENT_COLOUR
    with pytest.raises(ValueError):
        figures.compare_html(DIFF, "during", NAMES, placed)


def test_timeline_puts_hostile_below_the_axis():
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
                       "relation": ["alliance", "attack", "attack"],
                       "stance": ["cooperative", "hostile", "hostile"],
                       "events": [2, 3, 1]})
    fig = charts.timeline_figure(df)
    traces = {t.name: t for t in fig.data}
    assert list(traces) == ["Alliance", "Attack"]
    assert list(traces["Alliance"].y) == [2] and list(traces["Attack"].y) == [-3, -1]
    assert traces["Attack"].marker.color == palette.colour("attack")
    assert fig.layout.barmode == "relative"
    assert all(not t.startswith("-") for t in fig.layout.yaxis.ticktext)


def test_presenter_mode_enlarges_every_type_size_of_a_chart():
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"]), "relation": ["attack"],
                       "stance": ["hostile"], "events": [3]})
    plain = charts.timeline_figure(df)
    big = charts.enlarged(charts.timeline_figure(df), 1.5)
    assert big.layout.font.size == plain.layout.font.size * 1.5  # ticks follow it
    assert big.layout.legend.font.size == plain.layout.legend.font.size * 1.5
    assert big.layout.yaxis.title.font.size == plain.layout.yaxis.title.font.size * 1.5
    assert [a.font.size for a in big.layout.annotations] == \
        [a.font.size * 1.5 for a in plain.layout.annotations]
    assert charts.enlarged(plain, 1) is plain


def test_empty_timeline_has_a_no_events_note():
    fig = charts.timeline_figure(pd.DataFrame(columns=["period", "relation", "stance",
                                                       "events"]))
    assert not fig.data
    assert "No events" in fig.layout.annotations[0].text


def test_pair_timeline_one_marker_per_event_with_escaped_hover():
    events = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-15", "2024-02-03", "2024-03-01"]),
        "relation": ["condemnation", "alliance", "condemnation"],
        "source_id": ["USA", "KOR", "PRK"], "target_id": ["PRK", "USA", "USA"],
        "title": [EVIL, "Allies", "Reply"], "evidence": ["a <b>bold</b> claim", "x", "y"],
        "publisher": ["Wire", "Wire", "Post"]})
    fig = charts.pair_timeline_figure(events, "USA", "PRK", NAMES)
    assert sum(len(t.x) for t in fig.data) == 3
    cond = next(t for t in fig.data if t.name == "Condemnation")
    assert list(cond.marker.symbol) == ["triangle-up", "triangle-down"]
    hover = repr([t.customdata for t in fig.data])
    assert "<img" not in hover and "&lt;img" in hover and "&lt;b&gt;bold" in hover
    empty = charts.pair_timeline_figure(events.iloc[0:0], "USA", "PRK", NAMES)
    assert not empty.data


def test_stance_and_relation_mix_charts():
    stance = pd.DataFrame({"partner": ["KOR", "JPN", "PRK"], "cooperative": [5, 1, 0],
                           "hostile": [0, 1, 4], "net": [5, 0, -4]})
    fig = charts.stance_figure(stance, NAMES)
    bar = fig.data[0]
    assert list(bar.y) == ["North Korea", "South Korea"]  # the mixed partner is left out
    assert list(bar.marker.color) == [palette.STANCE_COLOURS["hostile"],
                                      palette.STANCE_COLOURS["cooperative"]]
    mix = pd.DataFrame({"relation": ["alliance", "attack"], "stance": ["cooperative", "hostile"],
                        "given": [2, 0], "received": [2, 1]})
    fig = charts.relation_mix_figure(mix)
    given, *received = [t for t in fig.data if t.showlegend is False]
    assert list(given.x) == [2, 0] and list(given.marker.color) == [
        palette.colour("alliance"), palette.colour("attack")]
    # Each received bar is a trace of one colour (plotly.js cannot hatch a list of colours),
    # all in the "received" slot of their row.
    assert [(list(t.y), list(t.x), t.marker.color) for t in received] == [
        (["Alliance"], [2], palette.colour("alliance")),
        (["Attack"], [1], palette.colour("attack"))]
    assert {t.offsetgroup for t in received} == {"received"} and given.offsetgroup == "given"
    assert all(t.marker.pattern.shape == "/" for t in received)
    legend = [t for t in fig.data if t.showlegend is not False]
    assert [t.name.split(" ")[0] for t in legend] == ["Given", "Received"]


@pytest.mark.parametrize("event, expected", [
    ({"selection": {"box": [{"x": ["2024-01-10", "2024-03-02 12:00"]}], "points": []}},
     ("2024-01-10", "2024-03-02")),
    ({"selection": {"box": [], "points": [{"x": "2024-02-01"}, {"x": "2023-12-01"}]}},
     ("2023-12-01", "2024-02-01")),
    ({"selection": {"box": [], "points": []}}, None),
    (None, None),
])
def test_a_chart_selection_becomes_a_date_range(event, expected):
    span = charts.selected_range(event)
    if expected is None:
        assert span is None
    else:
        assert (span[0].date().isoformat(), span[1].date().isoformat()) == expected


def test_marking_escapes_text_before_marking_it():
    text = "Russia <script>x</script> & Ukraine signed"
    cue = text.index("signed")
    html_ = marking.mark(text, [(0, 6, marking.ACTOR), (cue, cue + 6, marking.CUE),
                                (3, 8, marking.ACTOR)])  # overlaps the first: dropped
    assert html_.startswith('<mark class="atlas-actor">Russia</mark>')
    assert "<script>" not in html_ and "&lt;script&gt;" in html_ and "&amp;" in html_
    assert '<mark class="atlas-cue">signed</mark>' in html_
    assert html_.count("<mark") == 2


def test_evidence_sentence_marks_actors_and_cue_at_article_offsets():
    article = "Intro. Japan sanctioned North Korea today."
    start = article.index("Japan")
    sentence = article[start:]
    out = marking.sentence_html(sentence, start, (start + 6, start + 16),
                                [(start, start + 5), (start + 17, start + 28), (0, 5)])
    assert out == ('<mark class="atlas-actor">Japan</mark> <mark class="atlas-cue">sanctioned'
                   '</mark> <mark class="atlas-actor">North Korea</mark> today.')
    # without mention offsets, the actors' names are found in the sentence
    out = marking.sentence_html(sentence, start, None, [], ["north korea", "Japan"])
    assert out.count("atlas-actor") == 2


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=1&c=2", True), ("http://x.test/", True),
    ("javascript:alert(1)", False), ("//evil.test/x", False), ("", False), (None, False),
    ("data:text/html,<b>", False), ("ftp://x.test/f", False)])
def test_only_http_links_become_links(url, ok):
    link = marking.link(url, "<source>")
    assert ("<a href=" in link) == ok
    assert "<source>" not in link
    if ok:
        assert 'rel="noopener noreferrer"' in link and "&amp;c=2" in link or "c=2" not in url


def test_article_html_keeps_paragraphs():
    out = marking.article_html("One.\n\nTwo <b>.\nThree.", [(0, 3)], [(6, 9)])
    assert out.count("<p>") == 2 and "<br>" in out and "&lt;b&gt;" in out
