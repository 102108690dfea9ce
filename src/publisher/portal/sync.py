"""Plan and apply the push of validated datasets to the portal, and verify what it serves.

`plan_changes` only reads. It lists each commune's datasets once, reconciles the local state
with that listing, then says per dataset what would change and why: metadata field by field
(old → new), files (added, modified with the rows added and removed, removed), publication
(never published, failed, configuration edited since). A dataset whose content and metadata
hashes, portal uid and `updated_at` all match what the state last verified is unchanged
without any further call; the others are compared in full with the portal.

`apply_changes` writes only what the plan found different, a few datasets at a time. A new
dataset is created restricted (only keys allowed to explore restricted datasets see it),
published, read back, and made public only when the read-back matches the files: nobody
reads a publication that was not verified. A dataset still restricted on the portal (a
read-back gap, a run interrupted before that last step) goes public the same way at the
next run; a public dataset stays public while it is updated. Each dataset is journalled in
the state before its first write and closed once verified and public, so an interrupted run
is finished by the next one; every step is idempotent on the portal (lookup by
`dataset_id`, content-addressed files, resources matched by file, visibility set, not
toggled), so finishing never duplicates anything. Deletions only come from a plan made with
`prune`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from publisher.errors import InputFileError, PortalAuthError, PortalError
from publisher.portal.client import AutomationClient
from publisher.portal.content import (
    TableFingerprint,
    content_hash,
    metadata_hash,
    read_csv_text,
    table_fingerprint,
)
from publisher.portal.payload import DatasetPayload, ResourceFile, same_upload, upload_name
from publisher.portal.state import PortalState, Verified

Action = Literal["create", "update", "unchanged", "delete"]
GO_PUBLIC = "rendu public après vérification de la relecture"
READ_BACK_ATTEMPTS = 4
SHOWN_VALUE = 60
DEFAULT_CONCURRENCY = 4
JSON = dict[str, Any]


@dataclass(frozen=True)
class ResourceStep:
    """One resource to write: `resource_uid` None creates it, `file_uid` None uploads first."""

    file: ResourceFile
    resource_uid: str | None
    file_uid: str | None


@dataclass(frozen=True)
class Change:
    """What pushing one dataset would do, and the French reasons shown to the user.

    `verify` marks an unchanged dataset the state does not vouch for: it is read back (no
    write) so that the state is rebuilt from what the portal really serves. `go_public`
    marks a dataset created, or still, restricted: it is made public once read back.
    """

    dataset_id: str
    commune: str
    action: Action
    reasons: tuple[str, ...]
    payload: DatasetPayload | None
    uid: str | None
    metadata_fields: tuple[tuple[str, str], ...] = ()
    resource_steps: tuple[ResourceStep, ...] = ()
    obsolete_resources: tuple[str, ...] = ()
    republish: bool = False
    verify: bool = False
    go_public: bool = False
    other_sources: bool = False
    content_hash: str = ""
    metadata_hash: str = ""

    @property
    def calls_portal(self) -> bool:
        """Whether applying it calls the portal at all: an unchanged dataset the state vouches
        for does not."""
        return self.action != "unchanged" or self.verify

    @property
    def writes_data(self) -> bool:
        """Whether files or metadata are written and published, not only the visibility."""
        return self.action == "create" or bool(
            self.resource_steps or self.obsolete_resources or self.metadata_fields or self.republish
        )


@dataclass(frozen=True)
class Plan:
    """The changes, with what reconciling the local state found."""

    changes: tuple[Change, ...]
    interrupted: tuple[str, ...] = ()
    stale_entries: int = 0

    def of(self, action: Action) -> list[Change]:
        return [change for change in self.changes if change.action == action]


@dataclass(frozen=True)
class ReadBack:
    """What Explore serves compared with the local files.

    `digests` is (local, portal) canonical content digests, None when the files cannot be
    compared row by row (JSON, or a dataset also fed by a realtime source).
    """

    dataset_id: str
    path: Path | None
    local_records: int | None
    portal_records: int
    digests: tuple[str, str] | None
    other_sources: bool = False

    @property
    def count_ok(self) -> bool:
        if self.local_records is None:
            return True
        if self.other_sources:
            return self.portal_records >= self.local_records
        return self.portal_records == self.local_records

    @property
    def content_ok(self) -> bool:
        return self.digests is None or self.digests[0] == self.digests[1]

    @property
    def ok(self) -> bool:
        return self.count_ok and self.content_ok


@dataclass(frozen=True)
class Outcome:
    """Result of applying one change; `message` is French and says what to do on failure."""

    dataset_id: str
    action: Action
    uid: str | None
    ok: bool
    message: str
    read_back: ReadBack | None = field(default=None, compare=False)


Clients = Mapping[str, AutomationClient]


def plan_changes(
    clients: Clients,
    payloads: Iterable[DatasetPayload],
    state: PortalState,
    *,
    prune: Mapping[str, set[str]] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Plan:
    """Compare each payload with the portal, reading only.

    `clients` maps each commune to the client holding its key. `prune` maps a commune to
    every dataset id the repository has for it (blocked ones included): its other datasets
    on the portal are planned for deletion.
    """
    payloads = list(payloads)
    prune = prune or {}
    communes = sorted({p.commune for p in payloads} | set(prune))
    listed: dict[str, JSON] = {}
    for commune in communes:
        for dataset in _client(clients, commune).list_datasets():
            listed[dataset["dataset_id"]] = dataset
    considered = {p.dataset_id for p in payloads} | set(listed)
    considered |= {d for d in state.verified() if any(_belongs(d, c) for c in communes)}
    stale = state.reconcile({d: dataset["uid"] for d, dataset in listed.items()}, considered)
    verified = state.verified()
    interrupted = set(state.interrupted())

    def plan_one(payload: DatasetPayload) -> Change:
        return _plan_one(
            _client(clients, payload.commune),
            payload,
            listed.get(payload.dataset_id),
            None if payload.dataset_id in interrupted else verified.get(payload.dataset_id),
        )

    with ThreadPoolExecutor(max(1, concurrency)) as pool:
        changes = list(pool.map(plan_one, payloads))
    for commune, kept in sorted(prune.items()):
        changes += [
            Change(
                dataset_id=dataset_id,
                commune=commune,
                action="delete",
                reasons=("jeu absent du dépôt de données (--prune)",),
                payload=None,
                uid=dataset["uid"],
            )
            for dataset_id, dataset in sorted(listed.items())
            if _belongs(dataset_id, commune) and dataset_id not in kept
        ]
    return Plan(tuple(changes), tuple(sorted(interrupted)), stale)


def apply_changes(
    clients: Clients,
    plan: Plan,
    state: PortalState,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Apply the plan, `concurrency` datasets at a time, in the plan's order of results.

    A dataset that fails gets a failed Outcome and the others go on; a key refused by the
    portal stops its commune's remaining datasets (every call would be refused too).
    """
    run = uuid.uuid4().hex[:12]
    refused: dict[str, str] = {}

    def apply_one(change: Change) -> Outcome:
        if change.commune in refused:
            outcome = Outcome(
                change.dataset_id, change.action, change.uid, False, refused[change.commune]
            )
        else:
            try:
                outcome = _apply_one(_client(clients, change.commune), change, state, run)
            except PortalAuthError as exc:
                refused[change.commune] = f"non tenté : clé refusée ({exc.message})"
                outcome = Outcome(change.dataset_id, change.action, change.uid, False, str(exc))
        if on_progress is not None:
            on_progress(outcome)
        return outcome

    with ThreadPoolExecutor(max(1, concurrency)) as pool:
        return list(pool.map(apply_one, plan.changes))


