"""Fixtures: a real sandbox portal on loopback per test, and clients that count their calls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher.portal import AutomationClient, DatasetPayload, ResourceFile, SandboxServer

from .helpers import SUBVENTIONS, CountingTransport, PayloadFactory


@pytest.fixture
def portal(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[SandboxServer]:
    """Short delays by default; a test that must see every state asks for longer ones."""
    marker = request.node.get_closest_marker("sandbox_delays")
    delays = marker.kwargs if marker else {"queued_delay": 0.02, "processing_delay": 0.05}
    with SandboxServer(tmp_path / "state", **delays) as server:
        yield server


@pytest.fixture
def transport() -> CountingTransport:
    return CountingTransport()


@pytest.fixture
def client(portal: SandboxServer, transport: CountingTransport) -> Iterator[AutomationClient]:
    with AutomationClient(
        portal.url,
        portal.api_key,
        transport=transport,
        poll_interval=0.02,
        publish_timeout=10,
        retry_initial=0.01,
        retry_max=0.05,
    ) as automation:
        yield automation


@pytest.fixture
def make_payload(tmp_path: Path) -> PayloadFactory:
    """Write CSV files under tmp_path and describe them as a payload."""

    def factory(
        dataset_id: str = "begles-subventions",
        files: dict[str, str] | None = None,
        title: str = "Subventions aux associations",
        **default: object,
    ) -> DatasetPayload:
        commune = dataset_id.split("-")[0]
        folder = tmp_path / "data" / dataset_id
        folder.mkdir(parents=True, exist_ok=True)
        contents = files or {"subventions.csv": SUBVENTIONS}
        resources = []
        for name, text in contents.items():
            path = folder / name
            path.write_text(text, encoding="utf-8")
            resources.append(
                ResourceFile(
                    path,
                    name,
                    "csvfile",
                    {"separator": ";", "encoding": "utf-8", "headers_first_row": True},
                )
            )
        metadata = {
            "default": {
                "title": title,
                "language": "fr",
                "modified": "2026-03-01T00:00:00Z",
                "keyword": ["subventions", "associations"],
                **default,
            },
            "internal": {"license_id": "lov2"},
        }
        return DatasetPayload(dataset_id, commune, metadata, tuple(resources))

    return factory
