"""Push what passed to a portal: the embedded sandbox by default, a real one on request.

The API key of a real portal comes from `PUBLISHER_ODS_API_KEY` (or a file named by
`PUBLISHER_ODS_API_KEY_FILE`), never from the command line; it is never printed or logged.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from publisher.errors import ConfigurationError, PortalUnavailableError
from publisher.plan import build_plan
from publisher.portal import AutomationClient, Outcome, SandboxServer, apply_changes, plan_changes
from publisher.validation import Validation

API_KEY_ENV = "PUBLISHER_ODS_API_KEY"
API_KEY_FILE_ENV = "PUBLISHER_ODS_API_KEY_FILE"
SANDBOX_DIR = Path(".publisher") / "sandbox"
SANDBOX_POLL = 0.05
"""The local sandbox answers in a fraction of a second: poll it often."""


@dataclass(frozen=True)
class PublicationSummary:
    """What a push did; `to_dict()` is the report's `publication` section."""

    portal: str
    sandbox: bool
    outcomes: tuple[dict[str, Any], ...]
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "portal": self.portal,
            "sandbox": self.sandbox,
            "error": self.error,
            "outcomes": list(self.outcomes),
        }


@dataclass(frozen=True)
class PortalTarget:
    """Where a push goes; the key is kept out of repr so it never lands in a log."""

    url: str
    sandbox: bool


def api_key_from_environment() -> str:
    """The real portal's API key, from the environment only."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    key_file = os.environ.get(API_KEY_FILE_ENV, "").strip()
    if not key and key_file:
        try:
            key = Path(key_file).read_text("utf-8").strip()
        except OSError as error:
            raise ConfigurationError(
                f"fichier de clé d'API illisible ({error.strerror})",
                path=key_file,
                hint=f"Vérifiez la variable {API_KEY_FILE_ENV}.",
            ) from None
    if key and not key.isascii():
        raise ConfigurationError(
            "la clé d'API contient des caractères non ASCII (accent, espace insécable…)",
            hint=f"Recopiez la clé telle que le portail l'affiche dans {API_KEY_ENV}.",
        )
    if not key:
        raise ConfigurationError(
            "aucune clé d'API pour le portail",
            hint=f"Définissez la variable d'environnement {API_KEY_ENV} (jamais en option de "
            f"commande), ou {API_KEY_FILE_ENV} avec le chemin d'un fichier qui la contient.",
        )
    return key


@contextmanager
def open_portal(
    root: Path, portal_url: str | None
) -> Iterator[tuple[AutomationClient, PortalTarget]]:
    """A client on the real portal at `portal_url`, or on the embedded sandbox started here."""
    if portal_url:
        parts = urlsplit(portal_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(
                f"adresse de portail invalide : « {portal_url} »",
                hint="Donnez l'adresse racine du portail, par exemple "
                "--portal https://opendata.bordeaux-metropole.fr",
            )
        with AutomationClient(portal_url, api_key_from_environment()) as client:
            yield client, PortalTarget(portal_url, sandbox=False)
        return
    with ExitStack() as stack:
        try:
            sandbox = stack.enter_context(SandboxServer(root / SANDBOX_DIR))
        except (OSError, sqlite3.Error) as error:
            raise PortalUnavailableError(
                f"le portail bac à sable ne peut pas démarrer sur son dossier d'état "
                f"{SANDBOX_DIR} ({type(error).__name__})",
                hint=f"Supprimez le dossier {SANDBOX_DIR} (il sera recréé vide) puis relancez.",
            ) from None
        client = stack.enter_context(
            AutomationClient(sandbox.url, sandbox.api_key, poll_interval=SANDBOX_POLL)
        )
        yield client, PortalTarget(sandbox.url, sandbox=True)


def publish(
    validation: Validation,
    client: AutomationClient,
    target: PortalTarget,
    *,
    dry_run: bool = False,
    on_progress: Callable[[Outcome], None] | None = None,
) -> PublicationSummary:
    """Plan against the portal, then apply (unless `dry_run`); blocked datasets are listed."""
    plan = build_plan(validation)
    changes = plan_changes(client, plan.payloads)
    outcomes: list[dict[str, object]] = [
        {
            "dataset_id": blocked.dataset_id,
            "action": "blocked",
            "ok": False,
            "message": "non publié : constats bloquants "
            + (", ".join(blocked.codes) if blocked.codes else "(aucun fichier de données)"),
        }
        for blocked in plan.blocked
    ]
    if dry_run:
        outcomes += [
            {
                "dataset_id": change.dataset_id,
                "action": change.action,
                "ok": True,
                "message": "prévu : "
                + _action_label(change.action)
                + (f" ({'; '.join(change.reasons)})" if change.reasons else ""),
            }
            for change in changes
        ]
    else:
        outcomes += [
            {"dataset_id": o.dataset_id, "action": o.action, "ok": o.ok, "message": o.message}
            for o in apply_changes(client, changes, on_progress=on_progress)
        ]
    outcomes.sort(key=lambda o: str(o["dataset_id"]))
    return PublicationSummary(portal=target.url, sandbox=target.sandbox, outcomes=tuple(outcomes))


def _action_label(action: str) -> str:
    return {"create": "création", "update": "mise à jour", "unchanged": "aucun changement"}[action]
