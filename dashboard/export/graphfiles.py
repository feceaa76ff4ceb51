"""The edges shown as CSV and JSON, and the graph as GEXF (dynamic, for Gephi's timeline) and
GraphML, each edge carrying relation, stance, weight and evidence counts.

The graph is a MultiDiGraph because two actors can share several relation types; symmetric
relation types keep one edge with `directed` false (GEXF and GraphML have one edge type per
graph as networkx writes them).
"""

from __future__ import annotations

import io
import json

import networkx as nx
import pandas as pd

from dashboard import csvsafe, layout, palette
from dashboard.export.data import ViewData, plain

COLUMNS = ["source", "target", "source_name", "target_name", "relation", "relation_label",
           "stance", "directed", "weight", "publishers", "statements", "first_date",
           "last_date", "event", "cameo"]


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def edge_table(data: ViewData) -> pd.DataFrame:
    """One row per edge shown, plain text names, ISO dates, heaviest first."""
    e = data.edges
    out = pd.DataFrame({
        "source": e["source"].astype(str), "target": e["target"].astype(str),
        "source_name": [data.names.get(a, a) for a in e["source"]],
        "target_name": [data.names.get(a, a) for a in e["target"]],
        "relation": e["relation"].astype(str),
        "relation_label": e["relation"].map(palette.label),
        "stance": e["stance"].astype(str), "directed": e["directed"].astype(bool),
        "weight": e["weight"].astype(int), "publishers": e["publishers"].fillna(0).astype(int),
        "statements": e["statements"].fillna(0).astype(int),
        "first_date": e["first_date"].map(_day), "last_date": e["last_date"].map(_day),
        # PLOVER event types and CAMEO codes of the edge's statements; empty for hand
        # annotations and formats that record none
        "event": e["event"].fillna("").astype(str), "cameo": e["cameo"].fillna("").astype(str)})
    return out.sort_values(["weight", "source", "target", "relation"],
                           ascending=[False, True, True, True]).reset_index(drop=True)[COLUMNS]


def to_csv(data: ViewData) -> bytes:
    return csvsafe.to_csv(edge_table(data))


def to_json(data: ViewData) -> bytes:
    meta = {"title": plain(data.view.title) or data.view.view, "dates": data.date_range(),
            "filters": data.subtitle(), "articles": data.articles,
            "publishers": data.publishers}
    payload = {"view": meta, "edges": edge_table(data).to_dict(orient="records")}
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def graph(data: ViewData) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name=data.subtitle(), mode="dynamic")
    table = edge_table(data)
    for actor in layout.actor_ids(table):
        g.add_node(actor, label=data.names.get(actor, actor))
    for row in table.itertuples(index=False):
        attrs = {"relation": row.relation, "label": row.relation_label, "stance": row.stance,
                 "directed": bool(row.directed), "weight": int(row.weight),
                 "publishers": int(row.publishers), "statements": int(row.statements)}
        # start/end make Gephi's timeline show each edge from its first to its last report.
        if row.first_date:
            attrs["start"] = row.first_date
        if row.last_date:
            attrs["end"] = row.last_date
        g.add_edge(row.source, row.target, key=row.relation, **attrs)
    return g


def to_gexf(data: ViewData) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(graph(data), buf)
    return buf.getvalue()


def to_graphml(data: ViewData) -> bytes:
    g = graph(data)
    # GraphML has no dynamic edges: the dates become plain attributes.
    for _, _, attrs in g.edges(data=True):
        attrs["first_date"] = attrs.pop("start", "")
        attrs["last_date"] = attrs.pop("end", "")
    g.graph.pop("mode", None)
    buf = io.BytesIO()
    nx.write_graphml(g, buf)
    return buf.getvalue()


def timeline_csv(data: ViewData) -> bytes:
    t = data.timeline.copy()
    if not t.empty:
        t["period"] = t["period"].map(_day)
        t["relation_label"] = t["relation"].map(palette.label)
    return csvsafe.to_csv(t)


def diff_csv(data: ViewData) -> bytes:
    d = data.diff.copy() if data.diff is not None else pd.DataFrame()
    if not d.empty:
        d.insert(1, "a_name", d["a"].map(lambda a: data.names.get(a, a)))
        d.insert(3, "b_name", d["b"].map(lambda b: data.names.get(b, b)))
    return csvsafe.to_csv(d)
