"""The command-line side of the formats: `ingest --format` and the `convert` command.

    alliance-atlas ingest events.export.CSV atop.csv brat-folder/     # formats recognised
    alliance-atlas ingest --format doccano --published 2024-03-01 --publisher X export.jsonl
    alliance-atlas convert data/demo --to labelstudio --out ls/      # then import ls/tasks.json
    alliance-atlas convert ls-export.json --to native --out corrected/

`dashboard/cli.py` calls `add_ingest_options(parser)` on the ingest parser, feeds
`records_for(...)` to `store.ingest_records` when `needs_formats(args)`, and adds `convert`
with `register(subparsers, common)`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard import formats
from dashboard.cliargs import iso_date
from dashboard.errors import InputError
from dashboard.formats import brat, labelstudio
from dashboard.formats.meta import Defaults
from dashboard.loaders import Record
from dashboard.registry import Registry

TARGETS = ("brat", "labelstudio", "native")


def add_ingest_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=formats.FORMATS, metavar="FORMAT",
                        help="read every path as this format instead of recognising each "
                             f"file's: {', '.join(formats.FORMATS)} (see docs/formats.md)")


def needs_formats(args: argparse.Namespace) -> bool:
    """Whether `ingest` must go through the format readers rather than the native ingest."""
    if args.format:
        return args.format != "native"
    return not formats.all_native(args.paths)


def records_for(paths, fmt: str | None = None, published=None, publisher: str | None = None,
                title: str | None = None, progress=None):
    """What `store.ingest_records` takes for `paths`, each file read as `fmt` or as
    recognised; `published`, `publisher` and `title` fill in what a format does not carry."""
    return formats.items(paths, fmt, Defaults(published, publisher, title), progress=progress)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add the `convert` subcommand."""
    p = subparsers.add_parser(
        "convert", parents=[common],
        help="convert annotated articles to brat or Label Studio (and back)",
        description="Write annotated articles (native, brat, Label Studio, doccano or CSV "
                    "edge lists) as brat standoff files (.txt, .ann and a .meta.yaml each, plus "
                    "annotation.conf), as one Label Studio import file (tasks.json, with "
                    "label_config.xml), or as native JSON. Correct them in the tool, then "
                    "ingest its files or export directly. See docs/formats.md.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to read")
    p.add_argument("--to", required=True, choices=TARGETS, help="the format to write")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write to")
    p.add_argument("--format", choices=formats.ARTICLE_FORMATS, metavar="FORMAT",
                   help="read every path as this format (default: recognise each file's)")
    p.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD",
                   help="published date for inputs that carry none")
    p.add_argument("--publisher", help="publisher for inputs that carry none")
    p.add_argument("--title", help="title for inputs that carry none")
    p.set_defaults(func=cmd_convert)


def cmd_convert(args: argparse.Namespace) -> int:
    registry = Registry.load()
    articles, problems = [], 0
    for item in records_for(args.paths, args.format, args.published, args.publisher,
                            args.title):
        if isinstance(item, Record) and item.article is not None:
            articles.append(item.article)
            continue
        errors = item.errors if isinstance(item, Record) else (
            [item] if isinstance(item, InputError) else
            [InputError("holds events or treaties, not articles: ingest it instead",
                        file=getattr(item, "file", None))])
        for error in errors:
            print(f"rejected: {error}", file=sys.stderr)
        problems += 1
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if args.to == "brat":
        for article in articles:
            brat.write(article, out, registry)
        (out / "annotation.conf").write_text(brat.annotation_conf(), encoding="utf-8")
    elif args.to == "labelstudio":
        tasks = [labelstudio.task(a, registry) for a in articles]
        (out / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1),
                                        encoding="utf-8")
        (out / "label_config.xml").write_text(labelstudio.label_config(), encoding="utf-8")
    else:
        for article in articles:
            (out / f"{article.id}.json").write_text(
                article.model_dump_json(indent=2, exclude_none=True) + "\n", encoding="utf-8")
    print(f"{len(articles)} articles written to {out} as {args.to}, {problems} rejected")
    return 0 if problems == 0 else 1
