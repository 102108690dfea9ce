"""Client behaviour that needs a scripted portal: retries, error mapping, publish polling."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from publisher.errors import PortalAuthError, PortalError, PortalUnavailableError, PublisherError
from publisher.portal import AutomationClient, ResourceFile

KEY = "cle-secrete-abcdef123456"
BASE = "https://portail.example"
STATUS_PATH = "/api/automation/v1.0/datasets/da_abc123/status/"
PUBLISH_PATH = "/api/automation/v1.0/datasets/da_abc123/publish/"

Handler = Callable[[httpx.Request], httpx.Response]


def make_client(handler: Handler, **options: object) -> AutomationClient:
    settings: dict[str, object] = {
        "poll_interval": 0.001,
        "publish_timeout": 5.0,
        "retry_initial": 0.001,
        "retry_max": 0.005,
    }
    settings.update(options)
    return AutomationClient(BASE, KEY, transport=httpx.MockTransport(handler), **settings)  # type: ignore[arg-type]


def error(status: int, code: str, message: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error_code": code, "message": message}, headers=headers)


def empty_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, json={"total_count": 0, "next": None, "previous": None, "results": []}
    )


def test_retries_503_then_succeeds_and_sends_the_key_in_the_header_only() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) < 3:
            return error(503, "unavailable", "Service indisponible")
        return empty_page(request)

    with make_client(handler) as client:
        assert client.find_dataset("begles-budget") is None

    assert len(seen) == 3
    for request in seen:
        assert request.headers["Authorization"] == f"apikey {KEY}"
        assert KEY not in str(request.url)
        assert request.url.path == "/api/automation/v1.0/datasets/"
        assert request.url.params["dataset_id"] == "begles-budget"


def test_429_honours_retry_after() -> None:
    waits: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if not waits:
            waits.append("429")
            return error(429, "too_many_requests", "Trop de requêtes", **{"Retry-After": "0"})
        return empty_page(request)

    with make_client(handler, retry_initial=30.0, retry_max=60.0) as client:
        assert client.find_dataset("begles-budget") is None
    assert waits == ["429"]


def test_500_is_retried_for_reads_and_idempotent_uploads() -> None:
    attempts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.method)
        return error(500, "internal_error", "A server error occurred.")

    with make_client(handler, max_attempts=3) as client:
        for call in (
            lambda: client.get_status("da_abc123"),
            lambda: client.upload_file("da_abc123", "a.csv", b"a\n"),
        ):
            with pytest.raises(PortalUnavailableError):
                call()
    assert attempts == ["GET"] * 3 + ["POST"] * 3


def test_a_creation_is_asked_again_only_after_looking_whether_it_landed() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if request.method == "POST":
            return error(500, "internal_error", "A server error occurred.")
        return empty_page(request)

    resource = ResourceFile(Path("a.csv"), "a.csv", "csvfile", {"separator": ";"})
    with make_client(handler, max_attempts=3) as client, pytest.raises(PortalUnavailableError):
        client.create_resource("da_abc123", resource, "a.123.csv")
    assert calls == ["POST", "GET", "POST", "GET", "POST"]


def test_a_key_of_one_commune_is_refused_for_another_before_any_call() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return empty_page(request)

    with make_client(handler, commune="begles") as client:
        assert client.find_dataset("begles-budget") is None
        for call in (
            lambda: client.find_dataset("talence-budget"),
            lambda: client.create_dataset("talence-budget", {"default": {"title": "B"}}),
            lambda: client.get_status("da_unknown"),
        ):
            with pytest.raises(PortalAuthError, match="commune begles ne peut pas") as raised:
                call()
            assert "PUBLISHER_ODS_API_KEY_<COMMUNE>" in str(raised.value)
    assert calls == ["/api/automation/v1.0/datasets/"]


@pytest.mark.parametrize(
    ("status", "kind", "fragment"),
    [
        (400, PortalError, "le portail refuse la requête pour le jeu da_abc123"),
        (401, PortalAuthError, "clé d'API refusée par le portail"),
        (403, PortalAuthError, "la clé d'API n'a pas le droit d'agir"),
        (404, PortalError, "introuvable sur le portail (404)"),
    ],
)
def test_client_errors_are_not_retried_and_explained_in_french(
    status: int, kind: type[PortalError], fragment: str
) -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(status)
        return error(status, "some_error", f"refus ({KEY})")

    with make_client(handler) as client, pytest.raises(kind) as raised:
        client.get_status("da_abc123")
    assert attempts == [status]
    assert type(raised.value) is kind
    assert raised.value.status_code == status
    assert fragment in str(raised.value)
    assert raised.value.hint
    assert KEY not in str(raised.value)


def test_validation_detail_is_shown() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {
            "error_code": "validation_error",
            "message": "Invalid input",
            "detail": {"metadata.default.title": ["This field is required"]},
        }
        return httpx.Response(400, json=body)

    with make_client(handler) as client, pytest.raises(PortalError) as raised:
        client.create_dataset("begles-budget", {"default": {"language": "fr"}})
    assert raised.value.error_code == "validation_error"
    assert "metadata.default.title : This field is required" in str(raised.value)
    assert "begles-budget" in str(raised.value)


def _transport_exceptions(base: type[Exception]) -> Iterator[type[Exception]]:
    for subclass in base.__subclasses__():
        yield subclass
        yield from _transport_exceptions(subclass)


TRANSPORT_EXCEPTIONS = sorted(
    set(_transport_exceptions(httpx.RequestError)), key=lambda c: c.__name__
)
RETRIED = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def test_every_httpx_transport_exception_is_covered() -> None:
    names = {exc.__name__ for exc in TRANSPORT_EXCEPTIONS}
    assert {"ConnectError", "ReadTimeout", "RemoteProtocolError", "ProxyError"} <= names
    assert len(TRANSPORT_EXCEPTIONS) >= 15


@pytest.mark.parametrize("exception", TRANSPORT_EXCEPTIONS, ids=lambda c: c.__name__)
def test_each_httpx_exception_becomes_a_publisher_error(exception: type[Exception]) -> None:
    attempts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(1)
        raise exception(f"échec simulé avec {KEY}", request=request)  # type: ignore[call-arg]

    with make_client(handler, max_attempts=3) as client, pytest.raises(PublisherError) as raised:
        client.get_status("da_abc123")
    assert isinstance(raised.value, PortalError)
    assert KEY not in str(raised.value)
    assert "da_abc123" in str(raised.value)
    if issubclass(exception, RETRIED):
        assert isinstance(raised.value, PortalUnavailableError)
        assert len(attempts) == 3
    else:
        assert len(attempts) == 1


def test_missing_key_is_refused_before_any_call() -> None:
    with pytest.raises(PortalAuthError, match="aucune clé d'API"):
        AutomationClient(BASE, "  ")


def test_repr_hides_the_key() -> None:
    with make_client(empty_page) as client:
        assert KEY not in repr(client)
        assert BASE in repr(client)


def status_body(state: str, since: str, published: bool, message: str | None = None) -> dict:
    return {
        "status": state,
        "previous": None,
        "next": None,
        "since": since,
        "is_published": published,
        "message": message,
        "records_errors": [],
        "params": {},
    }


class ScriptedPortal:
    """Answers status reads from a script and counts publish orders."""

    def __init__(self, statuses: list[dict], publish_answers: list[httpx.Response]) -> None:
        self.statuses = statuses
        self.publish_answers = publish_answers
        self.reads = 0
        self.orders = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == STATUS_PATH:
            status = self.statuses[min(self.reads, len(self.statuses) - 1)]
            self.reads += 1
            return httpx.Response(200, json=status)
        assert request.url.path == PUBLISH_PATH
        answer = self.publish_answers[min(self.orders, len(self.publish_answers) - 1)]
        self.orders += 1
        return answer


OK = httpx.Response(200, json={"detail": "ok"})


def test_republish_does_not_take_the_previous_idle_for_done() -> None:
    old = status_body("idle", "2026-03-01T10:00:00Z", True)
    portal = ScriptedPortal(
        [old, old, old, status_body("idle", "2026-03-01T10:05:00Z", True)], [OK]
    )
    with make_client(portal) as client:
        final = client.publish("da_abc123")
    assert final["since"] == "2026-03-01T10:05:00Z"
    assert portal.reads == 4 and portal.orders == 1


def test_busy_state_then_idle_counts_as_done_even_with_the_same_since() -> None:
    old = status_body("idle", "2026-03-01T10:00:00Z", True)
    portal = ScriptedPortal(
        [old, status_body("processing", "2026-03-01T10:00:01Z", True), old], [OK]
    )
    with make_client(portal) as client:
        assert client.publish("da_abc123")["status"] == "idle"


def test_invalid_dataset_status_on_publish_means_busy() -> None:
    busy = error(400, "invalid_dataset_status", "dataset status is 'queued'")
    portal = ScriptedPortal(
        [
            status_body("idle", "2026-03-01T10:00:00Z", False),
            status_body("processing", "2026-03-01T10:00:01Z", False),
            status_body("idle", "2026-03-01T10:00:02Z", True),
            status_body("processing", "2026-03-01T10:00:03Z", True),
            status_body("idle", "2026-03-01T10:00:04Z", True),
        ],
        [busy, OK],
    )
    with make_client(portal) as client:
        final = client.publish("da_abc123")
    assert portal.orders == 2
    assert final["since"] == "2026-03-01T10:00:04Z"


def test_processing_error_is_a_portal_error_with_the_portal_message() -> None:
    portal = ScriptedPortal(
        [
            status_body("idle", "2026-03-01T10:00:00Z", False),
            status_body("queued", "2026-03-01T10:00:01Z", False),
            status_body("error", "2026-03-01T10:00:02Z", False, "ligne 3 : 3 cellules"),
        ],
        [OK],
    )
    with make_client(portal) as client, pytest.raises(PortalError) as raised:
        client.publish("da_abc123")
    assert raised.value.error_code == "error"
    assert "a échoué (statut error) : ligne 3 : 3 cellules" in str(raised.value)


def test_publish_gives_up_after_the_timeout() -> None:
    portal = ScriptedPortal([status_body("processing", "2026-03-01T10:00:00Z", False)], [OK])
    with (
        make_client(portal, publish_timeout=0.05) as client,
        pytest.raises(PortalUnavailableError, match="n'est pas terminée après"),
    ):
        client.publish("da_abc123")
    assert portal.orders == 0


def test_create_after_a_lost_answer_returns_the_dataset_that_landed() -> None:
    created = {"uid": "da_abc123", "dataset_id": "begles-budget", "is_published": False}
    calls: list[str] = []
    bodies: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if request.method == "POST":
            bodies.append(json.loads(request.content))
            if calls.count("POST") == 1:
                raise httpx.ReadTimeout("réponse perdue", request=request)
            detail = {"dataset_id": ["Un jeu de données « begles-budget » existe déjà."]}
            return httpx.Response(
                400, json={"error_code": "validation_error", "message": "x", "detail": detail}
            )
        page = {"total_count": 1, "next": None, "previous": None, "results": [created]}
        return httpx.Response(200, json=page)

    with make_client(handler) as client:
        dataset = client.create_dataset("begles-budget", {"default": {"title": "Budget"}})
    assert dataset["uid"] == "da_abc123"
    assert calls == ["POST", "GET"]
    assert bodies[0] == {
        "dataset_id": "begles-budget",
        "is_restricted": True,
        "metadata": {"default": {"title": {"value": "Budget"}}},
    }
