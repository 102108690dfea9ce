"""Helpers shared by the portal tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import httpx

from publisher.portal import AutomationClient, DatasetPayload
from publisher.portal.content import read_csv_text, table_fingerprint

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CountingTransport(httpx.BaseTransport):
    """Real HTTP transport that remembers every (method, path) it sent and the statuses."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.calls: list[tuple[str, str]] = []
        self.statuses: Counter[int | str] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        try:
            response = self.inner.handle_request(request)
            response.read()  # a connection cut in the body shows here
        except httpx.TransportError as error:
            self.statuses[type(error).__name__] += 1
            raise
        self.statuses[response.status_code] += 1
        return response

    def close(self) -> None:
        self.inner.close()

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [call for call in self.calls if call[0] in WRITE_METHODS]

    def reset(self) -> None:
        self.calls.clear()
        self.statuses.clear()


PayloadFactory = Callable[..., DatasetPayload]

SUBVENTIONS = (
    "Bénéficiaire;Montant (€);Date de vote;Code INSEE\n"
    "Club de rugby;1200.50;2026-01-15;33039\n"
    "Amicale laïque;300;2026-02-03;33039\n"
    "Les Jardins partagés;750;2026-02-20;33039\n"
)


def portal_picture(client: AutomationClient) -> dict[str, object]:
    """Everything an officer would compare between two portals: per dataset, its resources
    (titles and files), managed metadata, publication and the rows Explore serves."""
    picture: dict[str, object] = {}
    for dataset in client.list_datasets():
        uid = dataset["uid"]
        metadata = client.get_metadata(uid)
        export = client.explore_export_csv(dataset["dataset_id"])
        picture[dataset["dataset_id"]] = {
            "resources": sorted(
                (r["title"], r["datasource"]["file"]["uid"]) for r in client.list_resources(uid)
            ),
            "metadata": {t: metadata[t] for t in ("default", "internal") if t in metadata},
            "published": client.get_status(uid)["is_published"],
            "restricted": dataset["is_restricted"],
            "rows": table_fingerprint([read_csv_text(export, ",")]).lines,
        }
    return picture
