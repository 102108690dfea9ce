"""Serving the web application: in the foreground for `publisher serve`, or in a background
thread on a free loopback port for the browser tests and the documentation's screenshots.

The socket is bound here, before uvicorn starts, so that a port already taken is a French
error naming the option to change, not uvicorn's English log line."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn
from starlette.applications import Starlette

from publisher.errors import ConfigurationError

START_TIMEOUT = 10.0


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on `host:port` (port 0: any free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise ConfigurationError(
            f"impossible d'écouter sur {host}:{port} ({error.strerror})",
            hint="Le port est peut-être déjà pris (un autre publisher serve ?) : choisissez-en "
            "un autre avec --port, par exemple --port 8001 ; ou vérifiez l'adresse de --host.",
        ) from None
    return sock


def serve_forever(app: Starlette, sock: socket.socket) -> None:
    """Serve until Ctrl+C, without access log (result addresses hold their token)."""
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, server_header=False, lifespan="off"
    )
    uvicorn.Server(config).run(sockets=[sock])


class BackgroundServer:
    """`with BackgroundServer(app) as server:` serves `app` at `server.url` until the block
    ends."""

    def __init__(self, app: Starlette, host: str = "127.0.0.1"):
        self.app = app
        self.host = host
        self.port = 0
        self._server = uvicorn.Server(
            uvicorn.Config(app, log_config=None, log_level="warning", access_log=False)
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> BackgroundServer:
        sock = bind(self.host, 0)
        self.port = sock.getsockname()[1]
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="publisher-web", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"le serveur web n'a pas démarré sur {self.url}")
            time.sleep(0.02)
        httpx.get(self.url + "/static/serve.css").raise_for_status()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(START_TIMEOUT)
