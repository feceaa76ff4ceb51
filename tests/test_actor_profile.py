"""The Actor page's profile (`dashboard.actor_profile`): small frames with known answers, and
`net_stance` and `relation_mix` against plain per-row references on every actor of the demo
corpus and on random frames with names, self-ties, symmetric types and ties in weight. The
references walk the rows one by one, as the definitions read."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from dashboard import queries
from dashboard.actor_profile import net_stance, relation_mix
from dashboard.layout import actor_ids
from dashboard.taxonomy import RELATION_POSITION, RelationType
from tests.edge_frames import frame


def test_net_stance_ranks_partners_and_gives_roles():
    edges = frame([("USA", "KOR", "alliance", 4), ("USA", "KOR", "support", 2),
                   ("KOR", "USA", "condemnation", 1), ("USA", "PRK", "condemnation", 3),
                   ("PRK", "USA", "threat", 2), ("USA", "IND", "cooperation", 1),
                   ("USA", "IND", "condemnation", 1), ("JPN", "USA", "support", 1),
                   ("KOR", "PRK", "threat", 9)])
    got = net_stance(edges, "USA")
    assert got["partner"].tolist() == ["KOR", "JPN", "IND", "PRK"]
    assert got["role"].tolist() == ["ally", "ally", "mixed", "adversary"]
    assert got["net"].tolist() == [5, 1, 0, -5]
    kor = got.iloc[0]
    assert kor["given"] == "alliance 4, support 2"
    assert kor["received"] == "alliance 4, condemnation 1"
    assert got.iloc[1]["given"] == "" and got.iloc[1]["received"] == "support 1"
    assert net_stance(edges, "NOBODY").empty


def test_relation_mix_counts_symmetric_rows_on_both_sides():
    edges = frame([("A", "B", "alliance", 2), ("C", "A", "cooperation", 1),
                   ("A", "B", "support", 3), ("B", "A", "support", 1),
                   ("D", "A", "attack", 4), ("B", "C", "threat", 7)])
    got = relation_mix(edges, "A")
    assert got[["relation", "given", "received"]].values.tolist() == [
        ["alliance", 2, 2], ["cooperation", 1, 1], ["support", 3, 1], ["attack", 0, 4]]
    assert got["stance"].tolist() == ["cooperative"] * 3 + ["hostile"]


def _by_weight(per: dict[str, int]) -> str:
    return ", ".join(f"{r} {w}" for r, w in sorted(
        per.items(), key=lambda rw: (-rw[1], RELATION_POSITION.get(rw[0], 99), rw[0])))


def reference_stance(edges: pd.DataFrame, actor: str) -> list[tuple]:
    stats: dict[str, list] = {}  # partner: [name, cooperative, hostile, given, received]
    for row in edges.itertuples(index=False):
        if (row.source == actor) == (row.target == actor):
            continue  # not the actor's, or a self-tie
        outgoing = row.source == actor
        partner = row.target if outgoing else row.source
        name = getattr(row, "target_name" if outgoing else "source_name", partner)
        entry = stats.setdefault(partner, [name, 0, 0, {}, {}])
        entry[1 if row.stance == "cooperative" else 2] += row.weight
        if outgoing or not row.directed:
            entry[3][row.relation] = entry[3].get(row.relation, 0) + row.weight
        if not outgoing or not row.directed:
            entry[4][row.relation] = entry[4].get(row.relation, 0) + row.weight
    ranked = sorted(stats.items(), key=lambda kv: (kv[1][2] - kv[1][1],
                                                   -(kv[1][1] + kv[1][2]), kv[0]))
    return [(p, e[0], e[1], e[2], e[1] - e[2],
             "ally" if e[1] > e[2] else "adversary" if e[1] < e[2] else "mixed",
             _by_weight(e[3]), _by_weight(e[4])) for p, e in ranked]


def reference_mix(edges: pd.DataFrame, actor: str) -> list[tuple]:
    given: dict[str, int] = {}
    received: dict[str, int] = {}
    stance: dict[str, str] = {}
    for row in edges.itertuples(index=False):
        out, into = row.source == actor, row.target == actor
        if not (out or into):
            continue
        stance[row.relation] = row.stance
        if out or not row.directed:
            given[row.relation] = given.get(row.relation, 0) + row.weight
        if into or not row.directed:
            received[row.relation] = received.get(row.relation, 0) + row.weight
    return [(r, stance[r], given.get(r, 0), received.get(r, 0))
            for r in sorted(stance, key=lambda r: (RELATION_POSITION.get(r, 99), r))]


def check(edges: pd.DataFrame, actor: str) -> None:
    stance = net_stance(edges, actor)
    assert list(stance.itertuples(index=False, name=None)) == reference_stance(edges, actor)
    assert list(stance.columns) == ["partner", "partner_name", "cooperative", "hostile", "net",
                                    "role", "given", "received"]
    if not stance.empty:
        assert {stance[c].dtype for c in ("cooperative", "hostile", "net")} == {np.dtype(np.int64)}
    mix = relation_mix(edges, actor)
    assert list(mix.itertuples(index=False, name=None)) == reference_mix(edges, actor)
    assert mix["given"].dtype == mix["received"].dtype == np.int64


def test_every_actor_of_the_demo_corpus(demo_store):
    with queries.connect(demo_store) as con:
        edges = queries.run(con, queries.edge_summary(queries.Filters()))
    for actor in actor_ids(edges):
        check(edges, actor)


@pytest.mark.parametrize("seed", range(30))
def test_random_frames(seed):
    rng = random.Random(seed)
    actors = [f"A{i}" for i in range(rng.randint(2, 9))]
    types = [t.value for t in RelationType]
    rows = [(rng.choice(actors), rng.choice(actors), rng.choice(types), rng.randint(1, 4))
            for _ in range(rng.randint(1, 60))]
    edges = frame(rows).drop_duplicates(["source", "target", "relation"], ignore_index=True)
    edges["source_name"] = "Name of " + edges["source"]
    edges["target_name"] = "Name of " + edges["target"]
    for actor in [*actors, "NOBODY"]:
        check(edges, actor)
        check(edges.drop(columns=["source_name", "target_name"]), actor)


def test_an_unknown_relation_type_comes_last_and_a_self_tie_counts_in_the_mix():
    edges = pd.concat([frame([("A", "B", "support", 2), ("A", "A", "alliance", 5)]),
                       pd.DataFrame([{"source": "B", "target": "A", "relation": "zeal",
                                      "stance": "cooperative", "directed": True,
                                      "weight": 2}])], ignore_index=True)
    check(edges, "A")
    assert net_stance(edges, "A")["received"].tolist() == ["zeal 2"]
    assert relation_mix(edges, "A")["relation"].tolist() == ["alliance", "support", "zeal"]
