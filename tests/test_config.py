""".streamlit/config.toml: the settings the app promises (docs/app.md, SECURITY.md)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dashboard import figures

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def test_the_server_is_private_quiet_and_serves_vis_network_itself():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    server = config["server"]
    assert server["address"] == "127.0.0.1"  # --lan (docs/app.md) opens it to the network
    assert server["maxUploadSize"] == 20 and server["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
    # The network page links figures.ASSETS from /app/static/ (dashboard/static/).
    assert server["enableStaticServing"] is True
    assert (Path(figures.__file__).parent / "static" / figures.ASSETS[0]).is_file()
    # Developers running `streamlit run` get reloads on save (`serve` turns them off).
    assert "fileWatcherType" not in server
    assert config["runner"]["postScriptGC"] is False
