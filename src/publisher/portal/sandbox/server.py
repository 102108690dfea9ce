"""Run the sandbox portal on the loopback interface, embedded or in the foreground.

The admin API key is created once per state directory and kept in `admin-api-key`
(mode 0600) next to the database, so that later runs, and other processes pointed at the
same directory, use the same key; each commune's key likewise in `keys/<commune>`.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import httpx
import uvicorn

from publisher.errors import ConfigurationError, PortalUnavailableError
from publisher.portal.sandbox.app import create_app
from publisher.portal.sandbox.settings import Faults, SandboxSettings
from publisher.portal.sandbox.store import PERMISSIONS, Store

KEY_FILE = "admin-api-key"
START_TIMEOUT = 10.0


COMMUNE_PERMISSIONS = (
    "create_dataset",
    "edit_dataset",
    "publish_dataset",
    "manage_dataset",
    "explore_restricted_dataset",
)
"""What a commune needs to publish restricted, read back, then make public (§2.10)."""


def ensure_admin_key(store: Store) -> str:
    """Read the admin key of the state directory, creating it on first use."""
    return _stored_key(store, store.settings.state_dir / KEY_FILE, "administrateur", PERMISSIONS)


def ensure_commune_key(store: Store, commune: str) -> str:
    """A key limited to the datasets of one commune, kept like the admin key."""
    path = store.settings.state_dir / "keys" / commune
    path.parent.mkdir(mode=0o700, exist_ok=True)
    return _stored_key(store, path, f"commune {commune}", COMMUNE_PERMISSIONS, commune)


def _stored_key(
    store: Store, path: Path, label: str, permissions: tuple[str, ...], commune: str | None = None
) -> str:
    key = path.read_text(encoding="ascii").strip() if path.exists() else ""
    if key:
        os.chmod(path, 0o600)
    else:
        key = secrets.token_urlsafe(32)
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
        os.replace(partial, path)
    store.add_api_key(key, label, permissions, commune)
    return key


def _loopback(host: str) -> str:
    """Refuse any address other than loopback: the sandbox must not be reachable from outside."""
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise ConfigurationError(
        f"le bac à sable n'écoute que sur la boucle locale, pas sur « {host} »",
        hint="utilisez 127.0.0.1",
    )


class SandboxServer:
    """The sandbox in a background thread, for tests and demos.

    `with SandboxServer(tmp_path) as portal:` gives `portal.url` and `portal.api_key`; the
    server answers when the block starts and is stopped when it ends.
    """

    def __init__(
        self,
        state_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        processing_delay: float = 0.2,
        queued_delay: float = 0.1,
        max_records: int | None = None,
        faults: Faults | None = None,
        licences: Mapping[str, str] | None = None,
        themes: Mapping[str, str] | None = None,
    ):
        self.host = _loopback(host)
        self.port = port
        settings = SandboxSettings(
            Path(state_dir),
            queued_delay=queued_delay,
            processing_delay=processing_delay,
            max_records=max_records,
            faults=faults or Faults(),
        )
        if licences is not None:
            settings = replace(settings, licences=dict(licences))
        if themes is not None:
            settings = replace(settings, themes=dict(themes))
        self.settings = settings
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._store: Store | None = None
        self._api_key: str | None = None

    def __repr__(self) -> str:
        return f"SandboxServer(state_dir={str(self.settings.state_dir)!r}, port={self.port})"

    @property
    def url(self) -> str:
        """Portal root, to hand to `AutomationClient` as `base_url`."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_key(self) -> str:
        if self._api_key is None:
            raise RuntimeError("SandboxServer must be started before its key is read")
        return self._api_key

    def commune_key(self, commune: str) -> str:
        """The key of one commune, the same on every start on this state directory."""
        if self._store is None:
            raise RuntimeError("SandboxServer must be started before keys are read")
        return ensure_commune_key(self._store, commune)

    def create_api_key(
        self, label: str, permissions: tuple[str, ...], commune: str | None = None
    ) -> str:
        """Create another key, e.g. one limited to the datasets of one commune."""
        if self._store is None:
            raise RuntimeError("SandboxServer must be started before keys are created")
        key = secrets.token_urlsafe(32)
        self._store.add_api_key(key, label, permissions, commune)
        return key

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Bind, serve in a daemon thread and return once the portal answers."""
        self.settings.state_dir.mkdir(parents=True, exist_ok=True)
        app = create_app(self.settings)
        self._store = app.state.store
        self._api_key = ensure_admin_key(app.state.store)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on sockets that say so, and
        # without it every keep-alive answer waits for a delayed ACK (about 40 ms).
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise PortalUnavailableError(
                f"le bac à sable ne peut pas écouter sur {self.host}:{self.port} ({exc.strerror})",
                hint="choisissez un autre port, ou 0 pour un port libre",
            ) from None
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            app, log_config=None, log_level="warning", access_log=False, ws="none", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="sandbox-portal", daemon=True
        )
        self._thread.start()
        self._wait_until_answering()

    def stop(self) -> None:
        """Ask uvicorn to finish and wait for the thread; safe to call twice."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(START_TIMEOUT)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        alive = self._thread is not None and self._thread.is_alive
        with httpx.Client(timeout=1.0) as probe:
            while alive and alive() and time.monotonic() < deadline:
                try:
                    probe.get(f"{self.url}/")  # outside /api/: never a simulated fault
                    return
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
        self.stop()
        raise PortalUnavailableError(
            f"le bac à sable n'a pas démarré sur {self.url}",
            hint="relancez ; si l'erreur persiste, videz le dossier d'état du bac à sable",
        )


def serve_forever(
    state_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8765,
    *,
    processing_delay: float = 0.2,
    queued_delay: float = 0.1,
    faults: Faults | None = None,
) -> None:
    """Serve in the foreground until interrupted (Ctrl+C)."""
    host = _loopback(host)
    settings = SandboxSettings(
        Path(state_dir),
        queued_delay=queued_delay,
        processing_delay=processing_delay,
        faults=faults or Faults(),
    )
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings)
    ensure_admin_key(app.state.store)
    print(
        f"Portail bac à sable sur http://{host}:{port}\n"
        f"Clé d'API d'administration : fichier {settings.state_dir / KEY_FILE}\n"
        "Arrêt : Ctrl+C",
        file=sys.stderr,
    )
    uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="info", ws="none", lifespan="off")
    ).run()