# Planning ----------------------------------------------------------------------------


def _plan_one(
    client: AutomationClient,
    payload: DatasetPayload,
    dataset: JSON | None,
    verified: Verified | None,
) -> Change:
    names = [_upload_name(payload, resource) for resource in payload.files]
    hashes = {
        "content_hash": content_hash(
            (name, f.title, f.extractor, f.params)
            for name, f in zip(names, payload.files, strict=True)
        ),
        "metadata_hash": metadata_hash(payload.metadata),
    }
    base = {"dataset_id": payload.dataset_id, "commune": payload.commune, "payload": payload}
    if dataset is None:
        steps = tuple(ResourceStep(f, None, None) for f in payload.files)
        reasons = ("jeu absent du portail : création", *_file_lines(payload.files), GO_PUBLIC)
        return Change(
            **base,
            action="create",
            reasons=reasons,
            uid=None,
            resource_steps=steps,
            go_public=True,
            **hashes,
        )
    uid = dataset["uid"]
    fields, reasons = _metadata_diff(dataset.get("metadata") or {}, payload.metadata)
    if (
        not fields
        and verified is not None
        and verified.uid == uid
        and verified.updated_at == dataset.get("updated_at")
        and verified.content_hash == hashes["content_hash"]
        and verified.metadata_hash == hashes["metadata_hash"]
        and dataset.get("is_published")
        and not dataset.get("is_restricted")
    ):
        return Change(**base, action="unchanged", reasons=(), uid=uid, **hashes)

    resources = client.list_resources(uid)
    files = [r for r in resources if _file_uid(r) is not None]
    other_sources = len(files) != len(resources)
    steps, obsolete, file_reasons = _resource_steps(payload.files, names, files)
    content_changed = obsolete or any(step.file_uid is None for step in steps)
    if content_changed and dataset.get("is_published") and not other_sources:
        file_reasons.append(_content_diff(client, payload))
    publication = _publication_reasons(dataset, client.get_status(uid))
    restricted = bool(dataset.get("is_restricted"))
    reasons += file_reasons + publication + ([f"jeu restreint : {GO_PUBLIC}"] if restricted else [])
    return Change(
        **base,
        action="update" if reasons else "unchanged",
        reasons=tuple(reasons),
        uid=uid,
        metadata_fields=tuple(fields),
        resource_steps=tuple(steps),
        obsolete_resources=tuple(r["uid"] for r in obsolete),
        republish=bool(steps or obsolete or publication),
        verify=not reasons,
        go_public=restricted,
        other_sources=other_sources,
        **hashes,
    )


