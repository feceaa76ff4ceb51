"""The `annotate` command: raw articles in, automatic annotations out.

    alliance-atlas annotate --jsonl IN.jsonl            # one JSON result per input line
    alliance-atlas annotate FILE_OR_FOLDER... --out DIR  # one native article JSON per input

`dashboard/cli.py` adds the subcommand with `register(subparsers, common)` and feeds
`annotated_records(...)` to `dashboard.store.ingest_records` for `ingest --annotate`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from dashboard.annotator import sources
from dashboard.annotator.pipeline import Annotation, Annotator
from dashboard.atomic import replace_file
from dashboard.cliargs import iso_date, positive_int
from dashboard.errors import AtlasError, InputError
from dashboard.loaders import Record


@lru_cache(maxsize=1)
def _annotator() -> Annotator:
    return Annotator()


def register(subparsers, common: argparse.ArgumentParser) -> None:
    """Add the `annotate` subcommand to the main parser's subparsers."""
    p = subparsers.add_parser(
        "annotate", parents=[common], help="annotate raw articles automatically",
        description="Find actor mentions and relation edges in raw articles (plain text, "
                    "Markdown, HTML or JSON records). See docs/annotator.md.")
    p.add_argument("inputs", nargs="*", metavar="FILE_OR_FOLDER",
                   help="raw articles (.txt, .md, .html, .json, .jsonl) or folders of them; "
                        "needs --out")
    p.add_argument("--jsonl", metavar="IN.jsonl",
                   help='read one {"id", "text", "published"} object per line ("-" for '
                        "standard input) and write one result line per input to standard "
                        "output")
    p.add_argument("--out", metavar="DIR", type=Path,
                   help="folder to write one native annotated-article JSON file per article")
    p.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD",
                   help="published date for inputs that carry none (a sidecar file or a "
                        "date in the document wins)")
    p.add_argument("--publisher", help="publisher for inputs that carry none")
    p.add_argument("--title", help="title for inputs without a sidecar title")
    lake = p.add_argument_group(
        "Parquet lake", "annotate many articles in parallel into a Parquet lake "
                        "(docs/lake.md); inputs may also be .parquet files and fsspec URLs")
    lake.add_argument("--lake", metavar="DIR",
                      help="write DIR/articles, DIR/mentions, DIR/edges (Parquet, by month) "
                           "and a manifest; a local folder or an s3://, gs://, abfs:// URL")
    lake.add_argument("--engine", choices=("local", "dask"),
                      help="run in this process (local, the default) or on Dask (the default "
                           "with --scheduler or --workers; needs alliance-atlas[dask])")
    lake.add_argument("--scheduler", metavar="ADDRESS",
                      help="join this Dask scheduler (tcp://host:8786)")
    lake.add_argument("--workers", type=positive_int, metavar="N",
                      help="start a local Dask cluster of N worker processes")
    lake.add_argument("--chunk-size", type=positive_int, default=1000, metavar="N",
                      help="articles (lines, rows, files) per task and per file "
                           "(default %(default)s)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if args.jsonl and args.inputs:
        print("annotate: give either --jsonl or files, not both", file=stderr)
        return 2
    if getattr(args, "lake", None):
        from dashboard.lake.cli import run_lake  # the lake needs pyarrow's Parquet writer

        return run_lake(args, stderr)
    if getattr(args, "engine", None) or getattr(args, "scheduler", None) \
            or getattr(args, "workers", None):
        print("annotate: --engine, --scheduler and --workers go with --lake DIR", file=stderr)
        return 2
    if args.jsonl:
        # Bytes, decoded line by line: one line that is not UTF-8 is that line's error.
        if args.jsonl == "-":
            return annotate_jsonl(sys.stdin.buffer, "<stdin>", stdout, stderr)
        try:
            with open(args.jsonl, "rb") as handle:
                return annotate_jsonl(handle, args.jsonl, stdout, stderr)
        except OSError as exc:
            print(f"{args.jsonl}: cannot read: {exc.strerror}", file=stderr)
            return 1
    if not args.inputs:
        print("annotate: name files or folders (with --out DIR), or give --jsonl IN.jsonl",
              file=stderr)
        return 2
    if args.out is None:
        print("annotate: --out DIR is required when annotating files", file=stderr)
        return 2
    return write_articles(args.inputs, args.out, stderr, published=args.published,
                          publisher=args.publisher, title=args.title)


# --- JSONL ---------------------------------------------------------------------------------

def result_line(item_id, annotation: Annotation) -> dict:
    """The JSONL result of one input: its edges and mentions, as the contract says."""
    return {"id": item_id,
            "edges": [{"source": e.source, "target": e.target, "relation": e.relation,
                       "date": e.date.isoformat(), "evidence": e.evidence_text,
                       "confidence": e.confidence, "event": e.event, "cameo": e.cameo}
                      for e in annotation.edges],
            "mentions": [{"start": m.start, "end": m.end, "actor": m.actor, "text": m.text}
                         for m in annotation.mentions]}


def annotate_jsonl(lines: Iterable[str | bytes], name: str, stdout: TextIO,
                   stderr: TextIO) -> int:
    failed = 0
    for lineno, line in enumerate(lines, start=1):
        item_id, problem, item = None, None, None
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = f"not UTF-8 text ({exc.reason} at byte {exc.start})"
                line = "?"
        if not line.strip():
            continue
        if problem is None:
            item, problem = _parse_line(line)
        if isinstance(item, dict):
            item_id = _plain_id(item.get("id"))
        if problem is None:
            problem = sources.check_record(item)
            if problem is None and item.get("published") is None:
                problem = "'published' is required (YYYY-MM-DD)"
        text = item["text"] if problem is None else ""
        if problem is None:
            # Markup is read as the page it came from; the result line then carries the text
            # its offsets index.
            try:
                text = sources.plain_text(text)
            except InputError as exc:
                problem = exc.reason
        if problem is None:
            try:
                annotation = _annotator().annotate(
                    text, sources._date(item["published"], strict=True))
            except AtlasError as exc:
                problem = str(exc)
        if problem is not None:
            failed += 1
            print(f"{name}: line {lineno}: {problem}", file=stderr)
            stdout.write(json.dumps({"id": item_id, "line": lineno, "error": problem}) + "\n")
            continue
        result = result_line(item["id"], annotation)
        if text != item["text"]:
            result["text"] = text
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if failed else 0


def _parse_line(line: str) -> tuple[object, str | None]:
    """The JSON value of one input line, or why it is not one."""
    try:
        return json.loads(line), None
    except json.JSONDecodeError as exc:
        return None, f"broken JSON at column {exc.colno}: {exc.msg}"
    except RecursionError:
        return None, "JSON nested too deeply to read"


def _plain_id(value) -> str | int | None:
    """An id fit to echo on an error line (valid Unicode text or a number), else None."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return None if isinstance(value, str) and sources.has_surrogates(value) else value


# --- native articles -----------------------------------------------------------------------

def annotated_records(paths: Iterable[str | Path], published: dt.date | None = None,
                      publisher: str | None = None, title: str | None = None
                      ) -> Iterator[Record]:
    """Annotate raw files and folders; one `Record` per article (or per unusable input),
    ready for `dashboard.store.ingest_records`."""
    files, errors = sources.discover(paths)
    for err in errors:
        yield Record(err.file or "?", "file", None, (err,))
    for path in files:
        for doc in sources.read(path, published=published, publisher=publisher, title=title):
            yield annotated_record(doc, file=str(path))


def annotated_record(doc: sources.RawDoc | InputError, origin: str = "native",
                     file: str | None = None) -> Record:
    """One raw document annotated: a `Record` holding its article, or the reasons it has none
    (an `InputError` is an input that gave no document; `file` names it if the error does not).
    `annotate`, `ingest --annotate`, `fetch`, the web-archive ingest and the lake's workers all
    come through here."""
    if isinstance(doc, InputError):
        return Record(doc.file or file or "?", doc.record or "file", None, (doc,), origin)
    label = f"{doc.label} (id '{doc.id}')"
    try:
        article = _annotator().article(doc.text, id=doc.id, title=doc.title,
                                       published=doc.published, publisher=doc.publisher,
                                       url=doc.url)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                            for e in exc.errors(include_url=False))
        return Record(doc.file, label, None, (InputError(reasons, file=doc.file, record=label),),
                      origin)
    except InputError as exc:
        return Record(doc.file, label, None, (exc.located(file=doc.file, record=label),),
                      origin)
    if doc.language and doc.language != article.language:
        article = article.model_copy(update={"language": doc.language})
    return Record(doc.file, label, article, (), origin)


def write_articles(paths: Iterable[str | Path], out: Path, stderr: TextIO, **meta) -> int:
    written, failed = write_records(annotated_records(paths, **meta), out, stderr)
    print(f"annotate: {written} article(s) written to {out}, {failed} failed", file=stderr)
    return 1 if failed else 0


def write_records(records: Iterable[Record], out: Path, stderr: TextIO) -> tuple[int, int]:
    """Each record's article as `out/<id>.json` (its errors to `stderr`): (written, failed)."""
    out.mkdir(parents=True, exist_ok=True)
    failed = written = 0
    for record in records:
        if record.article is None:
            failed += 1
            for err in record.errors:
                print(err, file=stderr)
            continue
        target = out / f"{record.article.id}.json"
        replace_file(target, (record.article.model_dump_json(indent=2, exclude_none=True)
                              + "\n").encode("utf-8"))
        written += 1
    return written, failed


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, help="the store (unused by annotate)")
    parser = argparse.ArgumentParser(prog="python -m dashboard.annotator.cli")
    register(parser.add_subparsers(dest="command", required=True), common)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
