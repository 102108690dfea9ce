"""Push what passed to a portal: the embedded sandbox by default, a real one on request.

Each commune publishes with its own API key, from `PUBLISHER_ODS_API_KEY_<COMMUNE>` (slug in
capitals, `-` as `_`, e.g. `PUBLISHER_ODS_API_KEY_LE_TAILLAN_MEDOC`) or a file named by the
same variable suffixed `_FILE`; a commune without its own key uses the métropole's key
`PUBLISHER_ODS_API_KEY` (or `PUBLISHER_ODS_API_KEY_FILE`). Keys come from the environment
only, never from the command line, and are never printed, logged or written anywhere. The
embedded sandbox gives each commune a key limited to its own datasets.

The flow is always: `prepare` (read-only plan against the portal) → show it → `apply`.
Realtime records take another path: `push_file` validates them against the dataset's schema
and pushes the valid ones.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from publisher.codes import make
from publisher.errors import ConfigurationError, PortalUnavailableError
from publisher.findings import Finding, Location
from publisher.model import Federation
from publisher.plan import PublishPlan, build_plan
from publisher.portal import (
    AutomationClient,
    Outcome,
    Plan,
    PortalState,
    SandboxServer,
    apply_changes,
    plan_changes,
)
from publisher.portal.content import field_name, read_csv_text
from publisher.portal.push import push_records
from publisher.portal.sync import DEFAULT_CONCURRENCY
from publisher.schemas import SharedSchema
from publisher.validation import Validation, check_file
from publisher.vocabularies import licence

API_KEY_ENV = "PUBLISHER_ODS_API_KEY"
SANDBOX_DIR = Path(".publisher") / "sandbox"
STATE_DIR = Path(".publisher") / "state"
SANDBOX_POLL = 0.05
"""The local sandbox answers in a fraction of a second: poll it often."""
ACTION_LABELS = {
    "create": "création",
    "update": "mise à jour",
    "unchanged": "aucun changement",
    "delete": "suppression",
}


@dataclass(frozen=True)
class PublicationSummary:
    """What a push did; `to_dict()` is the report's `publication` section. `findings` are
    those of the metadata mapping and of the read-back, to join the validation's."""

    portal: str
    sandbox: bool
    outcomes: tuple[dict[str, Any], ...]
    error: str | None = None
    findings: tuple[Finding, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "portal": self.portal,
            "sandbox": self.sandbox,
            "error": self.error,
            "outcomes": list(self.outcomes),
        }


@dataclass(frozen=True)
class PortalTarget:
    """Where a push goes; `name` names its state file (the sandbox port changes each run)."""

    url: str
    sandbox: bool
    name: str


@dataclass(frozen=True)
class PortalSession:
    """One client per commune (with its key), and the local state of that portal."""

    clients: dict[str, AutomationClient]
    target: PortalTarget
    state: PortalState
    concurrency: int = DEFAULT_CONCURRENCY


@dataclass(frozen=True)
class Prepared:
    """The plan against the portal, ready to be shown, then applied as it is."""

    publish_plan: PublishPlan
    plan: Plan
    target: PortalTarget

    @property
    def has_changes(self) -> bool:
        return any(change.action != "unchanged" for change in self.plan.changes)

    def blocked_outcomes(self) -> list[dict[str, Any]]:
        return [
            {
                "dataset_id": blocked.dataset_id,
                "action": "blocked",
                "ok": False,
                "message": "non publié : constats bloquants "
                + (", ".join(blocked.codes) if blocked.codes else "(aucun fichier de données)"),
            }
            for blocked in self.publish_plan.blocked
        ]

    def dry_run_summary(self) -> PublicationSummary:
        outcomes = self.blocked_outcomes() + [
            {
                "dataset_id": change.dataset_id,
                "action": change.action,
                "ok": True,
                "message": f"prévu : {ACTION_LABELS[change.action]}",
            }
            for change in self.plan.changes
        ]
        return self.summary(outcomes, ())

    def summary(
        self, outcomes: list[dict[str, Any]], findings: tuple[Finding, ...]
    ) -> PublicationSummary:
        outcomes.sort(key=lambda o: str(o["dataset_id"]))
        return PublicationSummary(
            portal=self.target.url,
            sandbox=self.target.sandbox,
            outcomes=tuple(outcomes),
            findings=self.publish_plan.findings + findings,
        )


