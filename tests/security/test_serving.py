"""DNS rebinding and framing (dashboard/serving.py): the server answers only for the hosts it
serves, on HTTP and the websocket alike, sends anti-framing headers, `serve --lan` contacts
nothing outside, and the app refuses a foreign host however it was started."""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard import serving
from dashboard.store import ingest

from .server import ARGS, CHROMIUM, ROOT, free_port, wait_idle

websockets = pytest.importorskip("websockets")


@pytest.mark.parametrize(("host", "ok"), [
    ("localhost:8501", True), ("127.0.0.1:8501", True), ("[::1]:8501", True),
    ("LOCALHOST", True), ("localhost.:80", True),
    ("evil.example:8501", False), ("evil.example", False), ("127.0.0.1.evil.example", False),
    ("localhost@evil.example", False), ("localhost:99999", False), ("localhost:x", False),
    ("", False), (None, False), ("localhost/x", False), ("local host", False),
])
def test_host_rule(host, ok):
    assert serving.host_allowed(host, serving.allowed_hosts({})) is ok


def test_lan_names_are_added():
    allowed = serving.allowed_hosts({serving.ALLOWED_HOSTS_ENV: "Atlas.LAN,192.168.1.5"})
    assert serving.host_allowed("atlas.lan:8501", allowed)
    assert serving.host_allowed("192.168.1.5:8501", allowed)
    assert not serving.host_allowed("192.168.1.6:8501", allowed)


@pytest.mark.parametrize(("origin", "host", "ok"), [
    ("http://localhost:8501", "localhost:8501", True),
    ("http://evil.example:8501", "localhost:8501", False),
    ("http://localhost:8502", "localhost:8501", False),
    (None, "localhost:8501", True),
])
def test_origin_rule(origin, host, ok):
    assert serving.origin_matches(origin, host) is ok


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "atlas.duckdb"
    ingest([ROOT / "data" / "demo"], db)
    return db


