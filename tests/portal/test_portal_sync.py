"""Plan and apply against a real sandbox portal on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from publisher.errors import PortalAuthError
from publisher.portal import (
    AutomationClient,
    Change,
    Outcome,
    Plan,
    PortalState,
    SandboxServer,
    read_back_dataset,
)
from publisher.portal import apply_changes as sync_apply
from publisher.portal import plan_changes as sync_plan
from publisher.portal.payload import upload_name

from .helpers import SUBVENTIONS, CountingTransport, PayloadFactory


def plan_changes(client: AutomationClient, payloads: list, **options: object) -> list[Change]:
    """Plan for payloads of any commune with one (métropole) client and the test's state."""
    return list(plan_of(client, payloads, **options).changes)


def plan_of(client: AutomationClient, payloads: list, **options: object) -> Plan:
    communes = {p.commune for p in payloads} | set(options.get("prune") or {})  # type: ignore[arg-type]
    return sync_plan({c: client for c in communes}, payloads, state_of(client), **options)  # type: ignore[arg-type]


def apply_changes(
    client: AutomationClient, changes: list[Change], **options: object
) -> list[Outcome]:
    communes = {c.commune for c in changes}
    return sync_apply(
        {c: client for c in communes},
        Plan(tuple(changes)),
        state_of(client),
        **options,  # type: ignore[arg-type]
    )


STATES: dict[str, PortalState] = {}
STATE_DIR: list[Path] = []


@pytest.fixture(autouse=True)
def _state_dir(tmp_path: Path) -> Iterator[None]:
    STATE_DIR[:] = [tmp_path / "publication-state"]
    yield
    STATES.clear()


def state_of(client: AutomationClient) -> PortalState:
    """One state per portal, as `publisher.publishing` keeps it."""
    if client.base_url not in STATES:
        name = client.base_url.rsplit(":", 1)[-1]
        STATES[client.base_url] = PortalState(STATE_DIR[0] / f"{name}.sqlite3")
    return STATES[client.base_url]


def publish(client: AutomationClient, *payloads: object) -> list[Outcome]:
    outcomes = apply_changes(client, plan_changes(client, list(payloads)))
    assert all(outcome.ok for outcome in outcomes), outcomes
    return outcomes


def test_create_publish_then_explore_serves_the_records(
    client: AutomationClient, portal: SandboxServer, make_payload: PayloadFactory
) -> None:
    payload = make_payload()
    [change] = plan_changes(client, [payload])
    assert (change.action, change.uid, change.reasons, change.go_public) == (
        "create",
        None,
        (
            "jeu absent du portail : création",
            "fichier subventions.csv ajouté",
            "rendu public après vérification de la relecture",
        ),
        True,
    )

    seen: list[Outcome] = []
    [outcome] = apply_changes(client, [change], on_progress=seen.append)

    assert outcome.ok and outcome.action == "create" and outcome.uid
    assert outcome.message == "créé et publié (3 enregistrements, vérifié, rendu public)"
    assert client.get_dataset(outcome.uid)["is_restricted"] is False
    assert outcome.read_back is not None and outcome.read_back.digests is not None
    assert outcome.read_back.ok and len(set(outcome.read_back.digests)) == 1
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

    assert [(c.action, c.reasons, c.verify) for c in changes] == [("unchanged", (), False)] * 2
    assert transport.calls == [("GET", "/api/automation/v1.0/datasets/")]  # the listing only
    transport.reset()
    outcomes = apply_changes(client, changes)
    assert [(o.ok, o.message) for o in outcomes] == [(True, "déjà à jour")] * 2
    assert transport.calls == []


def test_lost_state_is_rebuilt_from_the_portal_without_writing(
    client: AutomationClient, transport: CountingTransport, make_payload: PayloadFactory
) -> None:
    payload = make_payload()
    publish(client, payload)
    state_of(client).path.unlink()
    STATES.clear()
    transport.reset()

    [change] = plan_changes(client, [payload])
    assert (change.action, change.verify) == ("unchanged", True)
    [outcome] = apply_changes(client, [change])

    assert outcome.message == "déjà à jour (3 enregistrements, vérifié)"
    assert transport.writes == []
    transport.reset()
    assert plan_changes(client, [payload])[0].verify is False
    assert len(transport.calls) == 1


