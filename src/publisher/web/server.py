"""The web application in a background thread on a free loopback port: for the browser tests
and the documentation's screenshots, which need a real server and a real browser."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import uvicorn
from starlette.applications import Starlette

START_TIMEOUT = 10.0


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
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind((self.host, 0))
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
