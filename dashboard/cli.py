"""The `alliance-atlas` command: ingest articles, serve the app, inspect the registry.

Every subcommand takes `--db PATH` (default: `ALLIANCE_ATLAS_DB`, else `data/atlas.duckdb`)
and has `--help`. Exit codes: 0 success, 1 some input was rejected or an error occurred,
2 bad command-line usage.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from itertools import chain
from pathlib import Path

from dashboard import __version__
from dashboard.annotator.cli import annotated_records
from dashboard.annotator.cli import register as register_annotate
from dashboard.cliargs import iso_date, progress_bar
from dashboard.errors import AtlasError
from dashboard.export.cli import register as register_export
from dashboard.formats import cli as formats_cli
from dashboard.intake import warc
from dashboard.intake.cli import register as register_fetch
from dashboard.lake.layout import is_lake
from dashboard.models import json_schema
from dashboard.paths import PROJECT_ROOT, data_dir, default_db_path, demo_dir
from dashboard.registry import Registry
from dashboard.store import (
    IngestReport,
    connect_read_only,
    ingest,
    ingest_records,
    table_counts,
)


def print_report(report: IngestReport) -> None:
    for error in report.rejected:
        print(f"rejected: {error}", file=sys.stderr)
    print(report.summary())


def cmd_ingest(args: argparse.Namespace) -> int:
    db = Path(args.db)
    warcs, others = warc.split(args.paths)
    if len(args.paths) == 1 and is_lake(args.paths[0]):
        # A Parquet lake (`annotate --lake`): its rows stream into the same ingest.
        from dashboard.lake.read import lake_records

        records = lake_records(args.paths[0], progress=None if args.quiet else progress_bar())
        report = ingest_records(records, db)
    elif warcs:
        rest = () if not others else annotated_records(
            others, published=args.published, publisher=args.publisher, title=args.title) \
            if args.annotate else formats_cli.records_for(others, args.format, args.published,
                                                          args.publisher, args.title)
        report = ingest_records(chain(warc.items(warcs, progress=None if args.quiet else
                                                 progress_bar("byte")), rest), db)
    elif args.annotate:
        records = annotated_records(args.paths, published=args.published,
                                    publisher=args.publisher, title=args.title)
        report = ingest_records(records, db)
    elif formats_cli.needs_formats(args):
        records = formats_cli.records_for(args.paths, args.format, args.published,
                                          args.publisher, args.title,
                                          progress=None if args.quiet else progress_bar())
        report = ingest_records(records, db)
    else:
        report = ingest(args.paths, db, progress=None if args.quiet else progress_bar())
    print_report(report)
    print(f"store: {db}")
    return 0 if report.ok else 1


def ensure_demo_store(db: Path) -> None:
    """Build the store from the bundled demo corpus if there is none yet."""
    if db.is_file():
        return
    print(f"No store at {db} yet: building it from the demo corpus ({demo_dir()})...")
    report = ingest([demo_dir()], db)
    print_report(report)


def cmd_serve(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if not args.no_demo:
        ensure_demo_store(db)
    # dashboard/serving.py checks the address, sets the hosts the server answers for and
    # starts Streamlit with its host guard (it imports streamlit, which this module must not).
    command = [sys.executable, "-m", "dashboard.serving", "--address", args.address,
               "--port", str(args.port)]
    if args.lan is not None:
        command += ["--lan", *args.lan]
    # Analysts do not edit the code: no watcher resolving every imported module's file for
    # each new session. Developers keep Streamlit's default with --reload.
    command += ["--server.fileWatcherType", "auto" if args.reload else "none"]
    env = {**os.environ, "ALLIANCE_ATLAS_DB": str(db.resolve())}
    print(f"Store: {db} (Ctrl+C stops the server)")
    # Streamlit reads .streamlit/config.toml (theme, limits) from its working folder: the
    # checkout's, or the copy a wheel carries in its data folder.
    cwd = PROJECT_ROOT if (PROJECT_ROOT / ".streamlit").is_dir() else data_dir()
    server = subprocess.Popen(command, env=env, cwd=cwd)
    # A service manager or a terminal closing stops this process, not its child: pass the
    # request on, so that no server is left running without its command.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: server.terminate())
    try:
        return server.wait()
    except KeyboardInterrupt:
        # Ctrl+C reached the whole terminal's process group, the server included.
        server.wait()
        return 0


def cmd_stats(args: argparse.Namespace) -> int:
    con = connect_read_only(Path(args.db))
    try:
        counts = table_counts(con)
        first, last = con.execute("SELECT min(date), max(date) FROM edges").fetchone()
    finally:
        con.close()
    for table in ("articles", "mentions", "edges", "actors"):
        print(f"{table:>9}: {counts[table]}")
    print(f"    dates: {first} to {last}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    registry = Registry.load()
    on = args.on
    status = 0
    for name in args.names:
        try:
            print(f"{name}\t{registry.explain(name, on)}")
        except AtlasError as exc:
            print(f"{name}\t-\t{exc}", file=sys.stderr)
            status = 1
    return status


def _actor_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no actor dictionary at {text}")
    return path.resolve()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=str(default_db_path()), metavar="PATH",
                        help="the DuckDB store (default: $ALLIANCE_ATLAS_DB or "
                             "data/atlas.duckdb; now %(default)s)")
    common.add_argument("--actors", action="append", metavar="FILE", type=_actor_file,
                        help="a CAMEO/PETRARCH actor dictionary to add to the registry "
                             "(repeatable; format in docs/annotator.md)")
    parser = argparse.ArgumentParser(
        prog="alliance-atlas",
        description="Turn annotated news articles into alliance and hostility networks.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", parents=[common], help="add annotated articles to the store",
                       description="Add or update annotated articles (files or folders of "
                                   ".json, .jsonl, .yaml), or read other formats: brat, "
                                   "Label Studio, doccano, CSV edge lists, GDELT events, ATOP "
                                   "or COW alliances (docs/formats.md), or web archives "
                                   "(.warc, .warc.gz: every HTML page extracted and annotated, "
                                   "docs/intake.md). Unchanged articles "
                                   "are skipped; bad records are reported and the rest is "
                                   "kept.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to read")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--annotate", action="store_true",
                   help="the paths are raw articles (txt, md, html, jsonl): annotate them "
                        "automatically first")
    p.add_argument("--published", type=iso_date, help="publication date of raw files (with "
                                                    "--annotate) or of brat, CSV... files "
                                                    "that carry none")
    p.add_argument("--publisher", help="publisher of raw, brat, CSV... files")
    p.add_argument("--title", help="title of raw, brat, CSV... files")
    formats_cli.add_ingest_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("serve", parents=[common], help="serve the dashboard",
                       description="Serve the dashboard on http://localhost:8501. Builds the "
                                   "store from the bundled demo corpus if there is none.")
    p.add_argument("--port", type=int, default=8501, help="port (default %(default)s)")
    p.add_argument("--address", default="127.0.0.1",
                   help="address to bind (default %(default)s: this machine only)")
    p.add_argument("--lan", nargs="*", metavar="NAME",
                   help="serve the team on the local network (binds 0.0.0.0), answering only "
                        "for the host names or addresses given (default: this machine's name "
                        "and network address)")
    p.add_argument("--no-demo", action="store_true",
                   help="do not build the demo store when the store is missing")
    p.add_argument("--reload", action="store_true",
                   help="reload the app when its source files change (for developers)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("stats", parents=[common], help="what the store holds",
                       description="Count the articles, mentions, edges and actors in the "
                                   "store and show its date span.")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("schema", parents=[common],
                       help="print the JSON Schema of the annotated-article format",
                       description="Print (or write with --out) the JSON Schema generated "
                                   "from the article models.")
    p.add_argument("--out", metavar="FILE", help="write the schema to FILE")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("resolve", parents=[common], help="look names up in the actor registry",
                       description="Resolve actor names (aliases, capitals, ministries, "
                                   "peoples, office holders) to canonical ids, on a date for "
                                   "office holders, and say which registry entry resolves "
                                   "each.")
    p.add_argument("names", nargs="+", metavar="NAME")
    p.add_argument("--on", type=iso_date, help="the date (YYYY-MM-DD) for office holders")
    p.set_defaults(func=cmd_resolve)

    register_annotate(sub, common)
    register_fetch(sub, common)
    register_export(sub, common)
    formats_cli.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "actors", None):
        # Every registry this process (and the app it serves) loads includes them.
        os.environ["ALLIANCE_ATLAS_ACTORS"] = os.pathsep.join(map(str, args.actors))
    try:
        return args.func(args)
    except AtlasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