def test_stale_state_is_dropped_when_the_portal_has_another_dataset(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    payload = make_payload()
    [first] = publish(client, payload)
    client.delete_dataset(first.uid or "")
    [created] = publish(client, payload)  # recreated (say, by hand): a new uid

    plan = plan_of(client, [payload])
    assert plan.changes[0].action == "unchanged" and plan.stale_entries == 0
    assert created.uid != first.uid
    state_of(client).begin("run", "begles-ghost", "create")  # and a run died on another one
    state_of(client).end("begles-ghost", "échec", None)
    entry = state_of(client).verified()["begles-subventions"]
    assert entry.uid == created.uid


def test_interrupted_dataset_is_compared_in_full_and_closed(
    client: AutomationClient, transport: CountingTransport, make_payload: PayloadFactory
) -> None:
    payload = make_payload()
    publish(client, payload)
    state_of(client).begin("killed-run", "begles-subventions", "update")
    transport.reset()

    plan = plan_of(client, [payload])

    assert plan.interrupted == ("begles-subventions",)
    assert (plan.changes[0].action, plan.changes[0].verify) == ("unchanged", True)
    apply_changes(client, list(plan.changes))
    assert transport.writes == []
    assert state_of(client).interrupted() == []


def test_changed_file_gives_an_update_that_only_touches_the_resource(
    client: AutomationClient, transport: CountingTransport, make_payload: PayloadFactory
) -> None:
    publish(client, make_payload())
    changed = make_payload(files={"subventions.csv": SUBVENTIONS + "Chorale;80;2026-03-01;33039\n"})
    transport.reset()

    [change] = plan_changes(client, [changed])

    assert change.action == "update"
    assert change.reasons == (
        "fichier subventions.csv modifié",
        "contenu : 1 ligne ajoutée, 0 ligne retirée (3 → 4 enregistrements)",
    )
    transport.reset()
    [outcome] = apply_changes(client, [change])
    assert outcome.ok and outcome.message == "mis à jour et publié (4 enregistrements, vérifié)"
    paths = [path.removeprefix("/api/automation/v1.0") for _, path in transport.writes]
    uid = change.uid
    assert paths == [
        f"/datasets/{uid}/resources/files/",
        f"/datasets/{uid}/resources/{client.list_resources(uid)[0]['uid']}/",
        f"/datasets/{uid}/publish/",
    ]
    assert client.explore_records_count("begles-subventions") == 4
    assert plan_changes(client, [changed])[0].action == "unchanged"


def test_metadata_change_updates_its_template_once_and_keeps_the_portals_fields(
    client: AutomationClient, transport: CountingTransport, make_payload: PayloadFactory
) -> None:
    [outcome] = publish(client, make_payload())
    uid = outcome.uid or ""
    httpx.put(
        f"{client.base_url}/api/automation/v1.0/datasets/{uid}/metadata/default/references/",
        json={"value": "https://www.mairie-begles.fr"},
        headers={"Authorization": f"apikey {portal_key(client)}"},
    ).raise_for_status()
    edited = make_payload(title="Subventions 2026", publisher="Ville de Bègles")

    [change] = plan_changes(client, [edited])

    assert change.reasons == (
        "métadonnée default.title : « Subventions aux associations » → « Subventions 2026 »",
        "métadonnée default.publisher ajoutée : « Ville de Bègles »",
        "modifications non publiées sur le portail",
    )
    transport.reset()
    assert apply_changes(client, [change])[0].ok
    metadata_writes = [(m, p) for m, p in transport.writes if "/metadata/" in p]
    assert metadata_writes == [
        ("PUT", f"/api/automation/v1.0/datasets/{uid}/metadata/default/"),
    ]
    assert not [p for _, p in transport.writes if "/resources/" in p]
    metadata = client.get_metadata(uid)
    assert metadata["default"]["references"] == {"value": "https://www.mairie-begles.fr"}
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

    assert change.reasons == (
        "ressource complement.csv retirée",
        "contenu : 0 ligne ajoutée, 1 ligne retirée (4 → 3 enregistrements)",
    )
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
    assert again.reasons == (
        "dernière publication en échec (statut error)",
        "jeu restreint : rendu public après vérification de la relecture",
    )
    assert state_of(client).interrupted() == []


def test_configuration_edited_after_publication_is_republished(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    payload = make_payload()
    [outcome] = publish(client, payload)
    assert outcome.uid is not None
    client.update_template(outcome.uid, "default", {"title": payload.metadata["default"]["title"]})

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
    assert "PUBLISHER_ODS_API_KEY" in str(error)
    assert secret not in str(error) and secret not in repr(error)


def test_portal_refuses_a_scoped_key_on_another_communes_dataset(
    portal: SandboxServer, make_payload: PayloadFactory
) -> None:
    key = portal.commune_key("begles")
    with AutomationClient(portal.url, key, poll_interval=0.02) as client:
        publish(client, make_payload("begles-budget"))
        changes = plan_changes(client, [make_payload("pessac-budget")])
        assert changes[0].action == "create"
        [outcome] = apply_changes(client, changes)
    assert not outcome.ok
    assert "(403)" in outcome.message and "pessac-budget" in outcome.message
    assert "réservée aux jeux de la commune « begles »" in outcome.message


def test_refused_key_stops_its_commune_only(
    portal: SandboxServer, make_payload: PayloadFactory
) -> None:
    seen: list[Outcome] = []
    begles = AutomationClient(portal.url, portal.commune_key("begles"), poll_interval=0.02)
    wrong = AutomationClient(portal.url, portal.commune_key("begles"), commune="pessac")
    payloads = [make_payload("pessac-a"), make_payload("pessac-b"), make_payload("begles-c")]
    with begles, wrong:
        clients = {"begles": begles, "pessac": wrong}
        state = PortalState(portal.settings.state_dir / "publication.sqlite3")
        plan = sync_plan({"begles": begles}, payloads[2:], state)
        plan = Plan(
            tuple(sync_plan({"pessac": begles}, payloads[:2], state).changes) + plan.changes
        )
        outcomes = sync_apply(clients, plan, state, concurrency=1, on_progress=seen.append)
    assert [(o.dataset_id, o.ok) for o in outcomes] == [
        ("pessac-a", False),
        ("pessac-b", False),
        ("begles-c", True),
    ]
    assert "(403)" in outcomes[0].message
    assert outcomes[1].message.startswith("non tenté : clé refusée")
    assert seen == outcomes


def test_prune_deletes_only_the_communes_datasets_the_repository_no_longer_has(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    kept, gone, other = (
        make_payload("begles-budget"),
        make_payload("begles-ancien"),
        make_payload("pessac-budget"),
    )
    publish(client, kept, gone, other)

    plan = plan_of(client, [kept], prune={"begles": {"begles-budget", "begles-bloque"}})

    assert [(c.dataset_id, c.action) for c in plan.changes] == [
        ("begles-budget", "unchanged"),
        ("begles-ancien", "delete"),
    ]
    outcomes = apply_changes(client, list(plan.changes))
    assert outcomes[1].message == "supprimé du portail"
    assert client.find_dataset("begles-ancien") is None
    assert client.find_dataset("pessac-budget") is not None
    assert plan_changes(client, [], prune={"begles": {"begles-budget"}}) == []


def test_read_back_sees_a_portal_serving_other_rows(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    [outcome] = publish(client, make_payload())
    same_count = make_payload(files={"subventions.csv": SUBVENTIONS.replace("300", "301")})
    changed = read_back_dataset(client, same_count, outcome.uid or "")
    more = make_payload(files={"subventions.csv": SUBVENTIONS + "Chorale;80;2026-03-01;33039\n"})
    longer = read_back_dataset(client, more, outcome.uid or "")

    assert (changed.count_ok, changed.content_ok) == (True, False)
    assert (longer.count_ok, longer.local_records, longer.portal_records) == (False, 4, 3)


def portal_key(client: AutomationClient) -> str:
    return client._api_key


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
    assert key.encode() not in state_of(client).path.read_bytes()


def anonymous_status(portal_url: str, dataset_id: str) -> int:
    """What a visitor without any key gets for the dataset in the public catalogue."""
    return httpx.get(f"{portal_url}/api/explore/v2.1/catalog/datasets/{dataset_id}").status_code


def test_a_read_back_gap_leaves_the_new_dataset_restricted_until_it_matches(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    beyond_doubles = SUBVENTIONS.replace("300", "1e999")  # served back as `inf`
    [outcome] = apply_changes(
        client, plan_changes(client, [make_payload(files={"subventions.csv": beyond_doubles})])
    )

    assert not outcome.ok and outcome.read_back is not None
    assert (outcome.read_back.count_ok, outcome.read_back.content_ok) == (True, False)
    assert outcome.message.endswith("(3 enregistrements) : le jeu reste restreint")
    assert client.get_dataset(outcome.uid or "")["is_restricted"] is True
    assert anonymous_status(client.base_url, "begles-subventions") == 404
    assert client.explore_dataset("begles-subventions") is not None  # the key may read it

    [change] = plan_changes(client, [make_payload()])
    assert change.action == "update" and change.go_public
    assert change.reasons[-1] == "jeu restreint : rendu public après vérification de la relecture"
    [fixed] = apply_changes(client, [change])
    assert fixed.message == "mis à jour et publié (3 enregistrements, vérifié, rendu public)"
    assert anonymous_status(client.base_url, "begles-subventions") == 200


class InterruptedAt(httpx.BaseTransport):
    """The real transport, but the run is interrupted (as by Ctrl+C) when it is about to
    send a request matching `method` and the `path` pattern: nothing after it happens."""

    def __init__(self, method: str, path: str) -> None:
        self.inner = httpx.HTTPTransport()
        self.method, self.path = method, re.compile(path)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == self.method and self.path.search(request.url.path):
            raise KeyboardInterrupt
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_a_run_interrupted_between_read_back_and_going_public_converges_on_rerun(
    portal: SandboxServer,
    client: AutomationClient,
    transport: CountingTransport,
    make_payload: PayloadFactory,
) -> None:
    payload = make_payload()
    [change] = plan_changes(client, [payload])
    with (
        AutomationClient(
            portal.url,
            portal.api_key,
            transport=InterruptedAt("PUT", r"/datasets/da_\w+/$"),
            poll_interval=0.02,
        ) as interrupted,
        pytest.raises(KeyboardInterrupt),
    ):
        apply_changes(interrupted, [change])

    dataset = client.find_dataset("begles-subventions")
    assert dataset is not None and dataset["is_published"] and dataset["is_restricted"]
    assert anonymous_status(portal.url, "begles-subventions") == 404
    assert state_of(client).interrupted() == ["begles-subventions"]

    transport.reset()
    plan = plan_of(client, [payload])
    assert plan.interrupted == ("begles-subventions",)
    [resumed] = plan.changes
    assert resumed.reasons == ("jeu restreint : rendu public après vérification de la relecture",)
    [outcome] = apply_changes(client, list(plan.changes))

    assert outcome.message == "déjà publié (3 enregistrements, vérifié, rendu public)"
    uid = dataset["uid"]
    assert [(m, p.removeprefix("/api/automation/v1.0")) for m, p in transport.writes] == [
        ("PUT", f"/datasets/{uid}/"),
        ("POST", f"/datasets/{uid}/publish_metadata/"),
    ]
    assert anonymous_status(portal.url, "begles-subventions") == 200
    assert len(client.list_datasets()) == 1 and len(client.list_resources(uid)) == 1
    assert state_of(client).interrupted() == []
    assert plan_changes(client, [payload])[0].action == "unchanged"


def test_an_update_keeps_a_public_dataset_public_all_along(
    client: AutomationClient, transport: CountingTransport, make_payload: PayloadFactory
) -> None:
    publish(client, make_payload())
    changed = make_payload(files={"subventions.csv": SUBVENTIONS + "Chorale;80;2026-03-01;33039\n"})
    [change] = plan_changes(client, [changed])
    assert not change.go_public
    transport.reset()

    [outcome] = apply_changes(client, [change])

    assert outcome.message == "mis à jour et publié (4 enregistrements, vérifié)"
    assert not [
        path
        for method, path in transport.writes
        if method == "PUT" and path.endswith(f"/datasets/{change.uid}/")
    ]
    assert anonymous_status(client.base_url, "begles-subventions") == 200


def test_read_back_compares_numbers_as_decimals_not_as_floats(
    client: AutomationClient, make_payload: PayloadFactory
) -> None:
    spelled = (
        "Bénéficiaire;Montant (€);Date de vote;Code INSEE\n"
        "Club de rugby;0.1000000000000000055;2026-01-15;33039\n"
        "Amicale laïque;1e3;2026-02-03;33039\n"
        "Chorale;1.5e3;2026-02-20;33039\n"
        "Les Jardins partagés;0.00001;2026-02-20;33039\n"
        "Compagnie;1200.50;2026-02-21;33039\n"
    )
    [outcome] = publish(client, make_payload(files={"subventions.csv": spelled}))

    served = client.explore_export_csv("begles-subventions").decode()
    assert {"0.1", "1000.0", "1500.0", "1e-05", "1200.5"} <= set(
        served.replace("\r\n", ",").split(",")
    )
    assert outcome.read_back is not None and outcome.read_back.ok
