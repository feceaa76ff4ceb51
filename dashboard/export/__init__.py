"""Briefing exports: captioned images, slide decks, zips and graph files of exactly one view.

Pure (no streamlit): the app's download buttons (`dashboard.ui.downloads`) and the
`alliance-atlas export` command (`dashboard.export.cli`) both call `build.export_bytes`, so the
same `ExportView` gives the same file from either. See docs/export.md.
"""
