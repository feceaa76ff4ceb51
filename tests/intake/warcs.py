"""Writing WARC files of the fixture pages for the tests and the benchmark (made on the fly,
never committed)."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FIXTURES = Path(__file__).parent / "fixtures"


def write(path: Path, pages: list[tuple[str, bytes, str]], *, requests: bool = True) -> Path:
    """`pages` as (url, body, content type) response records, each after its request record
    as a crawler writes them."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        for url, body, kind in pages:
            if requests:
                writer.write_record(writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b""),
                    http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")],
                                                  is_http_request=True)))
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers))
    return path


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
