"""One entry point for every export: a view and a format in, bytes (or a file) out.

The app and the CLI both call these, so the same `ExportView` and `made` date give the same
file whichever made it.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from dashboard.export import graphfiles, images, pack, render, slides
from dashboard.export.data import ViewData, load
from dashboard.export.render import ExportError
from dashboard.export.view import FORMATS, IMAGE_FORMATS, PACK_FORMATS, ExportView

MIME = {**render.MIME, "pptx": "application/vnd.openxmlformats-officedocument."
                               "presentationml.presentation",
        "zip": "application/zip", "csv": "text/csv", "json": "application/json",
        "gexf": "application/xml", "graphml": "application/xml"}


def needs_chromium(fmt: str) -> bool:
    return fmt in IMAGE_FORMATS or fmt in PACK_FORMATS


def check_format(view: ExportView, fmt: str) -> None:
    if fmt not in FORMATS[view.view]:
        raise ExportError(f"the {view.view} view cannot be exported as {fmt}: choose from "
                          f"{', '.join(FORMATS[view.view])}")


def _image_view(view: ExportView) -> str:
    return "network" if view.view == "pack" else view.view


def pack_images(data: ViewData, made: dt.date) -> dict[str, bytes]:
    """PNG of the network, the comparison (when periods are set) and the timeline. One shared
    renderer: only the first image pays for starting Chromium."""
    main = "blocs" if data.view.view == "blocs" else "network"
    out = {main: render.render(images.figure(data, main, made), "png")}
    if data.diff is not None:
        out["compare"] = render.render(images.figure(data, "compare", made), "png")
    out["timeline"] = render.render(images.figure(data, "timeline", made), "png")
    return out


def from_data(data: ViewData, fmt: str, made: dt.date | None = None) -> bytes:
    made = made or dt.date.today()
    view = data.view
    check_format(view, fmt)
    if fmt in IMAGE_FORMATS:
        return render.render(images.figure(data, _image_view(view), made), fmt)
    if fmt == "pptx":
        return slides.deck(data, pack_images(data, made), made)
    if fmt == "zip":
        return pack.zip_pack(data, pack_images(data, made), made)
    if fmt == "csv":
        if view.view == "timeline":
            return graphfiles.timeline_csv(data)
        if view.view == "compare":
            return graphfiles.diff_csv(data)
        return graphfiles.to_csv(data)
    return {"json": graphfiles.to_json, "gexf": graphfiles.to_gexf,
            "graphml": graphfiles.to_graphml}[fmt](data)


def export_bytes(con: duckdb.DuckDBPyConnection, view: ExportView, fmt: str,
                 made: dt.date | None = None) -> bytes:
    check_format(view, fmt)
    if needs_chromium(fmt):
        render.chromium_path()  # fail before querying and laying out
    return from_data(load(con, view), fmt, made)
