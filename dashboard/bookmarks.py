"""Saved views ("bookmarks"): a name and the URL state of a page, kept with the data in a JSON
file next to the store (`atlas.duckdb` -> `atlas.duckdb.bookmarks.json`). No streamlit here.

The app opens the store read-only, so bookmarks cannot live inside it; a sidecar file travels
with the store when the store is copied to another laptop. Writes go to a temporary file in the
same folder that then replaces the old one (`os.replace`, atomic), under a lock file, so two
analysts saving at once never leave half a file or lose each other's bookmark. Names are
untrusted text: the app escapes them wherever it shows them.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from dashboard.atomic import replace_file
from dashboard.errors import AtlasError

VERSION = 1
MAX_NAME = 120
MAX_QUERY = 4000
LOCK_TIMEOUT = 10  # seconds a save waits for another one before it gives up and says so


class BookmarkError(AtlasError):
    """The bookmarks file cannot be read or written."""


@dataclass(frozen=True)
class Bookmark:
    name: str
    page: str   # the page's URL path, e.g. "network"
    query: str  # the URL query string, without "?"

    def url(self) -> str:
        return f"{self.page}?{self.query}" if self.query else self.page


def sidecar(store: Path) -> Path:
    """Where the bookmarks of the store at `store` live."""
    store = Path(store)
    return store.with_name(store.name + ".bookmarks.json")


def _valid(entry) -> Bookmark | None:
    if not isinstance(entry, dict):
        return None
    name, page, query = entry.get("name"), entry.get("page"), entry.get("query", "")
    if not (isinstance(name, str) and isinstance(page, str) and isinstance(query, str)):
        return None
    name = " ".join(name.split())[:MAX_NAME]
    if not name or not page or len(query) > MAX_QUERY:
        return None
    return Bookmark(name, page, query)


def load(path: Path) -> list[Bookmark]:
    """The bookmarks in `path` in story order; none when the file does not exist. Entries
    that are not bookmarks are skipped, a file that is not JSON is a `BookmarkError`."""
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise BookmarkError(f"cannot read the bookmarks file {path}: {exc.strerror}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BookmarkError(f"the bookmarks file {path} is not valid JSON (line {exc.lineno}): "
                            "fix or delete it") from exc
    entries = data.get("bookmarks", []) if isinstance(data, dict) else []
    return [b for b in (_valid(e) for e in entries if isinstance(entries, list)) if b]


def _write(path: Path, bookmarks: list[Bookmark]) -> None:
    payload = json.dumps({"version": VERSION, "bookmarks": [asdict(b) for b in bookmarks]},
                         ensure_ascii=False, indent=2) + "\n"
    replace_file(path, payload.encode("utf-8"))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[list[Bookmark]]:
    """The current bookmarks, for a change that is written back when the block ends."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(path.with_name(path.name + ".lock"), timeout=LOCK_TIMEOUT):
            bookmarks = load(path)
            yield bookmarks
            _write(path, bookmarks)
    except Timeout as exc:
        raise BookmarkError(f"another save holds the bookmarks file {path}: try again in a "
                            "moment") from exc
    except OSError as exc:
        raise BookmarkError(f"cannot save bookmarks next to the store ({path}): "
                            f"{exc.strerror}") from exc


def add(path: Path, name: str, page: str, query: str) -> list[Bookmark]:
    """Save a view under `name` (replacing a bookmark of the same name in place, else at the
    end of the story); the bookmarks afterwards."""
    bookmark = _valid({"name": name, "page": page, "query": query})
    if bookmark is None:
        raise BookmarkError("a bookmark needs a name (and a view that fits in a URL)")
    with _locked(Path(path)) as bookmarks:
        for i, old in enumerate(bookmarks):
            if old.name == bookmark.name:
                bookmarks[i] = bookmark
                break
        else:
            bookmarks.append(bookmark)
        result = list(bookmarks)
    return result


def delete(path: Path, name: str) -> list[Bookmark]:
    with _locked(Path(path)) as bookmarks:
        bookmarks[:] = [b for b in bookmarks if b.name != name]
        result = list(bookmarks)
    return result


def move(path: Path, name: str, offset: int) -> list[Bookmark]:
    """Move a bookmark `offset` places earlier (negative) or later in the story."""
    with _locked(Path(path)) as bookmarks:
        names = [b.name for b in bookmarks]
        if name in names:
            i = names.index(name)
            j = min(max(i + offset, 0), len(bookmarks) - 1)
            bookmarks.insert(j, bookmarks.pop(i))
        result = list(bookmarks)
    return result
