"""Plan and apply the push of validated datasets to the portal.

`plan_changes` only reads (three calls per dataset: lookup by `dataset_id`, resources,
status) and says, per dataset, what would change and why. `apply_changes` then writes only
what the plan found different, so that a dataset already up to date costs no write at all.

Change detection compares what the payload manages, nothing else:
- the metadata fields it lists (a field edited by hand on the portal and absent from the
  payload is left alone);
- the resources, through the content-addressed file name each resource points to (a new
  hash means new bytes, without downloading anything), plus their title, type and params;
- the publication: unpublished, last publication failed, or configuration edited after
  the last publication (an interrupted run).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from publisher.errors import InputFileError, PortalAuthError, PortalError
from publisher.portal.client import AutomationClient
from publisher.portal.payload import DatasetPayload, ResourceFile, same_upload, upload_name

Action = Literal["create", "update", "unchanged"]
READ_BACK_ATTEMPTS = 4


@dataclass(frozen=True)
class ResourceStep:
    """One resource to write: `resource_uid` None creates it, `file_uid` None uploads first."""

    file: ResourceFile
    resource_uid: str | None
    file_uid: str | None


@dataclass(frozen=True)
class Change:
    """What pushing one dataset would do, and the French reasons shown to the user."""

    dataset_id: str
    commune: str
    action: Action
    reasons: tuple[str, ...]
    payload: DatasetPayload
    uid: str | None
    metadata_fields: tuple[tuple[str, str], ...] = ()
    resource_steps: tuple[ResourceStep, ...] = ()
    obsolete_resources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """Result of applying one change; `message` is French and says what to do on failure."""

    dataset_id: str
    action: Action
    uid: str | None
    ok: bool
    message: str


def plan_changes(client: AutomationClient, payloads: Iterable[DatasetPayload]) -> list[Change]:
    """Compare each payload with the portal, reading only."""
    return [_plan_one(client, payload) for payload in payloads]


def apply_changes(
    client: AutomationClient,
    changes: Iterable[Change],
    *,
    on_progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Apply the planned changes one dataset at a time.

    A dataset that fails gets a failed Outcome and the others go on; a refused key
    (`PortalAuthError`) stops the run, since every following call would be refused too.
    `on_progress` sees each Outcome as soon as it is known.
    """
    outcomes = []
    for change in changes:
        outcome = _apply_one(client, change)
        outcomes.append(outcome)
        if on_progress is not None:
            on_progress(outcome)
    return outcomes


def _plan_one(client: AutomationClient, payload: DatasetPayload) -> Change:
    names = [_upload_name(payload, resource) for resource in payload.files]
    dataset = client.find_dataset(payload.dataset_id)
    if dataset is None:
        return Change(
            dataset_id=payload.dataset_id,
            commune=payload.commune,
            action="create",
            reasons=("jeu absent du portail",),
            payload=payload,
            uid=None,
            resource_steps=tuple(ResourceStep(f, None, None) for f in payload.files),
        )
    uid = dataset["uid"]
    reasons: list[str] = []

    metadata = dataset.get("metadata") or client.get_metadata(uid)
    fields = []
    for template, values in payload.metadata.items():
        for name, value in values.items():
            current = (metadata.get(template) or {}).get(name)
            if not isinstance(current, dict) or "value" not in current:
                fields.append((template, name))
                reasons.append(f"métadonnée {template}.{name} ajoutée")
            elif not _same_value(current["value"], value):
                fields.append((template, name))
                reasons.append(f"métadonnée {template}.{name} modifiée")

    unclaimed = client.list_resources(uid)
    steps = []
    for resource, name in zip(payload.files, names, strict=True):
        match = _take(unclaimed, lambda r, n=name: same_upload(_file_uid(r), n)) or _take(
            unclaimed, lambda r, t=resource.title: r.get("title") == t
        )
        if match is None:
            steps.append(ResourceStep(resource, None, None))
            reasons.append(f"fichier {resource.path.name} ajouté")
        elif not same_upload(_file_uid(match), name):
            steps.append(ResourceStep(resource, match["uid"], None))
            reasons.append(f"fichier {resource.path.name} modifié")
        elif _settings_differ(match, resource):
            steps.append(ResourceStep(resource, match["uid"], _file_uid(match)))
            reasons.append(f"paramètres de lecture de {resource.path.name} modifiés")
    for resource in unclaimed:
        reasons.append(f"ressource {resource.get('title') or resource.get('uid')} retirée")

    reasons.extend(_publication_reasons(dataset, client.get_status(uid)))
    return Change(
        dataset_id=payload.dataset_id,
        commune=payload.commune,
        action="update" if reasons else "unchanged",
        reasons=tuple(reasons),
        payload=payload,
        uid=uid,
        metadata_fields=tuple(fields),
        resource_steps=tuple(steps),
        obsolete_resources=tuple(r["uid"] for r in unclaimed),
    )


def _publication_reasons(dataset: dict[str, Any], status: dict[str, Any]) -> list[str]:
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


def _apply_one(client: AutomationClient, change: Change) -> Outcome:
    payload = change.payload
    uid = change.uid
    if change.action == "unchanged":
        return Outcome(change.dataset_id, change.action, uid, True, "déjà à jour sur le portail")
    try:
        if uid is None:
            uid = client.create_dataset(payload.dataset_id, payload.metadata)["uid"]
        for step in change.resource_steps:
            _apply_resource(client, uid, step)
        for resource_uid in change.obsolete_resources:
            client.delete_resource(uid, resource_uid)
        for template, name in change.metadata_fields:
            client.set_metadata_field(uid, template, name, payload.metadata[template][name])
        client.publish(uid)
        count = _read_back(client, change.dataset_id, uid)
    except PortalAuthError:
        raise
    except PortalError as exc:
        return Outcome(change.dataset_id, change.action, uid, False, str(exc))
    except OSError as exc:
        return Outcome(
            change.dataset_id,
            change.action,
            uid,
            False,
            f"fichier illisible {exc.filename} : {exc.strerror} — relancez la validation puis "
            "la publication",
        )
    done = "créé et publié" if change.action == "create" else "mis à jour et publié"
    records = f"{count} enregistrement{'s' if count > 1 else ''}"
    return Outcome(change.dataset_id, change.action, uid, True, f"{done} ({records})")


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


def _read_back(client: AutomationClient, dataset_id: str, uid: str) -> int:
    """Check that Explore serves this very dataset, allowing a short indexing lag."""
    for attempt in range(READ_BACK_ATTEMPTS):
        info = client.explore_dataset(dataset_id)
        if info is not None and info.get("dataset_uid") in (None, uid):
            return client.explore_records_count(dataset_id)
        if attempt + 1 < READ_BACK_ATTEMPTS:
            time.sleep(client.poll_interval)
    raise PortalError(
        f"le jeu {dataset_id} est publié mais le catalogue public ne le montre pas",
        dataset_id=dataset_id,
        hint="attendez quelques minutes puis relancez : la publication sera vérifiée à nouveau",
    )


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


def _take(
    resources: list[dict[str, Any]], matches: Callable[[dict[str, Any]], bool]
) -> dict[str, Any] | None:
    """Remove and return the first resource that matches, so that each is claimed once."""
    for index, resource in enumerate(resources):
        if matches(resource):
            return resources.pop(index)
    return None


def _file_uid(resource: dict[str, Any]) -> str | None:
    datasource = resource.get("datasource") or {}
    if datasource.get("type") != "uploaded_file":
        return None
    return (datasource.get("file") or {}).get("uid")


def _settings_differ(resource: dict[str, Any], wanted: ResourceFile) -> bool:
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
