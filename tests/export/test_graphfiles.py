"""Edges as CSV and JSON, the graph as GEXF and GraphML: read back, same edges, same data."""

from __future__ import annotations

import io
import json

import networkx as nx
import pandas as pd

from dashboard.export import data as export_data
from dashboard.export import graphfiles
from dashboard.export.view import ExportView
from dashboard.formats import gdelt
from dashboard.store import ingest_records
from tests.formats.paths import FIXTURES


def _keys(table: pd.DataFrame) -> set:
    return set(zip(table["source"], table["target"], table["relation"], strict=True))


def test_csv_and_json_round_trip(network):
    table = graphfiles.edge_table(network)
    back = pd.read_csv(io.BytesIO(graphfiles.to_csv(network)), keep_default_na=False)
    assert list(back.columns) == graphfiles.COLUMNS
    assert len(back) == len(network.edges) == len(table)
    assert _keys(back) == _keys(network.edges)
    assert back["weight"].tolist() == table["weight"].tolist()
    payload = json.loads(graphfiles.to_json(network))
    assert payload["view"]["articles"] == network.articles
    assert _keys(pd.DataFrame(payload["edges"])) == _keys(network.edges)


def _check_graph(g, network, dates_as: tuple[str, str]):
    table = graphfiles.edge_table(network).set_index(["source", "target", "relation"])
    assert g.number_of_edges() == len(table)
    start, end = dates_as
    for u, v, d in g.edges(data=True):
        row = table.loc[(u, v, d["relation"])]
        assert int(d["weight"]) == row["weight"]
        assert int(d["statements"]) == row["statements"]
        assert int(d["publishers"]) == row["publishers"]
        assert d["stance"] == row["stance"]
        assert str(d[start]) == row["first_date"] and str(d[end]) == row["last_date"]
    assert g.nodes["RUS"]["label"] == "Russia"


def test_gexf_reads_back_with_dynamic_dates(network):
    data = graphfiles.to_gexf(network)
    assert b'mode="dynamic"' in data and b'timeformat="date"' in data
    g = nx.read_gexf(io.BytesIO(data))
    _check_graph(g, network, ("start", "end"))


def test_graphml_reads_back(network):
    g = nx.read_graphml(io.BytesIO(graphfiles.to_graphml(network)))
    _check_graph(g, network, ("first_date", "last_date"))


def test_edges_carry_their_event_types_and_cameo_codes(tmp_path):
    # GDELT events record the PLOVER event type and CAMEO root of each edge; the demo's hand
    # annotations record none (empty cells)
    db = tmp_path / "atlas.duckdb"
    assert ingest_records(gdelt.read(FIXTURES / "gdelt" / "gdelt2-sample.export.tsv"), db).added
    con = export_data.open_store(db)
    try:
        view = export_data.load(con, ExportView())
    finally:
        con.close()
    back = pd.read_csv(io.BytesIO(graphfiles.to_csv(view)), keep_default_na=False,
                       dtype={"cameo": str})
    rows = back.set_index(["source", "target", "relation"])
    assert rows.loc[("BRA", "CHN", "cooperation"), ["event", "cameo"]].tolist() == ["agree", "03"]
    assert rows.loc[("DEU", "SYR", "sanction"), ["event", "cameo"]].tolist() == \
        ["sanction", "16"]
    payload = json.loads(graphfiles.to_json(view))
    assert {(e["event"], e["cameo"]) for e in payload["edges"]
            if e["relation"] == "threat"} == {("threaten", "13")}


def test_hand_annotated_edges_have_empty_event_cells(network):
    back = pd.read_csv(io.BytesIO(graphfiles.to_csv(network)), keep_default_na=False)
    assert {"event", "cameo"} <= set(back.columns)
    assert back["event"].map(type).eq(str).all()
