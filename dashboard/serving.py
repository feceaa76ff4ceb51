"""Serving the app: the hosts it answers for, the headers every response carries, and how
`alliance-atlas serve` starts Streamlit.

Why this module exists: the app has no accounts, so the browser's same-origin rule is what
keeps a page on the internet from reading the analyst's store. DNS rebinding defeats that rule:
an attacker's name (evil.example) first resolves to the attacker's server and then to
127.0.0.1, so the analyst's browser, still on the attacker's page, talks to this server with
`Host: evil.example:PORT` and a matching Origin. Streamlit's HTTP routes never look at the Host
header, and its websocket checks it only against `server.allowedHosts`, which is empty unless
configured. So:

* `main` (what `alliance-atlas serve` runs: `python -m dashboard.serving --port P ...`)
  starts Streamlit in this process with `HostGuard` in front of Streamlit's own middleware
  (installed by wrapping `starlette_app.create_streamlit_middleware`, the one list every
  request and websocket goes through). `HostGuard` answers 403 to a request or websocket whose
  Host is not one this server serves (localhost names, plus the names `--lan` gives), refuses a
  websocket whose Origin is not its own Host, and adds anti-framing headers to every answer.
* `check_session`, called by `dashboard/app.py` at the top of every run, applies the same host
  rule to the session's websocket handshake however the server was started (`streamlit run`
  from another folder reads none of the project's config), and refuses to show anything when
  the server listens on every interface without the `--lan` opt-in.

The allowed names travel from `serve` to the app in the environment (`ALLOWED_HOSTS_ENV`), so
the middleware and the app read one list. Nothing here makes a network request: Streamlit looks
the machine's public address up on the internet when it prints its URLs for a server bound to
every interface or checks a cross-origin websocket; `serve --lan` names the address itself
(`browser.serverAddress`) and `HostGuard` refuses cross-origin websockets before that check.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

ALLOWED_HOSTS_ENV = "ALLIANCE_ATLAS_ALLOWED_HOSTS"
LAN_ENV = "ALLIANCE_ATLAS_LAN"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
# Sent with every HTTP answer: no other site may frame the app (clickjacking the Annotate
# page's Save). The network graph's iframe is the app's own page, so 'self' stays allowed.
SECURITY_HEADERS = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


def allowed_hosts(environ: dict | None = None) -> tuple[str, ...]:
    """The host names this server answers for: localhost's, plus those `serve --lan` set."""
    environ = os.environ if environ is None else environ
    extra = [h.strip().lower().rstrip(".") for h in environ.get(ALLOWED_HOSTS_ENV, "").split(",")]
    return tuple(dict.fromkeys([*LOCAL_HOSTS, *(h.strip("[]") for h in extra if h)]))


def hostname_of(host: str | None) -> str | None:
    """The name or address in a Host header value ("[::1]:8501" -> "::1"), or None when the
    value is not a plain host[:port]."""
    if not host or any(c in host for c in "/\\@?#") or any(c.isspace() for c in host):
        return None
    try:
        parts = urlsplit(f"//{host}")
        parts.port  # noqa: B018 - raises for a port that is not a number in range
    except ValueError:
        return None
    return (parts.hostname or "").rstrip(".") or None


def host_allowed(host: str | None, allowed: Iterable[str]) -> bool:
    """Whether a request's Host header names one of the `allowed` hosts (any port)."""
    name = hostname_of(host)
    return name is not None and name in set(allowed)


def origin_matches(origin: str | None, host: str | None) -> bool:
    """Whether a websocket's Origin is the page's own host:port (what our pages send)."""
    if origin is None:
        return True  # not a browser: browsers always send Origin on a websocket
    try:
        netloc = urlsplit(origin).netloc.lower()
    except ValueError:
        return False
    return bool(host) and netloc == host.lower()


def binds_everywhere(address: str | None) -> bool:
    """Whether Streamlit's `server.address` makes it listen on every interface."""
    return not address or address.strip("[]") in ("0.0.0.0", "::")  # noqa: S104


def is_loopback(address: str | None) -> bool:
    if not address:
        return False
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