def _metadata_diff(
    current: Mapping[str, Any], wanted: Mapping[str, Mapping[str, Any]]
) -> tuple[list[tuple[str, str]], list[str]]:
    """Managed fields that differ, and one French line each: `template.field : old → new`."""
    fields, lines = [], []
    for template, values in wanted.items():
        for name, value in values.items():
            wrapped = (current.get(template) or {}).get(name)
            if not isinstance(wrapped, dict) or "value" not in wrapped:
                fields.append((template, name))
                lines.append(f"métadonnée {template}.{name} ajoutée : {_shown(value)}")
            elif not _same_value(wrapped["value"], value):
                fields.append((template, name))
                lines.append(
                    f"métadonnée {template}.{name} : {_shown(wrapped['value'])} → {_shown(value)}"
                )
    return fields, lines


def _resource_steps(
    wanted: tuple[ResourceFile, ...], names: list[str], portal: list[JSON]
) -> tuple[list[ResourceStep], list[JSON], list[str]]:
    """Match each local file with a portal resource (same content first, then same title):
    the steps to write, the resources nothing claims (to remove), one French line each."""
    unclaimed = list(portal)
    steps, lines = [], []
    for resource, name in zip(wanted, names, strict=True):
        match = _take(unclaimed, lambda r, n=name: same_upload(_file_uid(r), n)) or _take(
            unclaimed, lambda r, t=resource.title: r.get("title") == t
        )
        if match is None:
            steps.append(ResourceStep(resource, None, None))
            lines.append(f"fichier {resource.path.name} ajouté")
        elif not same_upload(_file_uid(match), name):
            steps.append(ResourceStep(resource, match["uid"], None))
            lines.append(f"fichier {resource.path.name} modifié")
        elif _settings_differ(match, resource):
            steps.append(ResourceStep(resource, match["uid"], _file_uid(match)))
            lines.append(f"paramètres de lecture de {resource.path.name} modifiés")
    lines += [f"ressource {r.get('title') or r.get('uid')} retirée" for r in unclaimed]
    return steps, unclaimed, lines


