"""Fetch, extract, annotate and ingest (or write) a list of links.

A link that serves an RSS or Atom feed stands for its entries' links; any other link is an
article page. Pages are fetched on a few threads (each host still gets one request per
`Policy.interval`) while this thread extracts and annotates what has arrived. The annotated
articles go through `dashboard.annotator.cli.annotated_record` and the store's ingest, exactly
as `ingest --annotate` does, in batches: each batch lands whole, with its fetch-log rows, in
one atomic replacement of the store, so a run stopped midway keeps the batches it finished.

Incremental runs: the fetch log gives each known URL's ETag and Last-Modified for a
conditional GET (a 304 is "unchanged") and its text's hash (the same text is "unchanged"). The
article id comes from the canonical URL the page names, so one story reached through two links
is one article; a page whose text another URL's article already has is a duplicate of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from dashboard.annotator.cli import annotated_record
from dashboard.annotator.sources import RawDoc
from dashboard.intake import feeds, log
from dashboard.intake.extract import Page, extract
from dashboard.intake.http import Fetcher, FetchFailed, Policy, Response
from dashboard.loaders import Record
from dashboard.store import IngestReport, ingest_records

ORIGIN = "web"
MIN_CHARS = 200  # less main text than this is a section front, a login wall or a stub
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")


@dataclass(frozen=True)
class Failure:
    url: str
    reason: str


@dataclass
class Summary:
    fetched: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: list[Failure] = field(default_factory=list)
    written: int = 0  # articles written with --out
    edges: int = 0

    def text(self) -> str:
        parts = [f"{self.fetched} fetched", f"{self.added} added", f"{self.updated} updated",
                 f"{self.unchanged} unchanged", f"{len(self.failed)} failed"]
        if self.written:
            parts.insert(1, f"{self.written} written")
        if self.skipped:
            parts.append(f"{self.skipped} before --since")
        return ", ".join(parts) + (f" ({self.edges} edges written)" if self.edges else "")


@dataclass
class Options:
    since: dt.date | None = None
    policy: Policy = field(default_factory=Policy)
    workers: int = 8
    batch: int = 200
    min_chars: int = MIN_CHARS


@dataclass(frozen=True)
class _Task:
    url: str
    from_feed: bool = False
    title: str | None = None  # the feed entry's


# --- one page -------------------------------------------------------------------------------

def canonical(url: str) -> str:
    """The URL without its fragment and with a lower-case host: the article's identity."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))


def article_id(url: str) -> str:
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    host = re.sub(r"[^a-z0-9.-]+", "-", host).strip("-.") or "web"
    return f"web-{host[:80]}-{hashlib.sha256(url.encode()).hexdigest()[:16]}"


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def page_problem(page: Page, min_chars: int = MIN_CHARS) -> str | None:
    """Why an extracted page is not an article this project can annotate, or None."""
    if len(page.text) < min_chars:
        return "not an article (no main text found)"
    if page.published is None:
        return "no date found"
    if page.language and page.language != "en":
        return f"not in English (language '{page.language}'): the annotator reads English"
    return None


def page_record(url: str, page: Page, *, title: str | None = None) -> Record:
    """An extracted article page annotated, as `annotate` does a raw file."""
    link = canonical(page.url or url)
    heading = page.title or title or page.text.splitlines()[0]
    publisher = page.publisher or urlsplit(link).netloc.lower().removeprefix("www.")
    doc = RawDoc(file=url, label="page", id=article_id(link), text=page.text,
                 title=heading.strip()[:1000], published=page.published, publisher=publisher,
                 url=link, language=page.language)
    return annotated_record(doc, origin=ORIGIN)


# --- a run ----------------------------------------------------------------------------------

