"""RSS and Atom feeds: is a fetched body a feed, and which links (and dates) does it list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import feedparser

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/xml", "text/xml", "application/feed+json")


@dataclass(frozen=True)
class Entry:
    link: str
    title: str | None
    published: dt.date | None


class BrokenFeed(Exception):
    """A body that claims to be a feed but cannot be read as one."""


def is_feed(content_type: str, body: bytes) -> bool:
    """A feed by its content type, or by its first element when served as text or HTML."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in _FEED_TYPES:
        return True
    head = body[:1024].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:].lstrip()
        while head.startswith(b"<!--") and b"-->" in head:
            head = head[head.find(b"-->") + 3:].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def entries(body: bytes, url: str) -> tuple[str | None, list[Entry]]:
    """The feed's title and its entries that carry a link, first to last."""
    parsed = feedparser.parse(body, response_headers={"content-location": url})
    found = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            continue
        when = item.get("published_parsed") or item.get("updated_parsed")
        found.append(Entry(link=link, title=item.get("title"),
                           published=dt.date(*when[:3]) if when else None))
    if not found and (parsed.bozo or not parsed.version):
        reason = str(getattr(parsed, "bozo_exception", "")) or "not a readable RSS or Atom feed"
        raise BrokenFeed(f"broken feed: {reason}"[:300])
    return parsed.feed.get("title"), found