def _content_diff(client: AutomationClient, payload: DatasetPayload) -> str:
    """Rows added and removed compared with what the portal serves now (reads the export)."""
    local = _local_fingerprint(payload)
    if local is None:
        return "contenu : comparaison ligne à ligne impossible (fichier non CSV)"
    try:
        served = table_fingerprint(
            [read_csv_text(client.explore_export_csv(payload.dataset_id), ",")]
        )
    except (PortalError, ValueError):
        return f"contenu : {local.rows} enregistrements à publier (version en ligne illisible)"
    added, removed = local.difference(served)
    return (
        f"contenu : {_plural(added, 'ligne ajoutée', 'lignes ajoutées')}, "
        f"{_plural(removed, 'ligne retirée', 'lignes retirées')} "
        f"({served.rows} → {local.rows} enregistrements)"
    )


def _publication_reasons(dataset: JSON, status: JSON) -> list[str]:
    """Why the live snapshot may not match the configuration, whatever the payload says."""
    state = status.get("status")
    if state in ("error", "limit_reached"):
        return [f"dernière publication en échec (statut {state})"]
    if not status.get("is_published", dataset.get("is_published")):
        return ["jeu non publié"]
    edited, since = _instant(dataset.get("updated_at")), _instant(status.get("since"))
    if state == "idle" and edited is not None and since is not None and edited > since:
        return ["modifications non publiées sur le portail"]
    return []


# Applying ----------------------------------------------------------------------------


def _apply_one(client: AutomationClient, change: Change, state: PortalState, run: str) -> Outcome:
    if not change.calls_portal:
        return Outcome(change.dataset_id, change.action, change.uid, True, "déjà à jour")
    uid = change.uid
    try:
        if change.action == "unchanged":
            return _verify(client, change, change.uid or "", state, "déjà à jour")
        state.begin(run, change.dataset_id, change.action)
        if change.action == "delete":
            client.delete_dataset(change.uid or "")
            state.end(change.dataset_id, "supprimé", None)
            return Outcome(change.dataset_id, "delete", change.uid, True, "supprimé du portail")
        if uid is None:
            assert change.payload is not None  # only deletions have none
            created = client.create_dataset(
                change.dataset_id, change.payload.metadata, is_restricted=True
            )
            uid = created["uid"]
        if change.writes_data:
            _write(client, change, uid)
        done = {"create": "créé et publié", "update": "mis à jour et publié"}[change.action]
        return _verify(client, change, uid, state, done if change.writes_data else "déjà publié")
    except PortalAuthError:
        raise
    except PortalError as exc:
        state.end(change.dataset_id, "échec", None)
        return Outcome(change.dataset_id, change.action, uid, False, str(exc))
    except OSError as exc:
        state.end(change.dataset_id, "échec", None)
        return Outcome(
            change.dataset_id,
            change.action,
            uid,
            False,
            f"fichier illisible {exc.filename} : {exc.strerror} — relancez la validation puis "
            "la publication",
        )