class _Run:
    def __init__(self, options: Options, known: log.Known, summary: Summary,
                 progress) -> None:
        self.options = options
        self.known = known
        self.summary = summary
        self.progress = progress
        self.seen_hashes: dict[str, str] = {}  # this run's texts -> article id
        self.seen_articles: set[str] = set()
        self.queued: set[str] = set()
        self.entries: list[log.Entry] = []

    def fail(self, url: str, reason: str, title: str | None = None) -> None:
        self.summary.failed.append(Failure(url, reason))
        self.entries.append(log.Entry(url, outcome="failed", reason=reason, title=title))

    def pages(self, tasks: deque[_Task], fetcher: Fetcher
              ) -> Iterator[tuple[_Task, Page, log.Entry]]:
        """The new article pages of `tasks` (feeds add their entries to it), in order, each
        with the log entry it gets once it is in the store."""
        with ThreadPoolExecutor(self.options.workers, thread_name_prefix="atlas-fetch") as pool:
            flight: deque[tuple[_Task, Future[Response]]] = deque()
            while tasks or flight:
                while tasks and len(flight) < 2 * self.options.workers:
                    task = tasks.popleft()
                    if task.url in self.queued:  # listed twice, or by two feeds
                        self.progress(1)
                        continue
                    self.queued.add(task.url)
                    before = self.known.by_url.get(task.url)
                    flight.append((task, pool.submit(
                        fetcher.get, task.url, etag=before.etag if before else None,
                        last_modified=before.last_modified if before else None)))
                if not flight:
                    continue
                task, future = flight.popleft()
                try:
                    response = future.result()
                except FetchFailed as exc:
                    self.fail(task.url, str(exc), task.title)
                    self.progress(1)
                    continue
                found = self.handle(task, response, tasks)
                self.progress(1)
                if found is not None:
                    yield task, *found

    def records(self, tasks: deque[_Task], fetcher: Fetcher) -> Iterator[Record]:
        """The annotated articles of `tasks`, in order."""
        for task, page, entry in self.pages(tasks, fetcher):
            record = page_record(task.url, page, title=task.title)
            if record.article is None:
                self.fail(task.url, "; ".join(e.reason for e in record.errors)[:300],
                          page.title)
                continue
            self.entries.append(entry)
            yield record

    def handle(self, task: _Task, response: Response, tasks: deque[_Task]
               ) -> tuple[Page, log.Entry] | None:
        url = task.url
        if response.not_modified:
            before = self.known.by_url.get(url)
            if before is None:  # a 304 to a request that was not conditional
                self.fail(url, "HTTP 304 Not Modified without a copy to keep", task.title)
                return None
            self.summary.fetched += 1
            self.summary.unchanged += 1
            self.entries.append(log.Entry(url, before.canonical_url, before.article_id,
                                          before.content_hash, response.etag or before.etag,
                                          response.last_modified or before.last_modified,
                                          "unchanged", "not modified (HTTP 304)", task.title))
            return None
        if feeds.is_feed(response.content_type, response.body):
            if task.from_feed:
                self.fail(url, "not an article (a feed listed in a feed)", task.title)
                return None
            try:
                _, entries = feeds.entries(response.body, response.url)
            except feeds.BrokenFeed as exc:
                self.fail(url, str(exc))
                return None
            self.summary.fetched += 1
            self.entries.append(log.Entry(url, outcome="feed", etag=response.etag,
                                          last_modified=response.last_modified,
                                          reason=f"{len(entries)} entries"))
            fresh = []
            for entry in entries:
                if self.options.since and entry.published and \
                        entry.published < self.options.since:
                    self.summary.skipped += 1
                    continue
                fresh.append(_Task(entry.link, True, entry.title))
            tasks.extend(fresh)
            self.progress(0, len(fresh))
            return None
        kind = response.content_type.split(";")[0].strip().lower()
        if kind not in _HTML_TYPES:
            self.fail(url, f"not an article (content type {kind})", task.title)
            return None
        self.summary.fetched += 1
        page = extract(response.body, url=response.url)
        problem = page_problem(page, self.options.min_chars)
        if problem:
            self.fail(url, problem, page.title or task.title)
            return None
        if self.options.since and page.published < self.options.since:
            self.summary.skipped += 1
            self.entries.append(log.Entry(url, outcome="skipped", title=page.title,
                                          reason=f"published {page.published}"))
            return None
        link = canonical(page.url or response.url)
        digest = text_hash(page.text)
        entry = log.Entry(url, link, article_id(link), digest, response.etag,
                          response.last_modified, "fetched", None, page.title or task.title)
        before = self.known.by_url.get(url)
        same = self.seen_hashes.get(digest) or self.known.by_hash.get(digest)
        if before is not None and before.content_hash == digest:
            self.summary.unchanged += 1
            self.entries.append(replace(entry, outcome="unchanged", reason="same text",
                                         article_id=before.article_id))
            return None
        if entry.article_id in self.known.reviewed:
            # A person reviewed this article on the Annotate page: a fresh automatic
            # annotation must not replace their edges.
            self.summary.unchanged += 1
            self.entries.append(replace(entry, outcome="unchanged",
                                        reason="reviewed in the app: kept as reviewed"))
            return None
        if same is not None or entry.article_id in self.seen_articles:
            self.summary.unchanged += 1
            self.entries.append(replace(entry, outcome="duplicate",
                                         article_id=same or entry.article_id,
                                         reason=f"the same story as article {same}"
                                         if same else "the same canonical URL"))
            return None
        self.seen_hashes[digest] = entry.article_id
        self.seen_articles.add(entry.article_id)
        return page, entry


