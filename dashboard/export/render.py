"""Plotly figure -> PNG/SVG/PDF bytes through kaleido 1.x and Debian's Chromium.

Starting Chromium is slow, so the first image starts kaleido's sync server (one
browser, kept for the life of the process, closed by kaleido at exit) and every later image
reuses it. The server is a process-wide singleton fed through one queue, so calls are
serialised with a lock: two app sessions exporting at once must not read each other's bytes.
MathJax is off, so rendering never reaches for a CDN (briefing laptops are offline).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import plotly.graph_objects as go

from dashboard.errors import AtlasError

# Base canvas and scale: 1920x1080 CSS pixels, rendered at scale 2 -> 3840x2160 PNG, sharp on
# a 4K projector and when a slide is enlarged; SVG and PDF keep the base size (vector).
WIDTH, HEIGHT, SCALE = 1920, 1080, 2
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

_lock = threading.Lock()
_server_path: str | None = None


class ExportError(AtlasError):
    """An export that cannot be made (no Chromium, an unwritable path, a render failure)."""


def chromium_path() -> str:
    """The Chromium kaleido would drive, or an `ExportError` saying how to get one."""
    from choreographer.browsers.chromium import Chromium

    try:
        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - any lookup failure means "no usable browser"
        found = None
    if not found or not Path(found).is_file() or not os.access(found, os.X_OK):
        where = f" (BROWSER_PATH={os.environ['BROWSER_PATH']})" \
            if os.environ.get("BROWSER_PATH") else ""
        raise ExportError(f"image export needs Chromium{where}: install Debian's chromium "
                          "package (apt-get install chromium)")
    return str(found)


def _ensure_server() -> None:
    global _server_path
    import kaleido

    path = chromium_path()
    if _server_path == path:
        return
    if _server_path is not None:
        kaleido.stop_sync_server(silence_warnings=True)
    kaleido.start_sync_server(path=path, mathjax=False, timeout=120, silence_warnings=True)
    _server_path = path


def render(fig: go.Figure, fmt: str, *, width: int = WIDTH, height: int = HEIGHT,
           scale: float = SCALE) -> bytes:
    """The figure as `fmt` bytes. The first call starts the shared renderer."""
    if fmt not in MIME:
        raise ExportError(f"unknown image format {fmt!r}: choose from {', '.join(MIME)}")
    import kaleido

    with _lock:
        _ensure_server()
        try:
            data = kaleido.calc_fig_sync(
                fig, opts={"format": fmt, "width": width, "height": height,
                           "scale": scale if fmt == "png" else 1})
        except Exception as exc:
            # A crashed browser leaves the server unusable: restart it on the next call.
            stop()
            raise ExportError(f"could not render the {fmt.upper()} image: {exc}") from exc
    if not data:
        raise ExportError(f"the {fmt.upper()} renderer returned nothing")
    return bytes(data)


def stop() -> None:
    """Close the shared renderer (tests; the CLI leaves it to kaleido's exit hook)."""
    global _server_path
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)
    _server_path = None