def commune_key_variable(commune: str) -> str:
    """`PUBLISHER_ODS_API_KEY_LE_TAILLAN_MEDOC` for `le-taillan-medoc`."""
    return f"{API_KEY_ENV}_{commune.upper().replace('-', '_')}"


def api_keys_from_environment(communes: list[str]) -> dict[str, tuple[str, bool]]:
    """Commune → (key, whether the key is the commune's own), from the environment only."""
    shared = _read_key(API_KEY_ENV)
    keys: dict[str, tuple[str, bool]] = {}
    missing = []
    for commune in communes:
        own = _read_key(commune_key_variable(commune))
        if own:
            keys[commune] = (own, True)
        elif shared:
            keys[commune] = (shared, False)
        else:
            missing.append(commune_key_variable(commune))
    if missing:
        raise ConfigurationError(
            "aucune clé d'API pour le portail (" + ", ".join(missing) + ")",
            hint=f"Définissez la clé de chaque commune ({missing[0]}…) ou celle de la métropole "
            f"{API_KEY_ENV} dans l'environnement (jamais en option de commande), ou les mêmes "
            "variables suffixées _FILE avec le chemin d'un fichier qui la contient.",
        )
    return keys


def _read_key(variable: str) -> str:
    key = os.environ.get(variable, "").strip()
    key_file = os.environ.get(f"{variable}_FILE", "").strip()
    if not key and key_file:
        try:
            key = Path(key_file).read_text("utf-8").strip()
        except OSError as error:
            raise ConfigurationError(
                f"fichier de clé d'API illisible ({error.strerror})",
                path=key_file,
                hint=f"Vérifiez la variable {variable}_FILE.",
            ) from None
    if key and not key.isascii():
        raise ConfigurationError(
            "la clé d'API contient des caractères non ASCII (accent, espace insécable…)",
            hint=f"Recopiez la clé telle que le portail l'affiche dans {variable}.",
        )
    return key