def _wait_health(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if _get(port, "/_stcore/health", f"127.0.0.1:{port}")[0] == 200:
                return
        time.sleep(0.3)


@contextlib.contextmanager
def _server(command: list[str], log: Path, env: dict, port: int, cwd: Path = ROOT):
    with open(log, "wb") as out:
        # Its own process group: `serve` runs the server as a child, which a kill of the
        # parent alone would leave running.
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        _wait_health(port, proc, log)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def _get(port: int, path: str, host: str) -> tuple[int, dict]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        con.putrequest("GET", path, skip_host=True)
        con.putheader("Host", host)
        con.endheaders()
        response = con.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        con.close()


def _websocket(port: int, host: str, origin: str) -> str:
    """'open' if the app's websocket accepts this Host and Origin, else the refusal."""
    async def attempt() -> str:
        try:
            async with websockets.connect(
                    f"ws://{host}/_stcore/stream", origin=origin, host="127.0.0.1",
                    port=port, subprotocols=["streamlit"], open_timeout=10):
                return "open"
        except websockets.exceptions.InvalidStatus as exc:
            return f"refused {exc.response.status_code}"
    return asyncio.run(attempt())


def _serve_command(port: int, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dashboard.cli", "serve", "--db", str(db), "--port",
            str(port), "--no-demo", *extra]


def test_serve_answers_only_its_hosts(store, tmp_path):
    port = free_port()
    with _server(_serve_command(port, store), tmp_path / "log", dict(os.environ), port):
        status, headers = _get(port, "/", f"localhost:{port}")
        assert status == 200
        assert headers["x-frame-options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in headers["content-security-policy"]
        for path in ("/", "/_stcore/health", "/app/static/vis-network.min.js"):
            assert _get(port, path, f"evil.example:{port}")[0] == 403, path
        assert _websocket(port, f"localhost:{port}", f"http://localhost:{port}") == "open"
        assert _websocket(port, f"evil.example:{port}",
                          f"http://evil.example:{port}").startswith("refused")
        assert _websocket(port, f"localhost:{port}",
                          "http://evil.example").startswith("refused")


class _Recorder:
    """A listening socket standing in for the internet: HTTP(S)_PROXY points at it, so any
    request Streamlit's `requests` makes arrives here."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    self.hits.append(conn.recv(200))

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def test_stopping_serve_stops_its_server(store, tmp_path):
    port = free_port()
    with _server(_serve_command(port, store), tmp_path / "log", dict(os.environ), port) as proc:
        proc.terminate()  # the command only, as a service manager stops it
        assert proc.wait(timeout=30) is not None
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(port, "/_stcore/health", f"127.0.0.1:{port}")
            except OSError:
                break  # nothing listens any more: the server child has ended too
            assert time.monotonic() < deadline, "the server outlived its serve command"
            time.sleep(0.2)


def test_lan_contacts_nothing_outside(store, tmp_path):
    port = free_port()
    recorder = _Recorder()
    proxy = f"http://127.0.0.1:{recorder.port}"
    env = {**os.environ, "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy,
           "https_proxy": proxy, "NO_PROXY": "", "no_proxy": ""}
    log = tmp_path / "log"
    try:
        with _server(_serve_command(port, store, "--lan", "atlas.test"), log, env, port):
            assert _get(port, "/", f"atlas.test:{port}")[0] == 200
            assert _get(port, "/", f"evil.example:{port}")[0] == 403
            # A cross-origin websocket is what makes Streamlit look its public address up.
            assert _websocket(port, f"atlas.test:{port}",
                              "http://other.test").startswith("refused")
            assert _websocket(port, f"atlas.test:{port}", f"http://atlas.test:{port}") == "open"
        assert recorder.hits == [], log.read_text()[-2000:]
    finally:
        recorder.close()


def test_serve_refuses_an_outside_address_without_lan(store):
    done = subprocess.run(_serve_command(free_port(), store, "--address", "0.0.0.0"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--lan" in done.stderr


@pytest.mark.e2e
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed")
@pytest.mark.parametrize(("started", "visit", "refusal"), [
    ("serve", "evil.example", "403"),
    ("elsewhere", "evil.example", "does not answer for that host name"),
    ("elsewhere, every interface", "127.0.0.1", "listens on the network"),
])
def test_browser_gets_no_data(store, tmp_path, started, visit, refusal):
    """A browser whose DNS sends evil.example to this machine (what rebinding achieves) gets
    no data however the server was started: from `serve`, a 403; from a bare `streamlit run`
    in another folder (none of the project's config is read), the app's own refusal; and a
    bare `streamlit run` that binds every interface shows nothing even to localhost."""
    sync_api = pytest.importorskip("playwright.sync_api")
    port = free_port()
    env = {**os.environ, "ALLIANCE_ATLAS_DB": str(store)}
    env.pop(serving.ALLOWED_HOSTS_ENV, None)
    env.pop(serving.LAN_ENV, None)
    if started == "serve":
        command, cwd = _serve_command(port, store), ROOT
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
                   "--server.port", str(port), "--server.headless", "true",
                   "--browser.gatherUsageStats", "false"]
        if started == "elsewhere":
            command += ["--server.address", "127.0.0.1"]
        cwd = tmp_path
    with _server(command, tmp_path / "log", env, port, cwd), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=[*ARGS, "--host-resolver-rules=MAP evil.example "
                                                 "127.0.0.1"])
        try:
            page = browser.new_page()
            response = page.goto(f"http://{visit}:{port}/articles")
            if refusal == "403":
                assert response.status == 403
            else:
                page.wait_for_selector("[data-testid='stAlert']", timeout=60_000)
                wait_idle(page)
                assert refusal in page.inner_text("body")
                assert page.locator("[data-testid='stDataFrame']").count() == 0
                assert page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']"
                                    ).count() == 0
            if started != "elsewhere, every interface":
                ok = browser.new_page()
                ok.goto(f"http://127.0.0.1:{port}/articles")
                ok.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
                wait_idle(ok)
                assert "does not answer" not in ok.inner_text("body")
        finally:
            browser.close()
