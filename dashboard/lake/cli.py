"""`annotate PATH... --lake DIR` and the lake branch of `ingest`, as the command line runs them."""

from __future__ import annotations

import argparse
from typing import TextIO

from dashboard.cliargs import progress_bar
from dashboard.lake.engine import annotate_to_lake
from dashboard.lake.inputs import Defaults


def run_lake(args: argparse.Namespace, stderr: TextIO) -> int:
    if args.jsonl or args.out:
        print("annotate: --lake takes the inputs as PATH...; leave out --jsonl and --out",
              file=stderr)
        return 2
    if not args.inputs:
        print("annotate: name the raw articles to annotate into the lake", file=stderr)
        return 2
    engine = args.engine or ("dask" if args.scheduler or args.workers else "local")
    if engine == "local" and (args.scheduler or args.workers):
        print("annotate: --scheduler and --workers need --engine dask", file=stderr)
        return 2
    if args.scheduler and args.workers:
        print("annotate: give --scheduler (an existing cluster) or --workers (a local one), "
              "not both", file=stderr)
        return 2
    report = annotate_to_lake(
        args.inputs, args.lake, engine=engine, scheduler=args.scheduler,
        workers=args.workers, chunk_size=args.chunk_size,
        defaults=Defaults(args.published, args.publisher, args.title),
        progress=progress_bar("chunk"))
    for error in report.errors:
        print(f"rejected: {error}", file=stderr)
    print(f"annotate: {report.summary()}; lake: {args.lake}", file=stderr)
    return 1 if report.errors else 0