def fetch(urls: Iterable[str], *, db: Path | None = None, out: Path | None = None,
          options: Options | None = None,
          progress: Callable[[int, int], None] | None = None,
          write: Callable[[list[Record], Path], tuple[int, int]] | None = None) -> Summary:
    """Fetch `urls` and ingest the articles into the store at `db`, or write them to `out`.

    `progress(done, more)` is told of each finished link and of links a feed added."""
    options = options or Options()
    summary = Summary()
    known = log.known(db) if db is not None and out is None else log.Known({}, {}, {})
    run = _Run(options, known, summary, progress or (lambda done, more=0: None))
    tasks = deque(_Task(u.strip()) for u in dict.fromkeys(urls) if u.strip())
    with Fetcher(options.policy) as fetcher:
        batch: list[Record] = []
        for record in run.records(tasks, fetcher):
            batch.append(record)
            if len(batch) >= options.batch:
                _land(batch, run, db, out, write)
                batch = []
        _land(batch, run, db, out, write)
    return summary


@dataclass(frozen=True)
class Fetched:
    """A page fetched for review (the Annotate page) rather than annotated and ingested."""

    url: str
    page: Page
    id: str  # the article id it gets, from its canonical URL
    feed_title: str | None = None


def fetch_pages(urls: Iterable[str], *, db: Path | None = None,
                options: Options | None = None) -> tuple[list[Fetched], Summary]:
    """The new article pages among `urls` (feeds read), with what became of the others.
    With `db`, pages the store has already are "unchanged", and the attempts are logged."""
    options = options or Options()
    summary = Summary()
    run = _Run(options, log.known(db) if db is not None else log.Known({}, {}, {}), summary,
               lambda done, more=0: None)
    tasks = deque(_Task(u.strip()) for u in dict.fromkeys(urls) if u.strip())
    found = []
    with Fetcher(options.policy) as fetcher:
        for task, page, entry in run.pages(tasks, fetcher):
            found.append(Fetched(task.url, page, entry.article_id, task.title))
            run.entries.append(replace(entry, outcome="for review"))
    if db is not None and run.entries:
        ingest_records([], db, before_commit=log.writer(run.entries))
    return found, summary


def _land(batch: list[Record], run: _Run, db: Path | None, out: Path | None, write) -> None:
    entries, run.entries = run.entries, []
    if out is not None:
        written, failed = write(batch, out)
        run.summary.written += written
        return
    if not batch and not entries:
        return
    report: IngestReport = ingest_records(batch, db, before_commit=log.writer(entries))
    run.summary.added += report.added
    run.summary.updated += report.updated
    run.summary.unchanged += report.unchanged
    run.summary.edges += report.edges_written
    for error in report.rejected:
        run.summary.failed.append(Failure(error.file or "?", error.reason))