def _write(client: AutomationClient, change: Change, uid: str) -> None:
    """Every write of one existing dataset, then its publication."""
    payload = change.payload
    assert payload is not None  # only deletions have none
    for step in change.resource_steps:
        _apply_resource(client, uid, step)
    for resource_uid in change.obsolete_resources:
        client.delete_resource(uid, resource_uid)
    templates: dict[str, dict[str, Any]] = {}
    for template, name in change.metadata_fields:
        templates.setdefault(template, {})[name] = payload.metadata[template][name]
    for template, values in templates.items():
        client.update_template(uid, template, values)
    only_metadata = change.action == "update" and not change.republish
    client.publish(uid, "publish_metadata" if only_metadata else "publish")


def _apply_resource(client: AutomationClient, uid: str, step: ResourceStep) -> None:
    """Upload if needed, then create or repoint the resource; the name is taken from the
    bytes actually sent, so it can never disagree with them."""
    file_uid = step.file_uid
    if file_uid is None:
        data = step.file.path.read_bytes()
        uploaded = client.upload_file(uid, upload_name(step.file.path.name, data), data)
        file_uid = uploaded["uid"]
    if step.resource_uid is None:
        client.create_resource(uid, step.file, file_uid)
    else:
        client.update_resource(uid, step.resource_uid, step.file, file_uid)


def _verify(
    client: AutomationClient, change: Change, uid: str, state: PortalState, done: str
) -> Outcome:
    """Read the dataset back through Explore, make it public if it was restricted, and
    remember it as verified; a gap leaves it as it is (restricted or public)."""
    payload = change.payload
    assert payload is not None
    read_back = read_back_dataset(client, payload, uid, other_sources=change.other_sources)
    records = _plural(read_back.portal_records, "enregistrement")
    if not read_back.ok:
        state.end(change.dataset_id, "relecture en écart", None)
        kept = " : le jeu reste restreint" if change.go_public else ""
        return Outcome(
            change.dataset_id,
            change.action,
            uid,
            False,
            f"{done}, mais la relecture du catalogue diffère du fichier ({records}){kept}",
            read_back,
        )
    if change.go_public:
        client.make_public(uid)
        client.publish(uid, "publish_metadata")
    updated_at = str(client.get_dataset(uid).get("updated_at"))
    verified = "vérifié, rendu public" if change.go_public else "vérifié"
    state.end(
        change.dataset_id,
        f"publié, {verified}",
        Verified(
            change.dataset_id,
            uid,
            change.content_hash,
            change.metadata_hash,
            updated_at,
            read_back.portal_records,
        ),
    )
    return Outcome(
        change.dataset_id, change.action, uid, True, f"{done} ({records}, {verified})", read_back
    )


def read_back_dataset(
    client: AutomationClient, payload: DatasetPayload, uid: str, *, other_sources: bool = False
) -> ReadBack:
    """Compare what Explore serves with the local files: record count and content digest,
    allowing a short indexing lag before concluding. With realtime sources besides the
    files, only a lower bound of the count can be checked."""
    local = _local_fingerprint(payload)
    expected = local.rows if local is not None else _local_count(payload)
    compare_rows = local is not None and not other_sources
    path = payload.files[0].path if payload.files else None
    result: ReadBack | None = None
    for attempt in range(READ_BACK_ATTEMPTS):
        info = client.explore_dataset(payload.dataset_id)
        if info is not None and info.get("dataset_uid") in (None, uid):
            count = int((info.get("metas") or {}).get("default", {}).get("records_count") or 0)
            digests = None
            if compare_rows and local is not None:
                digests = (local.digest, _served_digest(client, payload.dataset_id))
            result = ReadBack(payload.dataset_id, path, expected, count, digests, other_sources)
            if result.ok:
                return result
        if attempt + 1 < READ_BACK_ATTEMPTS:
            time.sleep(client.poll_interval)
    if result is None:
        raise PortalError(
            f"le jeu {payload.dataset_id} est publié mais le catalogue public ne le montre pas",
            dataset_id=payload.dataset_id,
            hint="attendez quelques minutes puis relancez : la publication sera vérifiée à nouveau",
        )
    return result


