"""A synthetic corpus of native annotated articles, for benchmarks and tests.

    python tests/benchmarks/synth.py --articles 10000 --out DIR [--seed 1] [--per-file 1000]

writes DIR/articles-00000.jsonl, ... (one article per line). The corpus is meant to look like a
real one to the ingest: about 70 actors from the registry with a Zipf-like popularity (USA,
RUS, CHN, UKR, NATO, EU first), relation types in realistic proportions (cooperation and
condemnation common, attacks rare), blocs that mostly cooperate inside and mostly clash across
(with noise), dates over 2022-01-01..2025-06-30, about 20 publishers, and text made of template
sentences: every relation's evidence span is the sentence that names both of its actors, its cue
span the verb, every actor name is a mention with correct offsets. Articles average about ten
relations (100k articles make about 1M edges) and some restate a fact they already stated.

Output is a pure function of (seed, articles, per-file): each file is generated from its own
seeded random source, so files can be generated in parallel and any file can be regenerated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from dashboard.registry import AliasKind, Registry, normalise  # noqa: E402
from dashboard.taxonomy import RELATIONS, RelationType  # noqa: E402

# Bump when the output for a given seed changes, so cached corpora are regenerated.
VERSION = 1

# Most popular first: popularity is Zipf-like over this order.
ACTORS = (
    "USA RUS CHN UKR NATO EU ISR IRN GBR DEU FRA PRK UN Hamas TUR KOR JPN IND POL TWN "
    "BLR SAU Houthis Hezbollah SYR G7 PAK QAT EGY CAN AUS ITA UNSC IAEA FIN SWE HUN PHL "
    "VNM Wagner ARE BRA ZAF IRQ LBN GEO MDA ARM AZE LTU EST LVA ROU NLD ESP BRICS SCO "
    "CSTO AUKUS QUAD ASEAN ECOWAS MLI NER SDN RSF Taliban AFG VEN CUB SRB"
).split()

# Blocs: same bloc mostly cooperates, opposed blocs mostly clash, the rest is a coin toss.
BLOCS = {
    "west": "USA UKR NATO EU GBR DEU FRA KOR JPN POL TWN G7 CAN AUS ITA FIN SWE PHL LTU EST "
            "LVA ROU NLD ESP AUKUS QUAD MDA GEO",
    "east": "RUS CHN IRN PRK BLR SYR Wagner CSTO SCO Hamas Hezbollah Houthis VEN CUB MLI NER",
    "israel": "ISR USA",
    "axis": "IRN Hamas Hezbollah Houthis SYR",
    "gulf": "SAU ARE QAT EGY",
    "sahel": "MLI NER Wagner RUS",
}
OPPOSED = {("west", "east"), ("israel", "axis"), ("gulf", "axis"), ("sahel", "west")}
P_FRIENDLY_INSIDE = 0.85   # chance that a relation inside a bloc is cooperative
P_HOSTILE_ACROSS = 0.8     # chance that a relation across opposed blocs is hostile

COOPERATIVE_MIX = {"cooperation": 0.55, "support": 0.30, "alliance": 0.15}
HOSTILE_MIX = {"condemnation": 0.50, "sanction": 0.20, "threat": 0.18, "attack": 0.12}

PUBLISHERS = (
    "Reuters", "Associated Press", "AFP", "BBC News", "The Guardian", "Al Jazeera",
    "The New York Times", "The Washington Post", "Financial Times", "Deutsche Welle",
    "France 24", "Kyiv Independent", "TASS", "Xinhua", "NHK World", "Yonhap", "Times of Israel",
    "Politico Europe", "The Hindu", "Anadolu Agency",
)

START = dt.date(2022, 1, 1)
END = dt.date(2025, 6, 30)

# Templates: {a} and {b} are the two actors, [..] marks the cue. The source is {a}.
TEMPLATES = {
    "alliance": (
        "{a} and {b} [signed a mutual defence pact] in {place}.",
        "{a} [formalised a strategic partnership] with {b} on {topic}.",
        "{a} and {b} [reaffirmed their alliance] during talks in {place}.",
    ),
    "cooperation": (
        "{a} and {b} [agreed] to deepen cooperation on {topic}.",
        "{a} [held joint exercises] with {b} near {place}.",
        "Officials from {a} and {b} [met] in {place} to coordinate on {topic}.",
        "{a} [signed an agreement] with {b} on {topic}.",
    ),
    "support": (
        "{a} [pledged] new aid to {b} for {topic}.",
        "{a} [backed] {b} in a statement on {topic}.",
        "{a} [delivered] air-defence systems to {b}, officials said.",
        "{a} [voiced support] for {b} at a summit in {place}.",
    ),
    "condemnation": (
        "{a} [condemned] {b} over {topic}.",
        "{a} [accused] {b} of undermining {topic}.",
        "{a} [criticised] {b} for its stance on {topic}.",
        "{a} [denounced] what it called provocations by {b} near {place}.",
    ),
    "sanction": (
        "{a} [imposed sanctions] on {b} over {topic}.",
        "{a} [expelled] diplomats from {b} after a dispute over {topic}.",
        "{a} [froze] assets linked to {b}.",
    ),
    "threat": (
        "{a} [warned] {b} of consequences over {topic}.",
        "{a} [threatened] {b} with retaliation near {place}.",
        "{a} [deployed] warships near {b} in a show of force.",
    ),
    "attack": (
        "{a} [launched strikes] on {b} near {place}.",
        "Forces of {a} [shelled] positions held by {b} near {place}.",
        "{a} [attacked] {b} with drones overnight.",
    ),
}
RESTATEMENT = "{a} and {b} were again at the centre of events, the report said."  # no relation
FILLERS = (
    "Officials declined to comment further.",
    "The talks are expected to continue next week.",
    "Analysts said the move reflected a wider shift in the region.",
    "The statement was published late on Tuesday.",
    "Markets reacted calmly to the news.",
    "Further details were not immediately available.",
)
TOPICS = (
    "energy security", "the grain corridor", "nuclear talks", "arms control", "border security",
    "the ceasefire", "maritime security", "cyber attacks", "trade", "refugees",
    "critical minerals", "air defence", "the peace plan", "shipping in the Red Sea",
    "semiconductor exports", "humanitarian aid",
)
PLACES = (
    "Geneva", "Vienna", "Brussels", "Doha", "Istanbul", "Singapore", "Munich", "New York",
    "the Black Sea", "the Baltic", "the Taiwan Strait", "the South China Sea", "the Red Sea",
    "Riyadh", "Warsaw", "Cairo",
)

_TOKEN = re.compile(r"\{a\}|\{b\}|\{topic\}|\{place\}|\[[^\]]+\]|[^{\[]+")


@dataclass(frozen=True)
class _Surface:
    text: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, on: dt.date) -> bool:
        return ((self.valid_from is None or self.valid_from <= on)
                and (self.valid_to is None or on <= self.valid_to))


def _compile(template: str) -> tuple[tuple[str, str], ...]:
    parts = []
    for token in _TOKEN.findall(template):
        if token in ("{a}", "{b}", "{topic}", "{place}"):
            parts.append((token[1:-1], ""))
        elif token.startswith("["):
            parts.append(("cue", token[1:-1]))
        else:
            parts.append(("lit", token))
    return tuple(parts)


_COMPILED = {rel: tuple(_compile(t) for t in ts) for rel, ts in TEMPLATES.items()}
_RESTATE = _compile(RESTATEMENT)


def _surfaces(registry: Registry) -> dict[str, tuple[list[_Surface], list[_Surface]]]:
    """Per actor: (timeless names, office holders), keeping only names that are unambiguous."""
    owners: dict[str, set[str]] = defaultdict(set)
    for alias in registry.aliases:
        owners[normalise(alias.text)].add(alias.actor_id)
    out: dict[str, tuple[list[_Surface], list[_Surface]]] = {}
    for actor_id in ACTORS:
        actor = registry.get(actor_id)
        if len(owners[normalise(actor.name)]) != 1:
            raise ValueError(f"the display name of {actor_id} is ambiguous: {actor.name!r}")
        # News writing says "the United States", "the European Union": prefer that form.
        the_name = f"the {actor.name}"
        primary = the_name if any(a.text == the_name and a.actor_id == actor_id
                                  for a in registry.aliases) else actor.name
        names = [_Surface(primary)]
        holders: list[_Surface] = []
        for alias in registry.aliases:
            if alias.actor_id != actor_id or len(owners[normalise(alias.text)]) != 1:
                continue
            if (alias.kind in (AliasKind.ALIAS, AliasKind.METONYM)
                    and alias.text not in (actor.name, primary)):
                names.append(_Surface(alias.text))
            elif alias.kind is AliasKind.OFFICE_HOLDER:
                holders.append(_Surface(alias.text, alias.valid_from, alias.valid_to))
        out[actor_id] = (names, holders)
    return out


def _blocs() -> dict[tuple[str, str], str]:
    member: dict[str, set[str]] = defaultdict(set)
    for bloc, ids in BLOCS.items():
        for actor_id in ids.split():
            member[actor_id].add(bloc)
    stance = {}
    for a, b in itertools.permutations(ACTORS, 2):
        if member[a] & member[b]:
            stance[(a, b)] = "friendly"
        elif any((x, y) in OPPOSED or (y, x) in OPPOSED for x in member[a] for y in member[b]):
            stance[(a, b)] = "hostile"
        else:
            stance[(a, b)] = "neutral"
    return stance


class Generator:
    """Generates articles; all randomness comes from the `random.Random` passed in."""

    def __init__(self, registry: Registry | None = None) -> None:
        registry = registry or Registry.load()
        self.surfaces = _surfaces(registry)
        self.stance = _blocs()
        weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(ACTORS))]
        self.actor_cum = list(itertools.accumulate(weights))
        self.publisher_cum = list(itertools.accumulate(
            1.0 / (rank + 1) ** 0.8 for rank in range(len(PUBLISHERS))))
        self.coop = (list(COOPERATIVE_MIX), list(itertools.accumulate(COOPERATIVE_MIX.values())))
        self.host = (list(HOSTILE_MIX), list(itertools.accumulate(HOSTILE_MIX.values())))
        self.days = (END - START).days
        self.symmetric = {r.value: RELATIONS[r].symmetric for r in RelationType}

    def _actor(self, rng: random.Random) -> str:
        return rng.choices(ACTORS, cum_weights=self.actor_cum)[0]

    def _relation(self, rng: random.Random, a: str, b: str) -> str:
        kind = self.stance[(a, b)]
        p_coop = {"friendly": P_FRIENDLY_INSIDE, "hostile": 1 - P_HOSTILE_ACROSS,
                  "neutral": 0.5}[kind]
        names, cum = self.coop if rng.random() < p_coop else self.host
        return rng.choices(names, cum_weights=cum)[0]

    def _surface(self, rng: random.Random, actor_id: str, on: dt.date) -> str:
        names, holders = self.surfaces[actor_id]
        x = rng.random()
        if x < 0.1 and holders:
            valid = [h for h in holders if h.valid_on(on)]
            if valid:
                return rng.choice(valid).text
        if x < 0.55 or len(names) == 1:
            return names[0].text
        return rng.choice(names[1:]).text

    def article(self, rng: random.Random, article_id: str) -> dict:
        published = START + dt.timedelta(days=rng.randrange(self.days + 1))
        publisher = rng.choices(PUBLISHERS, cum_weights=self.publisher_cum)[0]
        focal: list[str] = []
        n_focal = rng.choice((2, 2, 3, 3, 4))
        while len(focal) < n_focal:
            actor = self._actor(rng)
            if actor not in focal:
                focal.append(actor)
        n_relations = rng.randint(5, 18)

        pieces: list[str] = []
        pos = 0
        mentions: list[dict] = []
        relations: list[dict] = []
        stated: list[tuple[str, str, str, dt.date | None]] = []

        def sentence(parts, a: str, a_text: str, b: str, b_text: str) -> tuple[int, int, tuple]:
            nonlocal pos
            start = pos
            cue = None
            first = True
            for kind, lit in parts:
                if kind == "a" or kind == "b":
                    text = a_text if kind == "a" else b_text
                    if first:
                        text = text[0].upper() + text[1:]
                    mentions.append({"start": pos, "end": pos + len(text),
                                     "actor": a if kind == "a" else b, "text": text})
                elif kind == "cue":
                    text = lit
                    cue = (pos, pos + len(text))
                elif kind == "topic":
                    text = rng.choice(TOPICS)
                elif kind == "place":
                    text = rng.choice(PLACES)
                else:
                    text = lit
                first = False
                pieces.append(text)
                pos += len(text)
            end = pos
            pieces.append(" ")
            pos += 1
            return start, end, cue

        for _ in range(n_relations):
            if rng.random() < 0.15:
                pieces.append(rng.choice(FILLERS) + " ")
                pos += len(pieces[-1])
            if stated and rng.random() < 0.05:
                # The same fact stated again, maybe in another template and, for symmetric
                # relations, with the actors the other way round.
                a, b, rel, when = rng.choice(stated)
                if self.symmetric[rel] and rng.random() < 0.5:
                    a, b = b, a
            else:
                if rng.random() < 0.6:
                    a, b = rng.sample(focal, 2)
                else:
                    a = rng.choice(focal)
                    b = self._actor(rng)
                    while b == a:
                        b = self._actor(rng)
                    if rng.random() < 0.5:
                        a, b = b, a
                rel = self._relation(rng, a, b)
                when = (published - dt.timedelta(days=rng.randrange(1, 8))
                        if rng.random() < 0.15 else None)
                stated.append((a, b, rel, when))
            on = when or published
            a_text = self._surface(rng, a, on)
            b_text = self._surface(rng, b, on)
            start, end, cue = sentence(rng.choice(_COMPILED[rel]), a, a_text, b, b_text)
            x = rng.random()
            relation = {
                "source": a if x < 0.7 else a_text,
                "target": b if x < 0.7 else b_text,
                "relation": rel,
                "evidence": {"start": start, "end": end},
                "cue": {"start": cue[0], "end": cue[1]},
            }
            if when is not None:
                relation["date"] = when.isoformat()
            y = rng.random()
            if y < 0.2:
                relation.update(annotator="auto", confidence=round(0.5 + 0.45 * rng.random(), 2),
                                rule=f"synth:{rel}")
            elif y < 0.3:
                relation["annotator"] = "reviewed"
            relations.append(relation)
        if rng.random() < 0.3:
            a, b = rng.sample(focal, 2)
            sentence(_RESTATE, a, self._surface(rng, a, published), b,
                     self._surface(rng, b, published))
        pieces.append(rng.choice(FILLERS))
        text = "".join(pieces)

        first = relations[0]
        lead = self.surfaces[focal[0]][0][0].text
        title = (f"{lead[0].upper()}{lead[1:]} and "
                 f"{self.surfaces[focal[1]][0][0].text}: {first['relation']} "
                 f"over {rng.choice(TOPICS)}")
        slug = publisher.lower().replace(" ", "")
        return {
            "id": article_id,
            "title": title,
            "published": published.isoformat(),
            "publisher": publisher,
            "url": f"https://www.{slug}.example/{published:%Y/%m}/{article_id}",
            "text": text,
            "language": "en",
            "mentions": mentions,
            "relations": relations,
        }


_GENERATOR: Generator | None = None


def _generator() -> Generator:
    global _GENERATOR
    if _GENERATOR is None:
        _GENERATOR = Generator()
    return _GENERATOR


def articles(n: int, seed: int = 1, *, start: int = 0) -> list[dict]:
    """Articles `start`..`start + n - 1` of the corpus of `seed`, as JSON-ready dicts; the
    random source is `(seed, start)`, so the same call always returns the same articles."""
    rng = random.Random(f"alliance-atlas-synth:{VERSION}:{seed}:{start}")
    gen = _generator()
    return [gen.article(rng, f"synth-{seed}-{start + i:07d}") for i in range(n)]


def _write_file(args: tuple[Path, int, int, int]) -> int:
    path, seed, start, n = args
    lines = [json.dumps(a, ensure_ascii=False, separators=(",", ":"))
             for a in articles(n, seed, start=start)]
    tmp = path.with_name(path.name + ".part")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return sum(len(a) for a in lines)


def generate(out: Path, n_articles: int, seed: int = 1, *, per_file: int = 1000,
             workers: int | None = None) -> list[Path]:
    """Write the corpus to `out` as `articles-NNNNN.jsonl` files; returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(out / f"articles-{i:05d}.jsonl", seed, start, min(per_file, n_articles - start))
            for i, start in enumerate(range(0, n_articles, per_file))]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            _write_file(job)
    else:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_write_file, jobs, chunksize=4))
    return [job[0] for job in jobs]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    files = generate(args.out, args.articles, args.seed, per_file=args.per_file,
                     workers=args.workers)
    size = sum(f.stat().st_size for f in files)
    print(f"{args.articles} articles in {len(files)} files ({size / 2**20:.1f} MiB) under "
          f"{args.out} in {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
