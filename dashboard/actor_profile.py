"""The Actor page's profile of one actor: its partners ranked by net stance, and the mix of
relation types it gives and receives. Both work on the rows of `queries.edge_summary` that
involve the actor, grouped by integer codes in numpy, which is quicker on a few hundred rows
than a loop of dicts or pandas' group-bys."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.taxonomy import type_order


def _relation_order(relations: np.ndarray) -> np.ndarray:
    """Each of `relations` (distinct type names) ranked in taxonomy order, unknown types last
    by name."""
    ranked = sorted(range(len(relations)), key=lambda i: type_order(relations[i]))
    order = np.empty(len(relations), dtype=np.int64)
    order[ranked] = np.arange(len(relations))
    return order


def _relation_counts(weights: np.ndarray, present: np.ndarray, relations: np.ndarray,
                     order: np.ndarray) -> list[str]:
    """Per row of `weights` (partner x relation type): 'support 3, condemnation 1', weight per
    type that occurs (`present`), largest first, ties in taxonomy order (`order`)."""
    partner, rel = np.nonzero(present)
    weight = weights[partner, rel]
    by = np.lexsort((order[rel], -weight, partner))
    parts: list[list[str]] = [[] for _ in range(len(weights))]
    for who, name, count in zip(partner[by].tolist(), relations[rel[by]].tolist(),
                                weight[by].tolist(), strict=True):
        parts[who].append(f"{name} {count}")
    return [", ".join(p) for p in parts]


def _actor_rows(edges: pd.DataFrame, actor: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where `actor` is the source and where it is the target, row by row, and the rows where
    it is either."""
    is_src = (edges["source"] == actor).to_numpy(dtype=bool)
    is_tgt = (edges["target"] == actor).to_numpy(dtype=bool)
    return is_src, is_tgt, np.flatnonzero(is_src | is_tgt)


def _texts(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    if not pd.api.types.is_string_dtype(column.dtype):
        column = column.astype(str)
    return column.to_numpy(dtype=object)[rows]


def _codes_of(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(code per element, distinct values sorted, each value's first element): `np.unique`
    with `return_index` and `return_inverse`, by hashing, not by sorting Python strings."""
    codes, distinct = pd.factorize(texts, sort=True)
    first = np.full(len(distinct), len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return codes, np.asarray(distinct, dtype=object), first


def net_stance(edges: pd.DataFrame, actor: str) -> pd.DataFrame:
    """The actor's partners: partner, partner_name, cooperative, hostile, net (over both
    directions), given / received (relations from the actor to the partner and back, e.g.
    "support 3, condemnation 1"; symmetric relations appear in both), role = ally (net > 0),
    adversary (net < 0) or mixed (net = 0). Sorted by net desc, so allies come first strongest
    first and adversaries last, most hostile last; ties by total weight then partner id."""
    columns = ["partner", "partner_name", "cooperative", "hostile", "net", "role", "given",
               "received"]
    is_src, is_tgt, rows = _actor_rows(edges, actor)
    rows = rows[is_src[rows] != is_tgt[rows]]  # self-ties have no partner
    if not len(rows):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    outgoing = is_src[rows]
    partner = np.where(outgoing, _texts(edges["target"], rows), _texts(edges["source"], rows))
    if {"source_name", "target_name"} <= set(edges.columns):
        name = np.where(outgoing, _texts(edges["target_name"], rows),
                        _texts(edges["source_name"], rows))
    else:
        name = partner
    of, partners, first = _codes_of(partner)  # a partner's first row gives its name
    weight = edges["weight"].to_numpy(dtype=np.int64)[rows]
    cooperative_row = edges["stance"].eq("cooperative").to_numpy(dtype=bool)[rows]
    count = len(partners)
    cooperative = np.bincount(of, weights=np.where(cooperative_row, weight, 0),
                              minlength=count).astype(np.int64)
    hostile = np.bincount(of, weights=np.where(cooperative_row, 0, weight),
                          minlength=count).astype(np.int64)
    # Relations given and received, as partner x type tables; symmetric types count both ways.
    rel, relations, _ = _codes_of(_texts(edges["relation"], rows))
    symmetric = ~edges["directed"].astype(bool).to_numpy()[rows]
    cell = of * len(relations) + rel
    size = count * len(relations)
    tables = []
    for applies in (outgoing | symmetric, ~outgoing | symmetric):
        sums = np.bincount(cell[applies], weights=weight[applies], minlength=size)
        seen = np.bincount(cell[applies], minlength=size)
        tables.append((sums.astype(np.int64).reshape(count, -1), seen.reshape(count, -1) > 0))
    ranked = np.lexsort((partners, -(cooperative + hostile), hostile - cooperative))
    net = (cooperative - hostile)[ranked]
    order = _relation_order(relations)
    given, received = (_relation_counts(sums[ranked], seen[ranked], relations, order)
                       for sums, seen in tables)
    return pd.DataFrame({
        "partner": partners[ranked].tolist(),
        "partner_name": name[first[ranked]].tolist(),
        "cooperative": cooperative[ranked],
        "hostile": hostile[ranked],
        "net": net,
        "role": np.select([net > 0, net < 0], ["ally", "adversary"], "mixed"),
        "given": given,
        "received": received,
    }, columns=columns)


def relation_mix(edges: pd.DataFrame, actor: str) -> pd.DataFrame:
    """Per relation type (taxonomy order, types the actor never takes part in left out): the
    weight of rows the actor gives (is the source of) and receives (is the target of), with
    symmetric relations counted on both sides, and the relation's stance."""
    is_src, is_tgt, rows = _actor_rows(edges, actor)
    rel, relations, first = _codes_of(_texts(edges["relation"], rows))
    weight = edges["weight"].to_numpy(dtype=np.int64)[rows]
    symmetric = ~edges["directed"].astype(bool).to_numpy()[rows]
    outgoing, incoming = is_src[rows], is_tgt[rows]
    given, received = (
        np.bincount(rel[applies], weights=weight[applies],
                    minlength=len(relations)).astype(np.int64)
        for applies in (outgoing | (incoming & symmetric), incoming | (outgoing & symmetric)))
    order = np.argsort(_relation_order(relations))
    return pd.DataFrame({
        "relation": pd.Series(relations[order].tolist(), dtype="str"),
        "stance": pd.Series(_texts(edges["stance"], rows[first[order]]).tolist(), dtype="str"),
        "given": given[order],
        "received": received[order]})