@contextmanager
def open_portal(
    federation: Federation,
    portal_url: str | None,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    sandbox_options: dict[str, Any] | None = None,
) -> Iterator[PortalSession]:
    """Clients on the real portal at `portal_url`, or on the embedded sandbox started here,
    one per commune of the federation, and the portal's local state."""
    root = federation.root
    communes = [commune.slug for commune in federation.communes]
    with ExitStack() as stack:
        if portal_url:
            parts = urlsplit(portal_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigurationError(
                    f"adresse de portail invalide : « {portal_url} »",
                    hint="Donnez l'adresse racine du portail, par exemple "
                    "--portal https://opendata.bordeaux-metropole.fr",
                )
            target = PortalTarget(portal_url, False, parts.netloc.replace(":", "_"))
            shared: dict[str, AutomationClient] = {}
            clients = {}
            for commune, (key, own) in api_keys_from_environment(communes).items():
                if not own:
                    clients[commune] = shared.get(key) or shared.setdefault(
                        key, stack.enter_context(AutomationClient(portal_url, key))
                    )
                    continue
                clients[commune] = stack.enter_context(
                    AutomationClient(portal_url, key, commune=commune)
                )
        else:
            sandbox = _start_sandbox(stack, federation, sandbox_options or {})
            target = PortalTarget(sandbox.url, True, "bac-a-sable")
            clients = {
                commune: stack.enter_context(
                    AutomationClient(
                        sandbox.url,
                        sandbox.commune_key(commune),
                        poll_interval=SANDBOX_POLL,
                        commune=commune,
                    )
                )
                for commune in communes
            }
        state = _open_state(root / STATE_DIR / f"{target.name}.sqlite3")
        yield PortalSession(clients, target, state, concurrency)


def _start_sandbox(
    stack: ExitStack, federation: Federation, options: dict[str, Any]
) -> SandboxServer:
    """The embedded sandbox, with the licence and theme ids the federation configures."""
    portal = federation.portal
    licences = {}
    for spdx, portal_id in portal.licence_ids.items():
        known = licence(spdx)
        licences[portal_id] = known.portal_label if known else spdx
    themes = {portal_id: label for label, portal_id in portal.theme_ids.items()}
    try:
        return stack.enter_context(
            SandboxServer(
                federation.root / SANDBOX_DIR, licences=licences, themes=themes, **options
            )
        )
    except (OSError, sqlite3.Error) as error:
        raise PortalUnavailableError(
            f"le portail bac à sable ne peut pas démarrer sur son dossier d'état "
            f"{SANDBOX_DIR} ({type(error).__name__})",
            hint=f"Supprimez le dossier {SANDBOX_DIR} (il sera recréé vide) puis relancez.",
        ) from None


def _open_state(path: Path) -> PortalState:
    try:
        return PortalState(path)
    except (OSError, sqlite3.Error) as error:
        raise ConfigurationError(
            f"état local de publication inutilisable ({type(error).__name__})",
            path=path.parent,
            hint=f"Supprimez le dossier {STATE_DIR} : il sera reconstruit depuis le portail.",
        ) from None


def prepare(validation: Validation, session: PortalSession, *, prune: bool = False) -> Prepared:
    """Plan against the portal, reading only; with `prune`, the datasets of the selected
    communes that the repository no longer has are planned for deletion."""
    publish_plan = build_plan(validation)
    kept = {slug: publish_plan.known_ids(slug) for slug in session.clients} if prune else None
    plan = plan_changes(
        session.clients,
        publish_plan.payloads,
        session.state,
        prune=kept,
        concurrency=session.concurrency,
    )
    return Prepared(publish_plan, plan, session.target)


def apply(
    prepared: Prepared,
    session: PortalSession,
    validation: Validation,
    *,
    on_progress: Callable[[Outcome], None] | None = None,
) -> PublicationSummary:
    """Apply exactly the prepared plan; read-back gaps become findings."""
    outcomes = apply_changes(
        session.clients,
        prepared.plan,
        session.state,
        concurrency=session.concurrency,
        on_progress=on_progress,
    )
    rows = prepared.blocked_outcomes() + [
        {"dataset_id": o.dataset_id, "action": o.action, "ok": o.ok, "message": o.message}
        for o in outcomes
    ]
    return prepared.summary(rows, tuple(read_back_findings(validation, outcomes)))


def read_back_findings(validation: Validation, outcomes: list[Outcome]) -> list[Finding]:
    """A finding for each dataset the public catalogue does not serve as the files hold it."""
    places = {}
    if validation.federation is not None:
        for commune, dataset in validation.federation.datasets():
            path = dataset.resources[0].relpath if dataset.resources else dataset.relpath
            places[dataset.portal_id] = Location(commune.slug, dataset.name, path=path)
    found = []
    for outcome in outcomes:
        read_back = outcome.read_back
        if read_back is None or read_back.ok:
            continue
        where = places.get(outcome.dataset_id, Location(dataset=outcome.dataset_id))
        if not read_back.count_ok:
            found.append(
                make(
                    "PORTAL-READBACK-COUNT",
                    where,
                    portal=str(read_back.portal_records),
                    local=str(read_back.local_records),
                )
            )
        else:
            local, portal = read_back.digests or ("", "")
            found.append(
                make(
                    "PORTAL-READBACK-CONTENT",
                    where,
                    records=str(read_back.portal_records),
                    local=local[:12],
                    portal=portal[:12],
                )
            )
    return found


@dataclass(frozen=True)
class PushSummary:
    """What `push_file` did: records sent, already sent before, refused (by line)."""

    total: int
    sent: int
    already_sent: int
    batches: int
    rejected_rows: tuple[int, ...]
    findings: tuple[Finding, ...]


def push_file(
    federation: Federation,
    reference: str,
    path: Path,
    session: PortalSession,
    *,
    batch_size: int = 100,
) -> PushSummary:
    """Validate the records of `path` against the schema of dataset `commune/name` and push
    the valid ones to its realtime source; invalid records become findings, never sent."""
    commune, _, name = reference.partition("/")
    dataset = next(
        (d for c, d in federation.datasets() if c.slug == commune and d.name == name), None
    )
    if dataset is None or not dataset.resources or not dataset.resources[0].schema:
        raise ConfigurationError(
            f"jeu temps réel inconnu ou sans schéma : « {reference} »",
            hint="Donnez le jeu sous la forme commune/nom (par exemple merignac/parkings) ; "
            "sa première ressource doit déclarer le schéma des enregistrements.",
        )
    schema = federation.registry.resolve(dataset.resources[0].schema)
    where = Location(commune=commune, dataset=name, path=str(path))
    checked = check_file(path, schema, shown_path=str(path))
    findings = [
        replace(f, location=replace(f.location, commune=commune, dataset=name))
        for f in checked.findings
    ]
    blocking = [f for f in findings if f.blocking]
    frame = read_csv_text(path.read_bytes(), _delimiter(path)) if path.is_file() else None
    total = frame.height if frame is not None else 0
    if frame is None or any(f.location.row is None for f in blocking):
        return PushSummary(total, 0, 0, 0, (), tuple(findings))  # the file itself is unusable
    rejected = tuple(sorted({f.location.row for f in blocking if f.location.row is not None}))
    records = _records(frame, schema, rejected)
    fields = [field_name(f["name"]) for f in schema.descriptor.get("fields", [])]
    keys = schema.descriptor.get("primaryKey") or []
    result = push_records(
        session.clients[commune],
        session.state,
        dataset.portal_id,
        records,
        fields=fields,
        record_id_fields=[field_name(k) for k in ([keys] if isinstance(keys, str) else keys)],
        batch_size=batch_size,
    )
    if rejected:
        shown = ", ".join(map(str, rejected[:20])) + ("…" if len(rejected) > 20 else "")
        findings.append(
            make(
                "PUSH-REJECTED",
                where,
                count=str(len(rejected)),
                total=str(total),
                rows=shown,
            )
        )
    return PushSummary(
        total, result.sent, result.already_sent, result.batches, rejected, tuple(findings)
    )


def _delimiter(path: Path) -> str:
    """The delimiter of the header line: `;`, `,` or tab."""
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        header = handle.readline()
    try:
        return csv.Sniffer().sniff(header, delimiters=";,\t").delimiter
    except csv.Error:
        return ","


def _records(frame: Any, schema: SharedSchema, rejected: tuple[int, ...]) -> list[dict]:
    """Valid rows as JSON records typed after the schema (numbers, booleans), empty cells
    left out. Rows are numbered as a spreadsheet shows them (header = line 1)."""
    import polars as pl

    casts = {"integer": pl.Int64, "number": pl.Float64}
    columns = []
    for spec in schema.descriptor.get("fields", []):
        name = field_name(spec["name"])
        if name not in frame.columns:
            continue
        column = pl.col(name).str.strip_chars()
        if spec.get("type") in casts:
            column = column.cast(casts[spec["type"]], strict=False)
        elif spec.get("type") == "boolean":
            column = column.str.to_lowercase().is_in(["true", "1", "oui", "vrai"])
        columns.append(column.alias(name))
    kept = (
        frame.with_row_index("ligne", offset=2)
        .filter(~pl.col("ligne").is_in(list(rejected)))
        .select(columns)
    )
    return [{k: v for k, v in row.items() if v is not None} for row in kept.to_dicts()]