def _served_digest(client: AutomationClient, dataset_id: str) -> str:
    try:
        return table_fingerprint([read_csv_text(client.explore_export_csv(dataset_id), ",")]).digest
    except ValueError:
        return "export illisible"


def _local_fingerprint(payload: DatasetPayload) -> TableFingerprint | None:
    """Canonical rows of the local files when all are CSV, else None."""
    if not payload.files or any(f.extractor != "csvfile" for f in payload.files):
        return None
    try:
        frames = [
            read_csv_text(
                f.path.read_bytes(),
                str(f.params.get("separator") or ","),
                str(f.params.get("encoding") or "utf-8"),
            )
            for f in payload.files
        ]
    except ValueError:
        return None
    return table_fingerprint(frames)


def _local_count(payload: DatasetPayload) -> int | None:
    """Records in JSON (array) or GeoJSON (features) files; None when unknown."""
    total = 0
    for resource in payload.files:
        try:
            document = json.loads(resource.path.read_bytes())
        except ValueError:
            return None
        items = document.get("features") if isinstance(document, dict) else document
        if not isinstance(items, list):
            return None
        total += len(items)
    return total


# Helpers -----------------------------------------------------------------------------


def _client(clients: Clients, commune: str) -> AutomationClient:
    try:
        return clients[commune]
    except KeyError:
        raise PortalAuthError(
            f"aucune clé d'API pour la commune {commune}",
            hint=f"définissez PUBLISHER_ODS_API_KEY_{commune.upper().replace('-', '_')} "
            "(ou PUBLISHER_ODS_API_KEY pour une clé de la métropole)",
        ) from None


def _belongs(dataset_id: str, commune: str) -> bool:
    """Dataset ids are `<commune>-<name>`: what a commune may prune, whatever the key."""
    return dataset_id.startswith(f"{commune}-")


def _upload_name(payload: DatasetPayload, resource: ResourceFile) -> str:
    try:
        return resource.upload_name()
    except OSError as exc:
        raise InputFileError(
            f"fichier du jeu {payload.dataset_id} illisible : {exc.strerror}",
            path=resource.path,
            hint="vérifiez que le fichier existe toujours et est lisible, puis relancez "
            "la publication",
        ) from None


def _file_lines(files: tuple[ResourceFile, ...]) -> tuple[str, ...]:
    return tuple(f"fichier {f.path.name} ajouté" for f in files)


def _take(resources: list[JSON], matches: Callable[[JSON], bool]) -> JSON | None:
    """Remove and return the first resource that matches, so that each is claimed once."""
    for index, resource in enumerate(resources):
        if matches(resource):
            return resources.pop(index)
    return None


def _file_uid(resource: JSON) -> str | None:
    datasource = resource.get("datasource") or {}
    if datasource.get("type") != "uploaded_file":
        return None
    return (datasource.get("file") or {}).get("uid")


def _settings_differ(resource: JSON, wanted: ResourceFile) -> bool:
    """Title, type and the params the payload sets; params the portal adds are ignored."""
    params = resource.get("params") or {}
    return (
        resource.get("title") != wanted.title
        or resource.get("type") != wanted.extractor
        or any(params.get(key) != value for key, value in wanted.params.items())
    )


def _same_value(portal: Any, local: Any) -> bool:
    """Equal values, counting `…Z` and `…+00:00` spellings of one instant as equal."""
    if portal == local:
        return True
    if isinstance(portal, str) and isinstance(local, str):
        left, right = _instant(portal), _instant(local)
        return left is not None and left == right
    return False


def _instant(value: Any) -> datetime | None:
    """An aware datetime from an ISO string, else None (dates alone are not instants)."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _shown(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    text = " ".join(text.split())
    return f"« {text[: SHOWN_VALUE - 1]}… »" if len(text) > SHOWN_VALUE else f"« {text} »"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    """French plural: 0 and 1 are singular."""
    return f"{count} {singular if count <= 1 else (plural or singular + 's')}"
