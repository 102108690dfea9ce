"""A flaky portal (errors, lost answers, cut uploads, 429 bursts) ends like a clean one."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from publisher.portal import (
    AutomationClient,
    DatasetPayload,
    Faults,
    PortalState,
    SandboxServer,
    apply_changes,
    plan_changes,
)

from .helpers import SUBVENTIONS, CountingTransport, PayloadFactory, portal_picture

FAST = {"queued_delay": 0.01, "processing_delay": 0.02}
MAX_RUNS = 3


def publish_until_converged(
    portal: SandboxServer, payloads: list[DatasetPayload], state: PortalState
) -> tuple[int, CountingTransport]:
    """Run plan + apply as `publisher publish` would, again while something failed."""
    transport = CountingTransport()
    clients = {
        commune: AutomationClient(
            portal.url,
            portal.commune_key(commune),
            commune=commune,
            transport=transport,
            poll_interval=0.01,
            retry_initial=0.005,
            retry_max=0.02,
        )
        for commune in sorted({p.commune for p in payloads})
    }
    try:
        for run in range(1, MAX_RUNS + 1):
            plan = plan_changes(clients, payloads, state, concurrency=4)
            outcomes = apply_changes(clients, plan, state, concurrency=4)
            if all(outcome.ok for outcome in outcomes):
                return run, transport
        raise AssertionError([o for o in outcomes if not o.ok])
    finally:
        for client in clients.values():
            client.close()


@pytest.fixture
def payloads(make_payload: PayloadFactory) -> list[DatasetPayload]:
    extra = "Bénéficiaire;Montant (€);Date de vote;Code INSEE\nChorale;80;2026-03-01;33039\n"
    return [
        make_payload(
            f"{commune}-jeu-{number}",
            files={"subventions.csv": SUBVENTIONS, "complement.csv": extra},
            title=f"Jeu {number} de {commune}",
        )
        for commune in ("begles", "pessac", "talence")
        for number in range(4)
    ]


def test_twenty_percent_of_failing_calls_end_in_the_same_portal_as_a_clean_run(
    tmp_path: Path, payloads: list[DatasetPayload]
) -> None:
    with SandboxServer(tmp_path / "clean", **FAST) as clean:
        runs, _ = publish_until_converged(clean, payloads, PortalState(tmp_path / "a.sqlite3"))
        assert runs == 1
        with AutomationClient(clean.url, clean.api_key) as admin:
            expected = portal_picture(admin)

    faults = Faults(
        error_rate=0.1, drop_rate=0.05, burst_rate=0.05, burst_length=2, retry_after=0, seed=7
    )
    with SandboxServer(tmp_path / "flaky", faults=faults, **FAST) as flaky:
        state = PortalState(tmp_path / "b.sqlite3")
        runs, transport = publish_until_converged(flaky, payloads, state)
        failed = sum(
            n
            for status, n in transport.statuses.items()
            if status != 200 and status != 201 and status != 204
        )
        assert failed / sum(transport.statuses.values()) >= 0.15, transport.statuses
        assert {429, 500, 502, 503, 504, "RemoteProtocolError"} <= set(transport.statuses)
        with AutomationClient(flaky.url, flaky.api_key) as admin:
            assert portal_picture(admin) == expected  # zero duplicates, zero lost
        assert state.interrupted() == []


def test_rate_limit_answers_429_with_retry_after_in_both_error_shapes(tmp_path: Path) -> None:
    faults = Faults(rate_limit=2, rate_window=30)
    with SandboxServer(tmp_path / "p", faults=faults, **FAST) as portal:
        headers = {"Authorization": f"apikey {portal.api_key}"}
        with httpx.Client(base_url=portal.url, headers=headers) as http:
            answers = [http.get("/api/automation/v1.0/datasets/") for _ in range(3)]
            explore = http.get("/api/explore/v2.1/catalog/datasets")
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].json()["error_code"] == "too_many_requests"
    assert 0 < float(answers[2].headers["Retry-After"]) <= 30
    assert answers[2].headers["X-RateLimit-Limit"] == "2"
    assert explore.status_code == 429
    assert set(explore.json()) == {
        "errorcode",
        "reset_time",
        "limit_time_unit",
        "call_limit",
        "error",
    }


# A cut connection shows as a protocol error, or a read/write error when the client was still
# sending the body: the client retries all of them (RETRIED_TRANSPORT_ERRORS).
DROPPED = (httpx.RemoteProtocolError, httpx.NetworkError)


def test_connection_cut_mid_upload_stores_nothing_and_the_client_retries(
    tmp_path: Path, make_payload: PayloadFactory
) -> None:
    with SandboxServer(tmp_path / "p", faults=Faults(drop_rate=1.0), **FAST) as portal:
        headers = {"Authorization": f"apikey {portal.api_key}"}
        with httpx.Client(base_url=portal.url, headers=headers) as http:
            with pytest.raises(DROPPED):
                http.post(
                    "/api/automation/v1.0/datasets/da_x/resources/files/",
                    files={"file": ("a.csv", b"a\n1\n", "text/csv")},
                )
            with pytest.raises(DROPPED):
                http.post(
                    "/api/automation/v1.0/datasets/",
                    json={"dataset_id": "begles-coupe", "metadata": {"default": {}}},
                )
