"""Score the annotator against the gold sentences: precision, recall and F1 per split.

    python -m dashboard.annotator.evaluate [GOLD.yaml ...] [--errors]

Two levels: *relation* (source, target and relation type must all match; symmetric relations
match in either order) and *stance* (cooperative or hostile, with direction; an edge of a
symmetric relation matches either direction). Each gold sentence is annotated on its own, as
a one-sentence article, through the whole pipeline (clean-up included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dashboard.annotator.pipeline import Annotator
from dashboard.paths import PROJECT_ROOT
from dashboard.taxonomy import is_symmetric, stance_of

GOLD_DIR = PROJECT_ROOT / "tests" / "annotator" / "gold"
DEFAULT_GOLD = [GOLD_DIR / name for name in ("dev.yaml", "heldout.yaml", "wire_dev.yaml",
                                             "wire_test.yaml")]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    name: str
    sentences: int = 0
    relation: Score = field(default_factory=Score)
    stance: Score = field(default_factory=Score)
    dates_right: int = 0
    dates_checked: int = 0
    errors: list[str] = field(default_factory=list)
    # Stance level per PLOVER event type the sentence was written for (`event:` in the gold).
    by_event: dict[str, Score] = field(default_factory=dict)
    # Predicted edges by confidence: (confidence, right at stance level).
    confidences: list[tuple[float, bool]] = field(default_factory=list)

    def precision_at(self, threshold: float) -> tuple[float, int]:
        """Stance-level precision of the edges at `threshold` confidence or more, and their
        number."""
        kept = [right for c, right in self.confidences if c >= threshold]
        return (sum(kept) / len(kept) if kept else 1.0), len(kept)


def _relation_keys(edges) -> set[tuple]:
    keys = set()
    for s, t, rel in edges:
        keys.add((*sorted((s, t)), rel) if is_symmetric(rel) else (s, t, rel))
    return keys


def _stance_keys(edges) -> set[tuple]:
    keys = set()
    for s, t, rel in edges:
        sym = is_symmetric(rel)
        pair = tuple(sorted((s, t))) if sym else (s, t)
        keys.add((*pair, stance_of(rel).value, sym))
    return keys


def _match_stance(pred: set[tuple], gold: set[tuple]) -> tuple[int, set, set]:
    pred_left, gold_left = set(pred), set(gold)
    tp = 0
    # Exact matches first, then a symmetric edge on either side matches either direction.
    for p in sorted(pred):
        if p in gold_left:
            pred_left.discard(p)
            gold_left.discard(p)
            tp += 1
    for p in sorted(pred_left):
        for g in sorted(gold_left):
            if p[2] == g[2] and (p[3] or g[3]) and {p[0], p[1]} == {g[0], g[1]}:
                pred_left.discard(p)
                gold_left.discard(g)
                tp += 1
                break
    return tp, pred_left, gold_left


def load_gold(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def score(path: Path, annotator: Annotator | None = None) -> Report:
    annotator = annotator or Annotator()
    report = Report(path.stem)
    for item in load_gold(path):
        report.sentences += 1
        published = item["published"]
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        result = annotator.annotate(item["text"], published)
        pred = [(e.source, e.target, e.relation) for e in result.edges]
        gold = [(g["source"], g["target"], g["relation"]) for g in item.get("edges") or []]
        p_rel, g_rel = _relation_keys(pred), _relation_keys(gold)
        report.relation.tp += len(p_rel & g_rel)
        report.relation.fp += len(p_rel - g_rel)
        report.relation.fn += len(g_rel - p_rel)
        tp, fps, fns = _match_stance(_stance_keys(pred), _stance_keys(gold))
        event = report.by_event.setdefault(item.get("event") or "-", Score())
        for s in (report.stance, event):
            s.tp += tp
            s.fp += len(fps)
            s.fn += len(fns)
        best: dict[tuple, float] = {}
        for e in result.edges:
            key = next(iter(_stance_keys([(e.source, e.target, e.relation)])))
            best[key] = max(best.get(key, 0.0), e.confidence)
        for key, confidence in best.items():
            report.confidences.append((confidence, key not in fps))
        for g in item.get("edges") or []:
            if "date" not in g:
                continue
            key = _relation_keys([(g["source"], g["target"], g["relation"])])
            dates = [e.date for e in result.edges
                     if _relation_keys([(e.source, e.target, e.relation)]) == key]
            if dates:
                report.dates_checked += 1
                report.dates_right += dates[0] == g["date"]
        if p_rel != g_rel:
            rules = [(e.source, e.target, e.rule) for e in result.edges]
            report.errors.append(f"{item['id']}: {item['text']}\n"
                                 f"    missed {sorted(g_rel - p_rel)}\n"
                                 f"    extra  {sorted(p_rel - g_rel)}\n"
                                 f"    rules  {rules}")
    return report


def format_report(r: Report) -> str:
    rows = [f"{r.name}: {r.sentences} sentences"]
    for level, s in (("stance", r.stance), ("relation", r.relation)):
        rows.append(f"  {level:<9} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
                    f"(tp={s.tp} fp={s.fp} fn={s.fn})")
    if r.dates_checked:
        rows.append(f"  dates     {r.dates_right}/{r.dates_checked} right")
    for threshold in (0.5, 0.7, 0.8, 0.9):
        precision, n = r.precision_at(threshold)
        rows.append(f"  confidence >= {threshold}: {n} edges, stance precision {precision:.3f}")
    if len(r.by_event) > 1:
        rows.append("  stance by event type (the type each sentence was written for):")
        for event, s in sorted(r.by_event.items()):
            rows.append(f"    {event:<10} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
                        f"(tp={s.tp} fp={s.fp} fn={s.fn})")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.annotator.evaluate",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path,
                        help="gold YAML files (default: every file in tests/annotator/gold/)")
    parser.add_argument("--errors", action="store_true", help="list every wrong sentence")
    args = parser.parse_args(argv)
    paths = args.gold or DEFAULT_GOLD
    annotator = Annotator()
    for path in paths:
        report = score(path, annotator)
        print(format_report(report))
        if args.errors:
            for err in report.errors:
                print("  " + err.replace("\n", "\n  "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
