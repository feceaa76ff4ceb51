"""Where the format fixtures live (a module, not conftest: tests import it by name)."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
