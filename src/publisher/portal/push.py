"""Send records to a realtime dataset through the Push API, in batches, never twice.

The dataset must be published; its realtime source is created on first use with the fields
the records may carry. Each batch is acknowledged before the next one is sent and the hashes
of its records are kept in the portal state: a record already acknowledged is not sent again,
and a batch whose answer was lost and is sent again replaces itself on the portal (same
records, same ids).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from publisher.errors import PortalError
from publisher.portal.client import AutomationClient
from publisher.portal.content import stable_hash
from publisher.portal.state import PortalState

SOURCE_TITLE = "Temps réel"


@dataclass(frozen=True)
class PushResult:
    """How many records went to the portal, and how many had already gone."""

    sent: int
    already_sent: int
    batches: int


def push_records(
    client: AutomationClient,
    state: PortalState,
    dataset_id: str,
    records: Sequence[dict[str, Any]],
    *,
    fields: list[str],
    record_id_fields: list[str],
    batch_size: int = 100,
) -> PushResult:
    """Push `records` (already valid) to the realtime source of `dataset_id`."""
    dataset = client.find_dataset(dataset_id)
    if dataset is None or not dataset.get("is_published"):
        raise PortalError(
            f"le jeu {dataset_id} n'est pas publié sur le portail : rien ne peut y être poussé",
            dataset_id=dataset_id,
            hint="publiez d'abord le jeu (publisher publish), puis relancez publisher push",
        )
    uid = dataset["uid"]
    source = next(
        (
            r
            for r in client.list_resources(uid)
            if (r.get("datasource") or {}).get("type") == "realtime"
        ),
        None,
    ) or client.create_realtime_source(uid, SOURCE_TITLE, fields, record_id_fields)
    pushkey = str(source["datasource"].get("pushkey") or "")
    done = state.pushed(dataset_id)
    waiting = [(stable_hash(r), r) for r in records]
    waiting = [(h, r) for h, r in dict(waiting).items() if h not in done]
    batches = 0
    for start in range(0, len(waiting), batch_size):
        batch = waiting[start : start + batch_size]
        client.push_records(dataset_id, source["uid"], pushkey, [record for _, record in batch])
        state.mark_pushed(dataset_id, (record_hash for record_hash, _ in batch))
        batches += 1
    return PushResult(len(waiting), len(records) - len(waiting), batches)
