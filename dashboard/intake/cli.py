"""The `fetch` command: links and feeds in, annotated articles in the store (or a folder).

    alliance-atlas fetch https://example.org/world/feed.xml https://example.org/a/story
    alliance-atlas fetch --urls links.txt --since 2024-06-01 --out articles/

`dashboard/cli.py` adds the subcommand with `register(subparsers, common)`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from dashboard.annotator.cli import write_records
from dashboard.cliargs import iso_date
from dashboard.intake import run
from dashboard.intake.http import Policy


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1
    if number <= 0:
        raise argparse.ArgumentTypeError(f"'{value}' is not a positive number")
    return number


def register(subparsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "fetch", parents=[common], help="fetch news pages or feeds, annotate and ingest them",
        description="Fetch article pages (or every entry of an RSS or Atom feed), extract "
                    "their text, title, date, publisher and canonical URL, annotate them "
                    "automatically and add them to the store, as `ingest --annotate` does. "
                    "A second run adds only new or changed articles. Fetching is polite: "
                    "robots.txt is respected, one request per second per site. See "
                    "docs/intake.md.")
    p.add_argument("urls", nargs="*", metavar="URL", help="article pages or feeds (http/https)")
    p.add_argument("--urls", dest="url_file", type=Path, metavar="FILE",
                   help="read more links from FILE, one per line ('#' starts a comment)")
    p.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD",
                   help="only articles published on or after this date")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="write one native annotated article JSON per page to DIR instead of "
                        "adding them to the store")
    p.add_argument("--timeout", type=_positive, default=15.0, metavar="SECONDS",
                   help="give up on a site that sends nothing for this long (default "
                        "%(default)g)")
    p.add_argument("--max-mb", type=_positive, default=10.0, metavar="MB",
                   help="stop reading a page past this size (default %(default)g)")
    p.add_argument("--no-rate-limit", action="store_true",
                   help="do not wait between requests to one site (for a local test server "
                        "or a benchmark, never for someone else's site)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_fetch)


def read_url_file(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines
            if line.split("#", 1)[0].strip()]


def cmd_fetch(args: argparse.Namespace) -> int:
    urls = list(args.urls)
    if args.url_file is not None:
        try:
            urls += read_url_file(args.url_file)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"fetch: {args.url_file}: cannot read: {getattr(exc, 'strerror', exc)}",
                  file=sys.stderr)
            return 1
    if not urls:
        print("fetch: give one or more URLs, or --urls FILE", file=sys.stderr)
        return 2
    policy = Policy(timeout=args.timeout, max_bytes=int(args.max_mb * 2**20),
                    interval=0.0 if args.no_rate_limit else Policy.interval)
    options = run.Options(since=args.since, policy=policy)
    bar = tqdm(total=len(urls), unit="page", desc="fetch", file=sys.stderr, leave=True,
               disable=args.quiet or not sys.stderr.isatty())

    def progress(done: int, more: int = 0) -> None:
        if more:
            bar.total += more
            bar.refresh()
        if done:
            bar.update(done)

    db = Path(args.db)
    try:
        summary = run.fetch(urls, db=None if args.out else db, out=args.out, options=options,
                            progress=progress,
                            write=lambda records, out: write_records(records, out, sys.stderr))
    finally:
        bar.close()
    for failure in summary.failed:
        print(f"failed: {failure.url}: {failure.reason}", file=sys.stderr)
    print(summary.text())
    print(f"articles: {args.out}" if args.out else f"store: {db}")
    return 1 if summary.failed else 0
