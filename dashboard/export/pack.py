"""The briefing zip: the images, the edges shown as CSV and the sources as Markdown."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from urllib.parse import quote

from dashboard.export import graphfiles
from dashboard.export.data import ViewData
from dashboard.export.slides import source_lines

# A fixed timestamp inside the zip: the same view gives the same bytes on any day it is made
# on the same date, which keeps CLI and app exports comparable.
_STAMP = (1980, 1, 1, 0, 0, 0)


def _md(text: str) -> str:
    """Markdown-inert text: brackets and markup characters escaped."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


# Characters a URL may keep as they are; '<', '>', '"', spaces and the like are encoded.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def sources_markdown(data: ViewData, made: dt.date) -> str:
    lines = [f"# Sources: {_md(data.subtitle())}", "",
             f"{data.articles} articles from {data.publishers} publishers behind the "
             f"{len(data.edges)} relations shown. Made {made.isoformat()} with Alliance Atlas.",
             ""]
    for cite, url in source_lines(data.sources):
        # Percent-encoded, a URL holding a space, '<' or '>' stays one autolink and cannot
        # open a tag in the Markdown.
        if url.startswith(("http://", "https://")):
            link = f" <{quote(url, safe=_URL_SAFE)}>"
        else:
            link = f" {_md(url)}" if url else ""
        lines.append(f"- {_md(cite)}{link}")
    return "\n".join(lines) + "\n"


def zip_pack(data: ViewData, images: dict[str, bytes], made: dt.date) -> bytes:
    """`images` maps a name ('network', 'timeline', ...) to PNG bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        def put(name: str, payload: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, payload)

        for name, png in images.items():
            put(f"{name}.png", png)
        put("edges.csv", graphfiles.to_csv(data))
        put("sources.md", sources_markdown(data, made).encode("utf-8"))
    return buf.getvalue()
