"""Blocs: communities of the signed network (cooperative articles count for a tie, hostile ones
against it), coloured as on the Network page; structural balance of its triangles; and the
surprises, partners that condemn each other and adversaries that support each other.

URL: the global filters only.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import analytics, layout, palette
from dashboard.export.view import ExportView
from dashboard.ui import network as net
from dashboard.ui import story, urlstate
from dashboard.ui.downloads import download_buttons
from dashboard.ui.page import guarded, require_run

HEIGHT = 560
MEMBERS_SHOWN = 14


def _members_html(bloc_of: dict[str, int], degree: pd.Series, names: dict[str, str]) -> str:
    members: dict[int | None, list[str]] = {}
    for actor in degree.index:
        members.setdefault(bloc_of.get(actor), []).append(actor)
    rows = []
    for bloc in sorted(members, key=lambda b: (b is None, b or 0)):
        people = sorted(members[bloc], key=lambda a: (-degree.get(a, 0), a))
        shown = ", ".join(names.get(a, a) for a in people[:MEMBERS_SHOWN])
        more = f" and {len(people) - MEMBERS_SHOWN} more" if len(people) > MEMBERS_SHOWN else ""
        title = palette.bloc_label(bloc) if bloc is not None else "On their own"
        rows.append(
            f'<div style="margin:0 0 0.55rem 0;font-size:1.02rem;line-height:1.45">'
            f'<span style="display:inline-block;width:15px;height:15px;border-radius:50%;'
            f'background:{palette.bloc_colour(bloc)};margin-right:7px;vertical-align:-2px">'
            f"</span><b>{html.escape(title)}</b> ({len(people)}): "
            f"{html.escape(shown)}{html.escape(more)}</div>")
    return "".join(rows)


st.title("Blocs")
run = require_run()
with guarded():
    f = run.filters
    edges = net.summary_or_stop(run)
    bloc_of = net.blocs(f, run.identity)
    census = net.balance(f, run.identity)
    pairs = net.pairs(f, run.identity)
    surprises = analytics.surprises(edges, pairs=pairs)
    misfits = analytics.frustration(edges, bloc_of, pairs=pairs)
    signed_pairs = int((pairs["sign"] != 0).sum())

    cols = st.columns(4)
    actors = layout.actor_ids(edges)
    cols[0].metric("Blocs", f"{len(set(bloc_of.values())):,}",
                   help=f"{len(bloc_of):,} of {len(actors):,} actors belong to a bloc of two "
                        "or more; the others stand on their own (grey)")
    cols[1].metric("Ties against the blocs", f"{misfits:,}",
                   help=f"Of {signed_pairs:,} signed pairs: hostile inside a bloc or "
                        "cooperative across blocs")
    ratio = census.ratio
    cols[2].metric("Balanced triangles", "—" if ratio is None else f"{ratio:.0%}",
                   help=f"{census.balanced:,} balanced, {census.unbalanced:,} unbalanced "
                        "(a friend of a friend who is an enemy is unbalanced)")
    cols[3].metric("Surprises", f"{len(surprises):,}",
                   help="Pairs with both cooperative and hostile articles")

    degree = layout.weighted_degree(edges)
    drawn, notice = net.trim(edges, urlstate.DEFAULT_BUDGET)
    graph, side = st.columns([3, 2], gap="large")
    with graph:
        st.caption(f"{notice} Node colour = bloc.")
        net.draw(drawn, run.names, HEIGHT, bloc_of=bloc_of,
                 alt="Network of actors coloured by bloc", type_scale=story.type_scale(),
                 reference=net.store_map(run.identity))
    with side:
        st.subheader("Members")
        st.html(_members_html(bloc_of, degree, run.names))

    left, right = st.columns([3, 2], gap="large")
    with left:
        st.subheader("Surprises")
        if surprises.empty:
            st.caption("No pair has both cooperative and hostile articles under these filters.")
        else:
            st.dataframe(
                surprises.assign(a=surprises["a"].map(lambda a: run.names.get(a, a)),
                                 b=surprises["b"].map(lambda b: run.names.get(b, b))),
                hide_index=True, width="stretch", height=360,
                column_order=["a", "b", "kind", "cooperative", "hostile", "relations"],
                column_config={"a": "Actor", "b": "Actor", "kind": "What is odd",
                               "cooperative": "Cooperative", "hostile": "Hostile",
                               "relations": "Relation types"})
    with right:
        st.subheader("Structural balance")
        if not census.balanced + census.unbalanced:
            st.caption("No triangle of signed ties under these filters.")
        else:
            kinds = {"+++": "three friends", "+--": "two friends, a common enemy",
                     "++-": "two friends at odds over a third", "---": "three enemies"}
            table = census.patterns()
            table["meaning"] = table["signs"].map(kinds)
            st.dataframe(table, hide_index=True, width="stretch",
                         column_order=["signs", "meaning", "balanced", "triangles"],
                         column_config={"signs": "Signs", "meaning": "Meaning",
                                        "balanced": "Balanced", "triangles": "Triangles"})
            odd = census.first_unbalanced(200)
            if not odd.empty:
                st.caption("Unbalanced triangles (the first 200):")
                st.dataframe(
                    pd.DataFrame({c: odd[c].map(lambda a: run.names.get(a, a))
                                  for c in ("a", "b", "c")}).assign(signs=odd["signs"]),
                    hide_index=True, width="stretch", height=220,
                    column_config={"a": "Actor", "b": "Actor", "c": "Actor",
                                   "signs": "Signs"})

    download_buttons(ExportView(view="blocs", filters=f), run.identity,
                     first=run.context.first, last=run.context.last)
