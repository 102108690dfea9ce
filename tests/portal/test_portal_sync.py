"""Plan and apply against a real sandbox portal on loopback."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from publisher.errors import PortalAuthError
from publisher.portal import (
    AutomationClient,
    Outcome,
    SandboxServer,
    apply_changes,
    plan_changes,
)
from publisher.portal.payload import upload_name

from .helpers import SUBVENTIONS, CountingTransport, PayloadFactory


def publish(client: AutomationClient, *payloads: object) -> list[Outcome]:
    outcomes = apply_changes(client, plan_changes(client, payloads))
    assert all(outcome.ok for outcome in outcomes), outcomes
    return outcomes


def test_create_publish_then_explore_serves_the_records(
    client: AutomationClient, portal: SandboxServer, make_payload: PayloadFactory
) -> None:
    payload = make_payload()
    [change] = plan_changes(client, [payload])
    assert (change.action, change.uid, change.reasons) == (
        "create",
        None,
        ("jeu absent du portail",),
    )

    seen: list[Outcome] = []
    [outcome] = apply_changes(client, [change], on_progress=seen.append)

    assert outcome.ok and outcome.action == "create" and outcome.uid
    assert outcome.message == "créé et publié (3 enregistrements)"
    assert seen == [outcome]
    info = client.explore_dataset("begles-subventions")
    assert info is not None and info["dataset_uid"] == outcome.uid
    assert info["metas"]["default"]["title"] == "Subventions aux associations"
    assert [(f["name"], f["type"]) for f in info["fields"]] == [
        ("beneficiaire", "text"),
        ("montant", "double"),
        ("date_de_vote", "date"),
        ("code_insee", "int"),
    ]
    records = httpx.get(
        f"{portal.url}/api/explore/v2.1/catalog/datasets/begles-subventions/records"
    ).json()
    assert records["total_count"] == 3
    assert records["results"][0] == {
        "beneficiaire": "Club de rugby",
        "montant": 1200.5,
        "date_de_vote": "2026-01-15",
        "code_insee": 33039,
    }
    resources = client.list_resources(outcome.uid)
    assert [r["datasource"]["file"]["uid"] for r in resources] == [
        upload_name("subventions.csv", SUBVENTIONS.encode())
    ]


def test_second_plan_is_unchanged_and_applying_it_writes_nothing(
    client: AutomationClient, transport: CountingTransport, make_payload: PayloadFactory
) -> None:
    payloads = [make_payload(), make_payload("begles-budget", title="Budget primitif")]
    publish(client, *payloads)
    transport.reset()

    changes = plan_changes(client, payloads)

    assert [(c.action, c.reasons) for c in changes] == [("unchanged", ())] * 2
    assert transport.writes == []
    transport.reset()
    outcomes = apply_changes(client, changes)
    assert [(o.ok, o.message) for o in outcomes] == [(True, "déjà à jour sur le portail")] * 2
    assert transport.calls == []


def test_changed_file_gives_an_update_that_only_touches_the_resource(
    client: AutomationClient, transport: CountingTransport, make_payload: PayloadFactory
) -> None:
    publish(client, make_payload())
    changed = make_payload(files={"subventions.csv": SUBVENTIONS + "Chorale;80;2026-03-01;33039\n"})
    transport.reset()

    [change] = plan_changes(client, [changed])

    assert change.action == "update"
    assert change.reasons == ("fichier subventions.csv modifié",)
    transport.reset()
    [outcome] = apply_changes(client, [change])
    assert outcome.ok and outcome.message == "mis à jour et publié (4 enregistrements)"
    paths = [path.removeprefix("/api/automation/v1.0") for _, path in transport.writes]
    uid = change.uid
    assert paths == [
        f"/datasets/{uid}/resources/files/",
        f"/datasets/{uid}/resources/{client.list_resources(uid)[0]['uid']}/",
        f"/datasets/{uid}/publish/",
    ]
    assert client.explore_records_count("begles-subventions") == 4
    assert plan_changes(client, [changed])[0].action == "unchanged"


def test_metadata_change_puts_only_the_changed_fields(
    client: AutomationClient, transport: CountingTransport, make_payload: PayloadFactory
) -> None:
    publish(client, make_payload())
    edited = make_payload(title="Subventions 2026", publisher="Ville de Bègles")

    [change] = plan_changes(client, [edited])

    assert change.reasons == (
        "métadonnée default.title modifiée",
        "métadonnée default.publisher ajoutée",
    )
    transport.reset()
    assert apply_changes(client, [change])[0].ok
    metadata_writes = [(m, p) for m, p in transport.writes if "/metadata/" in p]
    assert metadata_writes == [
        ("PUT", f"/api/automation/v1.0/datasets/{change.uid}/metadata/default/title/"),
        ("PUT", f"/api/automation/v1.0/datasets/{change.uid}/metadata/default/publisher/"),
    ]
    assert not [p for _, p in transport.writes if "/resources/" in p]
    metadata = client.get_metadata(change.uid)
    assert metadata["default"]["title"] == {"value": "Subventions 2026"}
    assert metadata["default"]["language"] == {"value": "fr"}
    assert metadata["internal"]["license_id"] == {"value": "lov2"}
    info = client.explore_dataset("begles-subventions")
    assert info is not None and info["metas"]["default"]["publisher"] == "Ville de Bègles"


def test_same_instant_spelled_differently_is_not_a_change(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    publish(client, make_payload())
    [change] = plan_changes(client, [make_payload(modified="2026-03-01T00:00:00+00:00")])
    assert change.action == "unchanged"


def test_file_dropped_from_the_payload_removes_its_resource(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    extra = "Bénéficiaire;Montant (€);Date de vote;Code INSEE\nCompagnie;90;2026-04-01;33039\n"
    publish(client, make_payload(files={"subventions.csv": SUBVENTIONS, "complement.csv": extra}))
    assert client.explore_records_count("begles-subventions") == 4

    [change] = plan_changes(client, [make_payload()])

    assert change.reasons == ("ressource complement.csv retirée",)
    assert apply_changes(client, [change])[0].ok
    assert [r["title"] for r in client.list_resources(change.uid)] == ["subventions.csv"]
    assert client.explore_records_count("begles-subventions") == 3


def test_unparsable_csv_fails_its_dataset_only(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    broken = make_payload("begles-broken", files={"broken.csv": "a;b\n1;2\n3;4;5\n"}, title="Cassé")
    good = make_payload("begles-budget", title="Budget primitif")

    outcomes = apply_changes(client, plan_changes(client, [broken, good]))

    assert [(o.dataset_id, o.ok) for o in outcomes] == [
        ("begles-broken", False),
        ("begles-budget", True),
    ]
    assert "la publication du jeu begles-broken a échoué (statut error)" in outcomes[0].message
    assert "ligne 3 : 3 cellules au lieu de 2" in outcomes[0].message
    assert outcomes[0].uid is not None
    assert client.explore_dataset("begles-broken") is None
    assert client.explore_records_count("begles-budget") == 3
    [again] = plan_changes(client, [broken])
    assert again.reasons == ("dernière publication en échec (statut error)",)


def test_configuration_edited_after_publication_is_republished(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    payload = make_payload()
    [outcome] = publish(client, payload)
    assert outcome.uid is not None
    client.set_metadata_field(outcome.uid, "default", "title", payload.metadata["default"]["title"])

    [change] = plan_changes(client, [payload])

    assert change.reasons == ("modifications non publiées sur le portail",)


def test_wrong_key_stops_with_a_french_message_without_the_key(
    portal: SandboxServer, make_payload: PayloadFactory
) -> None:
    secret = "mauvaise-cle-0123456789"
    with AutomationClient(portal.url, secret) as client:
        with pytest.raises(PortalAuthError) as raised:
            plan_changes(client, [make_payload()])
        assert secret not in repr(client)
    error = raised.value
    assert error.status_code == 401
    assert "clé d'API refusée par le portail" in str(error)
    assert "begles-subventions" in str(error)
    assert "PUBLISHER_ODS_API_KEY" in str(error)
    assert secret not in str(error) and secret not in repr(error)


def test_scoped_key_is_refused_on_another_communes_dataset(
    portal: SandboxServer, make_payload: PayloadFactory
) -> None:
    key = portal.create_api_key(
        "Bègles", ("create_dataset", "edit_dataset", "publish_dataset"), commune="begles"
    )
    with AutomationClient(portal.url, key, poll_interval=0.02) as client:
        publish(client, make_payload("begles-budget"))
        changes = plan_changes(client, [make_payload("pessac-budget")])
        assert changes[0].action == "create"
        with pytest.raises(PortalAuthError) as raised:
            apply_changes(client, changes)
    assert raised.value.status_code == 403
    assert "pessac-budget" in str(raised.value)
    assert "réservée aux jeux de la commune « begles »" in str(raised.value)


def test_auth_error_stops_the_run_after_reporting_earlier_datasets(
    portal: SandboxServer, make_payload: PayloadFactory
) -> None:
    key = portal.create_api_key(
        "Bègles", ("create_dataset", "edit_dataset", "publish_dataset"), "begles"
    )
    seen: list[Outcome] = []
    with AutomationClient(portal.url, key, poll_interval=0.02) as client:
        changes = plan_changes(
            client, [make_payload("begles-a"), make_payload("pessac-b"), make_payload("begles-c")]
        )
        with pytest.raises(PortalAuthError):
            apply_changes(client, changes, on_progress=seen.append)
        assert client.find_dataset("begles-c") is None
    assert [(o.dataset_id, o.ok) for o in seen] == [("begles-a", True)]


def test_state_survives_a_restart(tmp_path: Path, make_payload: PayloadFactory) -> None:
    state = tmp_path / "state"
    payload = make_payload()
    with SandboxServer(state, processing_delay=0.05, queued_delay=0.02) as first:
        key = first.api_key
        with AutomationClient(first.url, key, poll_interval=0.02) as client:
            [outcome] = publish(client, payload)
    assert (state / "admin-api-key").stat().st_mode & 0o777 == 0o600

    with SandboxServer(state) as second:
        assert second.api_key == key
        with AutomationClient(second.url, key) as client:
            found = client.find_dataset("begles-subventions")
            assert found is not None and found["uid"] == outcome.uid
            assert client.explore_records_count("begles-subventions") == 3
            assert plan_changes(client, [payload])[0].action == "unchanged"
