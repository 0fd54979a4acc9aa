"""Serving the browser app on this machine: Solara's server under uvicorn, bound to 127.0.0.1 by default.

Why not ``solara run``: it asks PyPI for a newer version on start and Solara's telemetry posts to the internet
unless switched off; leadsim's app must work offline and say nothing about its user. :func:`serve` switches the
telemetry off, binds the socket itself (so a busy port is one clear message, and port 0 picks a free one), and
prints the address only once the server accepts connections.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import warnings
from collections.abc import Callable

APP_MODULE = "simulation.viz.app"
STARTUP_TIMEOUT_S = 60.0


class PortError(Exception):
    """The address cannot be served (port in use, not a local address...)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one), or :class:`PortError` saying what to do."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise PortError(f"port {port} on {host} is in use; choose another with --port (0 picks a free one)") \
                from None
        raise PortError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def configure_solara_environment() -> None:
    """Environment Solara reads when first imported: our app, production mode, no telemetry."""
    os.environ["SOLARA_APP"] = APP_MODULE
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    os.environ.setdefault("SOLARA_MODE", "production")
    # Solara warns on every first page load that a plain-http address cannot have cross-site cookies: true, and
    # irrelevant for an app on this machine.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)


def serve(host: str = "127.0.0.1", port: int = 8765, announce: Callable[[str], None] | None = None,
          log_level: str = "warning") -> None:
    """Serve the app until interrupted (Ctrl-C or SIGTERM); ``announce(url)`` is called once it accepts
    connections."""
    sock = bind(host, port)
    configure_solara_environment()
    import uvicorn  # after the environment: Solara reads its settings when imported

    actual_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{actual_port}/"
    config = uvicorn.Config("solara.server.starlette:app", log_level=log_level, lifespan="on",
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)

    def wait_and_announce() -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not server.started and not server.should_exit and time.monotonic() < deadline:
            time.sleep(0.05)
        if server.started:
            (announce or _print)(url)

    threading.Thread(target=wait_and_announce, daemon=True, name="leadsim-viz-announce").start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _print(url: str) -> None:
    print(f"leadsim viz: the app is at {url}  (open it in a browser; Ctrl-C stops)", flush=True)
    sys.stdout.flush()