class HostGuard:
    """ASGI middleware: 403 for a Host this server does not serve (HTTP and websocket), a
    websocket from another origin refused, and `SECURITY_HEADERS` on every HTTP answer."""

    def __init__(self, app, allowed: Sequence[str] | None = None) -> None:
        self.app = app
        self.allowed = tuple(allowed) if allowed is not None else allowed_hosts()

    async def __call__(self, scope, receive, send):
        kind = scope.get("type")
        if kind not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        host = headers.get("host")
        ok = host_allowed(host, self.allowed)
        if ok and kind == "websocket":
            ok = origin_matches(headers.get("origin"), host)
        if not ok:
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return None
            body = b"This server does not answer for that host name.\n"
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    (b"content-length", str(len(body)).encode()),
                                    *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            return None
        if kind == "websocket":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *(h for h in SECURITY_HEADERS
                                                    if h[0] not in present)]}
            await send(message)

        return await self.app(scope, receive, send_with_headers)


def install() -> None:
    """Put `HostGuard` first in the middleware of every Streamlit app this process builds."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_streamlit_middleware
    if getattr(original, "_atlas_guarded", False):
        return

    def guarded_middleware():
        return [Middleware(HostGuard, allowed=allowed_hosts()), *original()]

    guarded_middleware._atlas_guarded = True
    starlette_app.create_streamlit_middleware = guarded_middleware


def lan_names() -> list[str]:
    """This machine's name and its address on the local network, found without sending a
    packet (a UDP socket 'connected' to a private address only picks the interface)."""
    names = [socket.gethostname().lower()]
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            names.append(probe.getsockname()[0])
    except OSError:
        pass
    return [n for n in dict.fromkeys(names) if n and not is_loopback(n)]


def check_session() -> None:
    """Stop this run with a message when the session came through a host this server does
    not serve, or the server listens on every interface without `serve --lan`; and switch
    the tables' built-in CSV download off."""
    import streamlit as st

    # However the app was started: the tables' own CSV download would carry formula cells
    # from the data (dashboard/csvsafe.py neutralises the app's own CSV exports).
    st.set_option("client.disableDataExport", True)
    host = st.context.headers.get("Host")
    if host is None:
        return  # no websocket handshake (AppTest): nothing a browser could reach
    if not host_allowed(host, allowed_hosts()):
        st.error("This server does not answer for that host name.")
        st.stop()
    address = st.get_option("server.address")
    if not is_loopback(address) and not os.environ.get(LAN_ENV):
        st.error("This server listens on the network without the team's opt-in: start it "
                 "with `alliance-atlas serve` (this machine only) or `alliance-atlas serve "
                 "--lan` (the local network).")
        st.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m dashboard.serving [--address A] [--port P] [--lan [NAME ...]]
    [streamlit options]`, what `alliance-atlas serve` runs: Streamlit serving
    dashboard/app.py with `HostGuard`; other options (`--server.fileWatcherType none`) go to
    Streamlit as they are."""
    import argparse

    from streamlit.web import cli

    from dashboard.paths import PACKAGE_DIR

    parser = argparse.ArgumentParser(prog="python -m dashboard.serving",
                                     description="Serve the dashboard (alliance-atlas serve).")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--lan", nargs="*", metavar="NAME")
    args, passed = parser.parse_known_args(argv)
    address, extra = args.address, list(passed)
    os.environ.pop(ALLOWED_HOSTS_ENV, None)
    os.environ.pop(LAN_ENV, None)
    if args.lan is not None:
        # Every interface, answering only for the names the team uses; naming the address
        # ourselves (browser.serverAddress) keeps Streamlit from looking the machine's public
        # address up on the internet to print it.
        names = [n.strip().lower() for part in args.lan for n in part.split(",") if n.strip()]
        names = names or lan_names()
        if not names:
            print("error: cannot tell this machine's network name: give it, as in "
                  "`--lan atlas.example.org`", file=sys.stderr)
            return 2
        address = "0.0.0.0"  # noqa: S104
        os.environ[ALLOWED_HOSTS_ENV] = ",".join(names)
        os.environ[LAN_ENV] = "1"
        extra += ["--browser.serverAddress", names[0]]
        print("Serving on every network interface: anyone on this network can open the app "
              f"at http://{names[0]}:{args.port} (it answers for {', '.join(names)}). It has "
              "no user accounts (see SECURITY.md).")
    elif not is_loopback(address):
        print(f"error: --address {address} serves other machines: say so with --lan",
              file=sys.stderr)
        return 2
    else:
        print(f"Alliance Atlas on http://localhost:{args.port}")
    install()
    command = ["run", str(PACKAGE_DIR / "app.py"), "--server.address", address,
               "--server.port", str(args.port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", *extra]
    try:
        cli.main.main(args=command, prog_name="streamlit", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
