"""Web archives: the HTML pages of WARC files (.warc, .warc.gz), such as the news crawls of
Common Crawl, through the same extraction and annotation as a fetched page.

The file is read as a stream, record by record (warcio), so its size does not matter. A large
archive's pages are extracted and annotated on worker processes (the annotator is pure Python:
threads would share one core), a few chunks ahead of the ingest, which bounds the memory; a
worker first spends a few CPU seconds loading the annotator, so a small archive is read in
this process. Each response record that is an HTML page
becomes a `Record` for the store's ingest; pages that are not articles are errors naming the
file and the record's URL; the same text under a second URL is left out as a duplicate;
request, metadata and non-HTML records are counted as skipped.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from dashboard.errors import AtlasError, InputError
from dashboard.intake.extract import extract
from dashboard.intake.run import page_problem, page_record, text_hash
from dashboard.loaders import Record, Skipped

SUFFIXES = (".warc", ".warc.gz")
MAX_PAGE = 10 * 1024 * 1024
# About 1,500 news pages compressed: below it, starting workers costs more than they save.
PARALLEL_BYTES = 4 * 1024 * 1024
_CHUNK = 64  # pages per task sent to a worker
_HTML = ("text/html", "application/xhtml+xml")

# One page to extract: (file, url, body); what comes back: (text hash or None, item).
_Page = tuple[str, str, bytes]


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(SUFFIXES)


def split(paths: Iterable[str | Path]) -> tuple[list[Path], list[str | Path]]:
    """The WARC files among `paths` (named files only) and the other paths."""
    warcs, others = [], []
    for path in paths:
        (warcs if is_warc(path) and Path(path).is_file() else others).append(path)
    return [Path(p) for p in warcs], others


def items(paths: Iterable[Path], *, workers: int | None = None,
          progress: Callable[[int, int], None] | None = None) -> Iterator:
    """What `store.ingest_records` takes for the WARC files `paths`, in file order.
    `progress(bytes_read, bytes_total)` follows the files' bytes. `workers` processes extract
    and annotate (default: one per core, up to 4, for archives over `PARALLEL_BYTES`)."""
    paths = list(paths)
    total = sum(p.stat().st_size for p in paths)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if total > PARALLEL_BYTES else 1
    pages = _pages(paths, total, progress)
    results = _extract_all(pages, workers) if workers > 1 else map(_extract_one, pages)
    seen: set[str] = set()
    for item in results:
        if isinstance(item, tuple):
            digest, record = item
            if digest in seen:
                yield Skipped("WARC pages whose text another page already gave")
                continue
            seen.add(digest)
            yield record
        else:
            yield item


def _pages(paths: list[Path], total: int, progress) -> Iterator[_Page | InputError | Skipped]:
    done = 0
    for path in paths:
        name = str(path)
        try:
            handle = open(path, "rb")  # noqa: SIM115 (closed below, after the last record)
        except OSError as exc:
            yield InputError(f"cannot read: {exc.strerror}", file=name)
            continue
        with handle:
            try:
                for record in ArchiveIterator(handle):
                    if not str(record.format).startswith("warc"):
                        # warcio reads anything it cannot place as an old ARC record.
                        yield InputError("not a readable WARC file (a record without a WARC "
                                         "header)", file=name)
                        break
                    if progress:
                        progress(done + handle.tell(), total)
                    yield _page(name, record)
            except ArchiveLoadFailed as exc:
                yield InputError(f"not a readable WARC file: {exc}".splitlines()[0][:300],
                                 file=name)
            # warcio meets a damaged record with whatever its parser trips on (an OSError
            # for a cut-off .gz, an AttributeError for a header cut in half...).
            except Exception as exc:  # noqa: BLE001
                yield InputError(f"the WARC file is damaged ({type(exc).__name__}: {exc})"
                                 [:300], file=name)
        done += path.stat().st_size
        if progress:
            progress(done, total)


def _page(name: str, record) -> _Page | InputError | Skipped:
    if record.rec_type != "response" or record.http_headers is None:
        return Skipped(f"WARC {record.rec_type} records")
    url = record.rec_headers.get_header("WARC-Target-URI") or "?"
    status = record.http_headers.get_statuscode()
    kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if status != "200" or kind not in _HTML:
        return Skipped("WARC responses that are not HTML pages (or not HTTP 200)")
    body = record.content_stream().read(MAX_PAGE + 1)
    if len(body) > MAX_PAGE:
        return InputError(f"page too large (over the {MAX_PAGE // 2**20} MB cap)", file=name,
                          record=url)
    return name, url, body


def _extract_one(page: _Page | InputError | Skipped):
    """One page extracted and annotated: (its text's hash, its record), or what to report."""
    if not isinstance(page, tuple):
        return page
    name, url, body = page
    found = extract(body, url=url)
    problem = page_problem(found)
    if problem:
        return InputError(problem, file=name, record=url)
    record = page_record(url, found)
    if record.article is None:
        return Record(name, url, None, tuple(e.located(file=name, record=url)
                                             for e in record.errors), record.origin)
    return text_hash(found.text), Record(name, url, record.article, (), record.origin)


def _extract_chunk(pages: list) -> list:
    return [_extract_one(p) for p in pages]


def _warm() -> None:
    from dashboard.annotator.cli import _annotator

    _annotator()


def _extract_all(pages: Iterator, workers: int) -> Iterator:
    """`_extract_one` over `pages` on `workers` processes, in order, a few chunks ahead."""
    # forkserver: the ingest that reads these results already runs a writer thread, and
    # forking a process that has threads can deadlock it.
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver"),
                             initializer=_warm) as pool:
        flight: deque[Future] = deque()
        chunk: list = []
        for page in pages:
            chunk.append(page)
            if len(chunk) >= _CHUNK:
                flight.append(pool.submit(_extract_chunk, chunk))
                chunk = []
                if len(flight) > 2 * workers:
                    try:
                        yield from flight.popleft().result()
                    except BrokenProcessPool as exc:
                        raise AtlasError("a worker process reading the web archive stopped "
                                         "(out of memory?): nothing was added") from exc
        if chunk:
            flight.append(pool.submit(_extract_chunk, chunk))
        try:
            while flight:
                yield from flight.popleft().result()
        except BrokenProcessPool as exc:
            raise AtlasError("a worker process reading the web archive stopped (out of "
                             "memory?): nothing was added; try again with fewer files") from exc
