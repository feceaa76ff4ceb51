"""Polite, bounded fetching of web pages and feeds.

Every request names the tool in its User-Agent, has a connect and a read timeout, honours the
host's robots.txt and waits for the host's turn (one request per `interval` seconds per host,
longer if robots.txt asks for a crawl delay). Transient failures (connection errors, timeouts,
429 and 5xx answers) are retried a few times with exponential back-off. Only http and https
are fetched, redirects are followed by hand (at most `max_redirects`, each hop checked, a loop
named as one), and a body is read in chunks and abandoned past `max_bytes`, so a huge page
never sits in memory. A conditional GET (ETag, Last-Modified) lets an unchanged page answer
304 without a body.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from dashboard import __version__
from dashboard.models import http_url

USER_AGENT = f"alliance-atlas/{__version__} (news intake)"
_RETRY_STATUS = {429, 500, 502, 503, 504}
_CHUNK = 64 * 1024


class FetchFailed(Exception):
    """A URL that could not be fetched; the message is the reason a user reads."""


@dataclass
class Response:
    url: str  # after redirects
    status: int  # 200, or 304 for a conditional GET that found the page unchanged
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class Policy:
    timeout: float = 15.0  # seconds to connect, and between bytes of the answer
    retries: int = 2  # further tries after a transient failure
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    interval: float = 1.0  # seconds between two requests to one host; 0 turns the limit off
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    robots: bool = True
    user_agent: str = USER_AGENT


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    delay: float = 0.0


class Fetcher:
    """One HTTP session shared by a run's threads, with per-host state (turns, robots.txt)."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.policy.user_agent
        adapter = requests.adapters.HTTPAdapter(pool_connections=16, pool_maxsize=16)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        """The page at `url`, or `FetchFailed` saying why not."""
        seen = [url]
        current = url
        for _ in range(self.policy.max_redirects + 1):
            _check_scheme(current)
            if self.policy.robots and not self._allowed(current):
                raise FetchFailed("disallowed by the site's robots.txt")
            headers = {}
            if current == url:
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
            response = self._request(current, headers)
            if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                response.close()
                if not location:
                    raise FetchFailed(f"HTTP {response.status_code} redirect without a "
                                      "Location")
                try:
                    current = urljoin(current, location)
                except ValueError:
                    raise FetchFailed(_BAD_REDIRECT) from None
                if current in seen:
                    raise FetchFailed(f"redirect loop ({' -> '.join([*seen, current])})"[:300])
                seen.append(current)
                continue
            return self._body(current, response)
        raise FetchFailed(f"more than {self.policy.max_redirects} redirects")

    # --- one request, with turns and retries -------------------------------------------------

    def _request(self, url: str, headers: dict[str, str]) -> requests.Response:
        tries = self.policy.retries + 1
        for attempt in range(tries):
            self._wait_turn(url)
            try:
                response = self.session.get(url, headers=headers, stream=True,
                                            allow_redirects=False,
                                            timeout=(self.policy.timeout, self.policy.timeout))
            except requests.Timeout:
                problem = f"timed out (no answer within {self.policy.timeout:g} s)"
            except requests.ConnectionError as exc:
                problem = f"cannot connect: {_root(exc)}"
            except requests.RequestException as exc:
                raise FetchFailed(f"bad request: {_root(exc)}") from exc
            except ValueError:
                # requests reads a redirect's Location even when it does not follow it.
                raise FetchFailed(_BAD_REDIRECT) from None
            else:
                if response.status_code not in _RETRY_STATUS:
                    return response
                problem = f"HTTP {response.status_code} {response.reason or ''}".strip()
                wait = _retry_after(response.headers.get("Retry-After"))
                response.close()
                if attempt + 1 < tries:
                    time.sleep(min(wait if wait is not None else self._backoff(attempt), 30))
                    continue
                raise FetchFailed(problem)
            if attempt + 1 < tries:
                time.sleep(self._backoff(attempt))
        raise FetchFailed(problem)

    def _backoff(self, attempt: int) -> float:
        return self.policy.backoff * 2 ** attempt

    def _body(self, url: str, response: requests.Response) -> Response:
        with response:
            meta = Response(url=url, status=response.status_code,
                            content_type=response.headers.get("Content-Type", ""),
                            etag=response.headers.get("ETag"),
                            last_modified=response.headers.get("Last-Modified"))
            if response.status_code == 304:
                return meta
            if response.status_code != 200:
                reason = f" {response.reason}" if response.reason else ""
                raise FetchFailed(f"HTTP {response.status_code}{reason}")
            cap = self.policy.max_bytes
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > cap:
                raise FetchFailed(f"page too large ({int(declared) / 2**20:.1f} MB, the cap is "
                                  f"{cap / 2**20:g} MB)")
            chunks, size = [], 0
            try:
                for chunk in response.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > cap:
                        raise FetchFailed(f"page too large (over the {cap / 2**20:g} MB cap)")
                    chunks.append(chunk)
            except requests.RequestException as exc:
                if isinstance(exc, requests.ConnectionError) and "timed out" in str(exc):
                    raise FetchFailed(f"timed out (no data for {self.policy.timeout:g} s)") \
                        from exc
                raise FetchFailed(f"connection lost while reading: {_root(exc)}") from exc
            meta.body = b"".join(chunks)
            return meta

    # --- per-host state ------------------------------------------------------------------------

    def _host(self, url: str) -> tuple[str, _Host]:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._hosts_lock:
            return key, self._hosts.setdefault(key, _Host())

    def _wait_turn(self, url: str) -> None:
        _, host = self._host(url)
        interval = max(self.policy.interval, host.delay) if self.policy.interval else 0.0
        if not interval:
            return
        with host.lock:
            now = time.monotonic()
            wait = host.next_at - now
            host.next_at = max(now, host.next_at) + interval
        if wait > 0:
            time.sleep(wait)

    def _allowed(self, url: str) -> bool:
        key, host = self._host(url)
        with host.lock:
            if host.robots is None:
                host.robots = self._robots(key)
                delay = host.robots.crawl_delay(self.policy.user_agent)
                host.delay = float(delay) if delay else 0.0
        return host.robots.can_fetch(self.policy.user_agent, url)

    def _robots(self, origin: str) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            response = self.session.get(origin + "/robots.txt", timeout=self.policy.timeout,
                                        stream=True)
            with response:
                status = response.status_code
                text = response.raw.read(512 * 1024, decode_content=True) \
                    if status == 200 else b""
        except requests.RequestException:
            status, text = None, b""
        if status in (401, 403):
            parser.disallow_all = True
        else:
            # A missing or unreadable robots.txt allows everything (a page request that fails
            # then says why on its own).
            parser.parse(text.decode("utf-8", "replace").splitlines())
        return parser


_BAD_REDIRECT = "redirected to an address that does not parse"


def _check_scheme(url: str) -> None:
    if http_url(url) is not None:
        return
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        raise FetchFailed(f"only http:// and https:// addresses are fetched, not "
                          f"'{scheme or url[:20]}'")
    raise FetchFailed("not a web address that parses (its host or port is not valid)")


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _root(exc: BaseException) -> str:
    """The innermost cause's message: requests wraps urllib3 wraps socket errors."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__
    text = str(exc) or type(exc).__name__
    return text.split(": ", 1)[-1][:200] if "object at 0x" in text else text[:200]
