"""A store whose every untrusted field is a script-injection payload: article titles,
publishers, texts, evidence sentences and URLs, actor names and ids (through a registry
folder of our own, passed to the ingest: the app reads actor names from the store), and the
bookmarks sidecar's names."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import yaml

from dashboard import formats
from dashboard.models import Article
from dashboard.paths import actors_dir
from dashboard.registry import Registry
from dashboard.store import ingest, ingest_records

from .payloads import HTTP_URL_PAYLOADS, MARKDOWN_PAYLOADS, PAYLOADS

STATES = ("FRA", "DEU", "USA", "RUS", "CHN", "UKR")
N_NAMED = 12  # actors whose display names are payloads
ID_PAYLOADS = ("<svg/onload=top.__pwned=1,alert(document.domain)>",
               "\"><img src=x onerror=alert(document.domain)>",
               "javascript:alert(document.domain)")
RELATIONS = ("condemnation", "sanction", "alliance", "cooperation", "support", "threat")


def _short(p: str, n: int) -> str:
    return p if len(p) <= n else p[-n:]


def actor_name(i: int) -> str:
    return _short(PAYLOADS[i], 200)


def registry_folder(folder: Path) -> Path:
    shutil.copytree(actors_dir(), folder)
    path = folder / "non_state.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for i in range(N_NAMED):
        entries[f"Xss{i:02d}"] = {"name": actor_name(i),
                                  "aliases": [_short(PAYLOADS[i + N_NAMED], 150)]}
    for p in ID_PAYLOADS:
        entries[p] = {"name": p}
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return folder


def articles() -> list[Article]:
    out = []
    actors = [f"Xss{i:02d}" for i in range(N_NAMED)] + list(ID_PAYLOADS)
    # Script payloads first (their indices are the tests' handles), then the Markdown ones.
    for i, payload in enumerate((*PAYLOADS, *MARKDOWN_PAYLOADS)):
        lead = "Ministers met. "
        evidence = _short(payload, 400)
        text = f"{lead}{evidence}\n\nThe talks went on."
        start = len(lead)
        source = actors[i % len(actors)]
        target = STATES[i % len(STATES)]
        out.append(Article(
            id=f"xss-{i:02d}", title=_short(payload, 1000),
            publisher=_short(ALL[(i + 7) % len(ALL)], 200),
            published=dt.date(2024, 1, 1) + dt.timedelta(days=4 * i),
            url=HTTP_URL_PAYLOADS[i % len(HTTP_URL_PAYLOADS)] if i % 3 else None,
            text=text,
            relations=[{"source": source, "target": target,
                        "relation": RELATIONS[i % len(RELATIONS)],
                        "evidence": {"start": start, "end": start + len(evidence)},
                        "cue": {"start": start, "end": start + 1}},
                       {"source": target, "target": STATES[(i + 1) % len(STATES)],
                        "relation": "cooperation",
                        "evidence": {"start": 0, "end": len(lead) - 1},
                        "cue": {"start": 10, "end": 13}}]))
    return out


ALL = (*PAYLOADS, *MARKDOWN_PAYLOADS)
BOOKMARK_NAMES = tuple(p for p in PAYLOADS if len(p) <= 120)[:10]


def build(folder: Path) -> Path:
    """The store at folder/atlas.duckdb (with its bookmarks sidecar)."""
    registry = Registry.load(registry_folder(folder / "actors"))
    source = folder / "articles.json"
    source.write_text("[" + ",\n".join(a.model_dump_json() for a in articles()) + "]",
                      encoding="utf-8")
    db = folder / "atlas.duckdb"
    report = ingest([source], db, registry=registry)
    assert report.ok and report.added == len(ALL), report.rejected[:3]
    # Every other format's hostile cases too (tests/fixtures/hostile): their good records
    # (GDELT events, COW treaties, brat, doccano, Label Studio, CSV rows) reach the pages.
    hostile = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
    more = ingest_records(formats.items([hostile]), db, registry=registry)
    assert more.added >= 10, more.summary()
    marks = [{"name": n, "page": p, "query": q} for n, p, q in zip(
        BOOKMARK_NAMES,
        ["network", "timeline", "javascript:alert(1)", "articles", "data", "blocs",
         "network", "actor", "compare", "network"],
        ["", "q=%3Cscript%3E", "", "article=xss-03", "", "", "focus=%3Cimg", "", "",
         "\"><script>alert(1)</script>"], strict=False)]
    db.with_name(db.name + ".bookmarks.json").write_text(
        json.dumps({"version": 1, "bookmarks": marks}), encoding="utf-8")
    return db
