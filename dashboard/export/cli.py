"""The `export` command: the app's views as briefing files, from a script.

    alliance-atlas export --view network --format png --out net.png --from 2024-01-01
    alliance-atlas export --url 'http://localhost:8501/?rel=Sanction&minw=2' --format pptx \
        --out briefing.pptx

`dashboard/cli.py` adds the subcommand with `register(subparsers, common)`. Exit codes: 0 the
file was written, 1 an error (printed as one line `error: ...`; no file is left behind).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import TextIO

from dashboard.cliargs import iso_date
from dashboard.errors import AtlasError
from dashboard.export import build
from dashboard.export.data import labels_from_store, open_store
from dashboard.export.files import check_writable, write_atomic
from dashboard.export.view import (
    DEFAULT_BUDGET,
    DEFAULT_STEPS,
    FORMATS,
    VIEWS,
    ExportView,
    Period,
    UrlWarning,
    from_url,
    resolve_actor,
)
from dashboard.queries import Filters
from dashboard.taxonomy import RelationType

ALL_FORMATS = sorted({f for fs in FORMATS.values() for f in fs})


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add the `export` subcommand to the main parser's subparsers."""
    p = subparsers.add_parser(
        "export", parents=[common], help="export a view as an image, slides or graph file",
        description="Export exactly what a view of the app shows: captioned PNG/SVG/PDF "
                    "images, a PowerPoint briefing, a zip pack, or the edges as CSV, JSON, "
                    "GEXF or GraphML. Same filters as the app. See docs/export.md.")
    p.add_argument("--view", choices=VIEWS, default=None,
                   help="what to export (default: the page of --url, else network)")
    p.add_argument("--format", required=True, choices=ALL_FORMATS, dest="fmt",
                   help="file format (pptx and zip make the briefing pack)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help="the file to write (written atomically)")
    p.add_argument("--url", metavar="URL",
                   help="an app address: export exactly the view it shows; other filter "
                        "options are then not allowed")
    p.add_argument("--from", dest="date_from", type=iso_date, metavar="YYYY-MM-DD",
                   help="first day of events (default: the first event)")
    p.add_argument("--to", dest="date_to", type=iso_date, metavar="YYYY-MM-DD",
                   help="last day of events (default: the last event)")
    p.add_argument("--actor", action="append", default=[], metavar="NAME_OR_ID",
                   help="only edges involving this actor (repeatable; a name, alias or id)")
    p.add_argument("--relation", action="append", default=[], metavar="TYPE",
                   help="only this relation type (repeatable): "
                        + ", ".join(r.value for r in RelationType))
    p.add_argument("--min-weight", type=int, default=1, metavar="N",
                   help="hide edges reported by fewer than N articles (default 1)")
    p.add_argument("--focus", metavar="NAME_OR_ID",
                   help="show only the neighbourhood of this actor")
    p.add_argument("--steps", type=int, default=DEFAULT_STEPS, metavar="N",
                   help="with --focus: how many hops around it (default %(default)s)")
    p.add_argument("--budget", type=int, default=DEFAULT_BUDGET, metavar="N",
                   help="show at most N actors, the most connected (default %(default)s)")
    p.add_argument("--period-a", type=str, metavar="FROM:TO",
                   help="first period of a comparison, e.g. 2023-01-01:2023-06-30")
    p.add_argument("--period-b", type=str, metavar="FROM:TO",
                   help="second period of a comparison")
    p.add_argument("--title", default="", help="title of the images and the deck")
    p.add_argument("--made", type=iso_date, metavar="YYYY-MM-DD",
                   help="the 'made on' date printed in the footer (default: today)")
    p.set_defaults(func=run)


def _resolve(names: list[str], labels: dict[str, str], what: str) -> tuple[str, ...]:
    """Names, aliases or ids -> actor ids: the store's labels first, then the registry."""
    out = []
    for name in names:
        try:
            out.append(resolve_actor(name, labels, what))
        except AtlasError:
            from dashboard.registry import Registry

            actor = Registry.load().try_resolve(name)
            if actor is None or actor.id not in labels:
                raise
            out.append(actor.id)
    return tuple(out)


def _view(args: argparse.Namespace, labels: dict[str, str], stderr: TextIO) -> ExportView:
    if args.url:
        given = [o for o, v in (("--from", args.date_from), ("--to", args.date_to),
                                ("--actor", args.actor), ("--relation", args.relation),
                                ("--focus", args.focus), ("--period-a", args.period_a),
                                ("--period-b", args.period_b)) if v]
        if args.min_weight != 1:
            given.append("--min-weight")
        if given:
            raise AtlasError(f"--url already says what to show: drop {', '.join(given)}")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UrlWarning)
            view = from_url(args.url, labels, view=args.view, title=args.title)
        for w in caught:
            print(f"warning: {w.message}", file=stderr)
        return view
    relations = tuple(r.strip().lower() for r in args.relation)
    filters = Filters(date_from=args.date_from, date_to=args.date_to, relations=relations,
                      actors=_resolve(args.actor, labels, "--actor"),
                      min_weight=args.min_weight)
    focus = _resolve([args.focus], labels, "--focus")[0] if args.focus else None
    pa = Period.parse(args.period_a, "--period-a") if args.period_a else None
    pb = Period.parse(args.period_b, "--period-b") if args.period_b else None
    return ExportView(view=args.view or "network", filters=filters, focus=focus,
                      steps=args.steps, budget=args.budget, period_a=pa, period_b=pb,
                      title=args.title)


def run(args: argparse.Namespace, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        db = Path(args.db)
        # Cheap checks first: a bad path or a missing Chromium must not wait for a render.
        check_writable(args.out)
        if build.needs_chromium(args.fmt):
            build.render.chromium_path()
        con = open_store(db)
        try:
            view = _view(args, labels_from_store(con), stderr)
            payload = build.export_bytes(con, view, args.fmt, args.made)
        finally:
            con.close()
        out = write_atomic(args.out, payload)
    except AtlasError as exc:
        print(f"error: {exc}", file=stderr)
        return 1
    print(f"wrote {out} ({len(payload):,} bytes)", file=stdout)
    return 0
