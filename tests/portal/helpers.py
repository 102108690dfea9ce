"""Helpers shared by the portal tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from publisher.portal import DatasetPayload

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CountingTransport(httpx.BaseTransport):
    """Real HTTP transport that remembers every (method, path) it sent."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.calls: list[tuple[str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()

    @property
    def writes(self) -> list[tuple[str, str]]:
        return [call for call in self.calls if call[0] in WRITE_METHODS]

    def reset(self) -> None:
        self.calls.clear()


PayloadFactory = Callable[..., DatasetPayload]

SUBVENTIONS = (
    "Bénéficiaire;Montant (€);Date de vote;Code INSEE\n"
    "Club de rugby;1200.50;2026-01-15;33039\n"
    "Amicale laïque;300;2026-02-03;33039\n"
    "Les Jardins partagés;750;2026-02-20;33039\n"
)
