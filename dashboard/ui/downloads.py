"""Download buttons for the briefing exports of the view on screen.

    from dashboard.ui.downloads import download_buttons
    download_buttons(ExportView(view="network", filters=filters, focus=..., budget=...),
                     identity)

One button per format the view can be exported as (`export.view.FORMATS`). Files are made
lazily: Streamlit (>= 1.50) calls `data` only when the button is clicked, on its own thread,
so drawing the page never waits for Chromium. Results are cached per (view, format, store
identity, day), so a second click is instant and a new ingest never serves a stale file.

A file made on click is not referenced by any session, so Streamlit's clean-up after any
session's next runs (two of them) deletes it; with a room full of sessions that can happen
before the browser fetches it, and the download fails. `_keep_alive` holds the last few made
files under a reference of their own until newer files push them out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
from pathlib import Path

import streamlit as st

from dashboard.errors import AtlasError
from dashboard.export import build
from dashboard.export.data import open_store
from dashboard.export.view import FORMATS, ExportView

LABELS = {"png": "PNG image", "svg": "SVG image", "pdf": "PDF", "pptx": "Slides (PPTX)",
          "zip": "Briefing pack (zip)", "csv": "Edges (CSV)", "json": "Edges (JSON)",
          "gexf": "Graph (GEXF)", "graphml": "Graph (GraphML)"}
ICONS = {"png": ":material/image:", "svg": ":material/image:", "pdf": ":material/picture_as_pdf:",
         "pptx": ":material/slideshow:", "zip": ":material/folder_zip:",
         "csv": ":material/table:", "json": ":material/data_object:",
         "gexf": ":material/hub:", "graphml": ":material/hub:"}


KEEP_ALIVE = 16  # files made on click that stay fetchable until newer ones replace them
_slots = itertools.cycle(range(KEEP_ALIVE))
_slots_lock = threading.Lock()
_log = logging.getLogger(__name__)


def _keep_alive(data: bytes, mime: str, file_name: str) -> None:
    """Reference a freshly made download in a rotating slot of Streamlit's media manager, so
    no session's clean-up deletes it before the browser has fetched it. The manager stores a
    file once per (content, type, name), so this is the very file the click's URL names."""
    from streamlit import runtime

    with _slots_lock:
        slot = next(_slots)
    try:
        runtime.get_instance().media_file_mgr.add(
            data, mime, f"alliance-atlas-download-{slot}", file_name,
            is_for_static_download=True)
    except Exception:  # noqa: BLE001 - a Streamlit without this API still downloads, racily
        _log.warning("could not keep a made download alive", exc_info=True)


@st.cache_data(show_spinner=False, max_entries=64)
def _export(_view: ExportView, view_key: str, fmt: str, identity: tuple,
            made: dt.date) -> bytes:
    # `view_key` (the view's repr) is the cache key; the object itself is not hashed.
    con = open_store(Path(identity[0]))
    try:
        return build.export_bytes(con, _view, fmt, made)
    finally:
        con.close()


def _maker(view: ExportView, fmt: str, identity: tuple, file_name: str):
    def make() -> bytes:
        try:
            data = _export(view, repr(view), fmt, tuple(identity), dt.date.today())
        except AtlasError as exc:
            # Inside the download callable Streamlit commands are ignored: the user gets a
            # text file saying what went wrong instead of a broken image.
            return f"Alliance Atlas could not make this export: {exc}\n".encode()
        _keep_alive(data, build.MIME[fmt], file_name)
        return data
    return make


def download_buttons(view: ExportView, identity, *, formats: tuple[str, ...] | None = None,
                     first: dt.date | None = None, last: dt.date | None = None,
                     key: str = "export") -> None:
    """Render the download buttons for `view` in a row under an "Export" caption.
    `identity` is the page's `StoreIdentity` (its first field is the store path); `first` and
    `last` name open date ranges in file names."""
    formats = formats or FORMATS[view.view]
    st.caption("Export this view for a briefing")
    cols = st.columns(min(len(formats), 5))
    for i, fmt in enumerate(formats):
        file_name = view.file_name(fmt, first, last)
        with cols[i % len(cols)]:
            st.download_button(
                LABELS[fmt], data=_maker(view, fmt, tuple(identity), file_name),
                file_name=file_name, mime=build.MIME[fmt],
                key=f"{key}-{view.view}-{fmt}", icon=ICONS[fmt], on_click="ignore",
                help=f"{LABELS[fmt]} of exactly what this page shows, with the current "
                     "filters")
