"""Layering: only the app shell (app.py, views/, ui/) may import streamlit, so the data layer
stays usable from the CLI and tests without a Streamlit runtime."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"
APP_SHELL = ("app.py", "serving.py", "views/", "ui/")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_app_shell_imports_streamlit(path):
    relative = path.relative_to(PACKAGE).as_posix()
    if relative.startswith(APP_SHELL):
        return
    assert "streamlit" not in _imports(path), (
        f"dashboard/{relative} imports streamlit: move the streamlit part to dashboard/ui/")


def test_the_check_sees_the_app_shell():
    # Guards the test itself: if the layout moved, the exemption list above must follow.
    assert "streamlit" in _imports(PACKAGE / "app.py")
    assert "streamlit" in _imports(PACKAGE / "ui" / "connection.py")
