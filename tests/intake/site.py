"""A small news site on localhost for the intake tests and benchmark: article pages in several
layouts (tests/intake/fixtures/), RSS and Atom feeds, and the ways a site fails (a 404, a
redirect loop, a broken feed, a 50 MB page, a server that never answers, robots.txt).

Pages answer conditional GETs (ETag, Last-Modified) and the server counts the requests for
each path, so tests can tell a 304 from a full fetch."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
LAST_MODIFIED = "Wed, 05 Apr 2023 10:00:00 GMT"
PAGES = {
    "/world/finland-joins-nato": "wire.html",
    "/amp/finland-joins-nato": "wire.html",  # names the first as its canonical URL
    "/2024/03/sweden-nato": "jsonld.html",
    "/asia/pact": "hidden.html",
    "/syndicated/pact-copy": "hidden.html",  # the same text, no canonical URL
    "/explainers/admission": "nodate.html",
    "/fr/otan": "french.html",
    "/private/memo": "wire.html",  # disallowed by robots.txt
}
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def rss(base: str, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}{p}</link>"
        f"<pubDate>Wed, 0{1 + i % 8} May 2024 08:00:00 GMT</pubDate></item>"
        for i, p in enumerate(paths))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Local wire</title><link>{base}/</link>{items}</channel></rss>")


def atom(base: str, paths: list[str]) -> str:
    entries = "".join(
        f'<entry><title>Entry {i}</title><link href="{base}{p}"/><id>{base}{p}</id>'
        f"<updated>2024-05-0{1 + i % 8}T08:00:00Z</updated></entry>"
        for i, p in enumerate(paths))
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Local explainers</title><id>{base}/atom</id>"
            f"<updated>2024-05-09T08:00:00Z</updated>{entries}</feed>")


class Site:
    """Routes and counters of one running server; `pages` may be extended by a test."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {p: (FIXTURES / f).read_bytes() for p, f in PAGES.items()}
        self.hits: Counter[str] = Counter()
        self.release = threading.Event()  # set at shutdown: the slow page stops waiting
        self.base = ""
        self.etag_of: dict[str, str] = {}

    def feeds(self) -> dict[str, tuple[str, str]]:
        b = self.base
        return {
            "/feed.rss": ("application/rss+xml", rss(b, ["/world/finland-joins-nato",
                                                         "/2024/03/sweden-nato",
                                                         "/asia/pact"])),
            "/feed.atom": ("application/atom+xml", atom(b, ["/explainers/admission",
                                                            "/asia/pact"])),
            "/broken.rss": ("application/rss+xml",
                            '<?xml version="1.0"?><rss version="2.0"><channel><item><title>'
                            "Cut off"),
        }


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # keep the test output clean
            pass

        def _send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            with contextlib.suppress(OSError):  # a client that gave up has closed the socket
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            site.hits[path] += 1
            if path == "/robots.txt":
                return self._send(200, ROBOTS.encode(), "text/plain")
            if path in site.pages:
                body = site.pages[path]
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", headers={"ETag": etag})
                return self._send(200, body, headers={"ETag": etag,
                                                      "Last-Modified": LAST_MODIFIED})
            feeds = site.feeds()
            if path in feeds:
                kind, text = feeds[path]
                return self._send(200, text.encode(), kind)
            if path == "/loop-a":
                return self._send(302, b"", headers={"Location": "/loop-b"})
            if path == "/loop-b":
                return self._send(302, b"", headers={"Location": "/loop-a"})
            if path == "/bad-redirect":
                return self._send(302, b"", headers={"Location": "http://[x]/story"})
            if path == "/moved":
                return self._send(301, b"", headers={"Location": "/asia/pact"})
            if path == "/report.pdf":
                return self._send(200, b"%PDF-1.4 not a page", "application/pdf")
            if path == "/huge":
                return self._huge()
            if path == "/slow":
                site.release.wait(30)
                return self._send(200, b"<p>too late</p>")
            return self._send(404, b"<h1>Not found</h1>")

        def _huge(self) -> None:
            """50 MB of page, made on the fly and sent without a Content-Length, so only
            reading it tells its size."""
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<p>" + b"filler text " * 5000 + b"</p>\n"
            sent = 0
            with contextlib.suppress(OSError):
                while sent < 50 * 2**20:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            self.close_connection = True

    return Handler


@contextlib.contextmanager
def serve(site: Site | None = None) -> Iterator[Site]:
    site = site or Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.release.set()
        server.shutdown()
        server.server_close()
