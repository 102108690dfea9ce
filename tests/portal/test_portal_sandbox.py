"""The sandbox portal speaks the contract of §7: raw HTTP against a server on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from publisher.errors import ConfigurationError, PortalError
from publisher.portal import AutomationClient, SandboxServer
from publisher.portal.content import field_name
from publisher.portal.sandbox.records import ExtractionError, extract
from publisher.portal.sandbox.settings import SandboxSettings
from publisher.portal.sandbox.store import Store

AUTOMATION = "/api/automation/v1.0"
EXPLORE = "/api/explore/v2.1"
METADATA = {
    "default": {
        "title": {"value": "Budget primitif"},
        "language": {"value": "fr"},
        "modified": {"value": "2026-03-01T00:00:00Z"},
    }
}


@pytest.fixture
def http(portal: SandboxServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"apikey {portal.api_key}"}
    with httpx.Client(base_url=portal.url, headers=headers) as client:
        yield client


def create(http: httpx.Client, dataset_id: str = "begles-budget") -> dict:
    response = http.post(
        f"{AUTOMATION}/datasets/",
        json={"dataset_id": dataset_id, "is_restricted": False, "metadata": METADATA},
    )
    assert response.status_code == 201, response.text
    return response.json()


def add_csv(http: httpx.Client, uid: str, text: str, name: str = "budget.csv") -> dict:
    uploaded = http.post(
        f"{AUTOMATION}/datasets/{uid}/resources/files/",
        files={"file": (name, text.encode(), "text/csv")},
    )
    assert uploaded.status_code == 200, uploaded.text
    resource = http.post(
        f"{AUTOMATION}/datasets/{uid}/resources/",
        json={
            "type": "csvfile",
            "title": name,
            "params": {"separator": ";", "headers_first_row": True},
            "datasource": {"type": "uploaded_file", "file": {"uid": uploaded.json()["uid"]}},
        },
    )
    assert resource.status_code == 201, resource.text
    return resource.json()


def wait_idle(http: httpx.Client, uid: str) -> list[str]:
    """Poll until the job just ordered is over; return the states seen. On a loaded machine a
    short job may be over before the first poll: `previous` (its last phase) then says so."""
    seen = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        status = http.get(f"{AUTOMATION}/datasets/{uid}/status/").json()
        if not seen or seen[-1] != status["status"]:
            seen.append(status["status"])
        over = len(seen) > 1 or status["previous"] not in (None, "idle")
        if status["status"] in ("idle", "error") and over:
            return seen
        time.sleep(0.005)
    raise AssertionError(seen)


def test_missing_or_unknown_key_is_401_with_the_error_shape(portal: SandboxServer) -> None:
    missing = httpx.get(f"{portal.url}{AUTOMATION}/datasets/")
    unknown = httpx.get(
        f"{portal.url}{AUTOMATION}/datasets/", headers={"Authorization": "Apikey nope"}
    )
    assert missing.status_code == unknown.status_code == 401
    assert set(missing.json()) == {"error_code", "message"}
    assert unknown.json()["error_code"] == "invalid_api_key"


def test_restricted_dataset_is_explored_only_with_the_permission_until_made_public(
    portal: SandboxServer, http: httpx.Client
) -> None:
    created = http.post(
        f"{AUTOMATION}/datasets/",
        json={"dataset_id": "begles-budget", "is_restricted": True, "metadata": METADATA},
    ).json()
    uid = created["uid"]
    add_csv(http, uid, "Poste;Montant\nVoirie;100\n")
    http.post(f"{AUTOMATION}/datasets/{uid}/publish/")
    wait_idle(http, uid)
    without = portal.create_api_key("édition", ("edit_dataset", "manage_dataset"))
    commune = {"Authorization": f"apikey {portal.commune_key('begles')}"}
    paths = [
        "/catalog/datasets/begles-budget",
        "/catalog/datasets/begles-budget/records",
        "/catalog/datasets/begles-budget/exports/csv",
    ]

    def statuses(headers: dict[str, str]) -> list[int]:
        return [
            httpx.get(f"{portal.url}{EXPLORE}{path}", headers=headers).status_code for path in paths
        ]

    def catalog(headers: dict[str, str]) -> list[str]:
        answer = httpx.get(f"{portal.url}{EXPLORE}/catalog/datasets", headers=headers).json()
        return [d["dataset_id"] for d in answer["results"]]

    anonymous: dict[str, str] = {}
    assert statuses(anonymous) == [404] * 3 and catalog(anonymous) == []
    assert statuses({"Authorization": f"apikey {without}"}) == [404] * 3
    assert statuses(commune) == [200] * 3 and catalog(commune) == ["begles-budget"]
    assert http.get(f"{EXPLORE}/catalog/datasets/begles-budget").status_code == 200

    reader = {"Authorization": f"apikey {portal.create_api_key('lecture', ('edit_dataset',))}"}
    body = {**http.get(f"{AUTOMATION}/datasets/{uid}/").json(), "is_restricted": False}
    refused = httpx.put(f"{portal.url}{AUTOMATION}/datasets/{uid}/", headers=reader, json=body)
    assert refused.status_code == 403 and "manage_dataset" in refused.json()["message"]
    made_public = httpx.put(f"{portal.url}{AUTOMATION}/datasets/{uid}/", headers=commune, json=body)
    assert made_public.json()["is_restricted"] is False
    assert statuses(anonymous) == [404] * 3  # the published snapshot is still restricted
    http.post(f"{AUTOMATION}/datasets/{uid}/publish_metadata/")
    wait_idle(http, uid)
    assert statuses(anonymous) == [200] * 3 and catalog(anonymous) == ["begles-budget"]


def test_key_without_permission_is_403(portal: SandboxServer, http: httpx.Client) -> None:
    uid = create(http)["uid"]
    reader = portal.create_api_key("lecture", ("edit_dataset",))
    response = httpx.post(
        f"{portal.url}{AUTOMATION}/datasets/{uid}/publish/",
        headers={"Authorization": f"apikey {reader}"},
    )
    assert response.status_code == 403
    assert response.json()["error_code"] == "permission_denied"
    assert "publish_dataset" in response.json()["message"]


def test_scoped_key_only_sees_and_touches_its_commune(
    portal: SandboxServer, http: httpx.Client
) -> None:
    pessac = create(http, "pessac-budget")["uid"]
    create(http, "begles-budget")
    key = portal.create_api_key("Bègles", ("create_dataset", "edit_dataset"), commune="begles")
    headers = {"Authorization": f"apikey {key}"}
    listed = httpx.get(f"{portal.url}{AUTOMATION}/datasets/", headers=headers).json()
    assert [d["dataset_id"] for d in listed["results"]] == ["begles-budget"]
    assert (
        httpx.get(f"{portal.url}{AUTOMATION}/datasets/{pessac}/", headers=headers).status_code
        == 403
    )
    refused = httpx.post(
        f"{portal.url}{AUTOMATION}/datasets/",
        headers=headers,
        json={"dataset_id": "pessac-autre", "metadata": METADATA},
    )
    assert refused.status_code == 403


def test_validation_errors(http: httpx.Client) -> None:
    create(http)
    duplicate = http.post(
        f"{AUTOMATION}/datasets/", json={"dataset_id": "begles-budget", "metadata": METADATA}
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["error_code"] == "validation_error"
    assert "dataset_id" in duplicate.json()["detail"]
    for missing in ("title", "modified", "language"):
        default = {k: v for k, v in METADATA["default"].items() if k != missing}
        response = http.post(
            f"{AUTOMATION}/datasets/",
            json={"dataset_id": f"begles-{missing}", "metadata": {"default": default}},
        )
        assert response.status_code == 400
        assert list(response.json()["detail"]) == [f"metadata.default.{missing}"]
    bad_language = {"default": {**METADATA["default"], "language": {"value": "xx"}}}
    response = http.post(
        f"{AUTOMATION}/datasets/", json={"dataset_id": "begles-x", "metadata": bad_language}
    )
    assert response.status_code == 400


def test_not_found_and_optional_trailing_slash(http: httpx.Client) -> None:
    for path in (f"{AUTOMATION}/datasets/da_zzzzzz/", f"{AUTOMATION}/datasets/da_zzzzzz"):
        response = http.get(path)
        assert response.status_code == 404
        assert response.json()["error_code"] == "not_found"
    assert http.get(f"{AUTOMATION}/datasets").status_code == 200
    assert http.get("/api/automation/v1.0/nothing/").json()["error_code"] == "not_found"


def test_pagination_links_are_absolute(portal: SandboxServer, http: httpx.Client) -> None:
    for name in ("a", "b", "c"):
        create(http, f"begles-{name}")
    first = http.get(f"{AUTOMATION}/datasets/", params={"limit": 2}).json()
    assert first["total_count"] == 3 and len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"].startswith(f"{portal.url}{AUTOMATION}/datasets/")
    second = http.get(first["next"]).json()
    assert [d["dataset_id"] for d in second["results"]] == ["begles-c"]
    assert second["next"] is None and second["previous"].startswith(portal.url)
    assert http.get(f"{AUTOMATION}/datasets/", params={"limit": 1001}).status_code == 400


def test_metadata_field_put_and_template_put_semantics(http: httpx.Client) -> None:
    uid = create(http)["uid"]
    base = f"{AUTOMATION}/datasets/{uid}/metadata"
    assert http.put(f"{base}/default/publisher/", json={"value": "Bègles"}).status_code == 200
    assert http.get(f"{base}/default/publisher/").json() == {"value": "Bègles"}
    assert http.put(f"{base}/default/keyword/", json={"value": "pas une liste"}).status_code == 400
    assert http.get(f"{base}/nope/").status_code == 404
    partial = http.put(f"{base}/default/", json={"title": {"value": "Seul"}})
    assert partial.status_code == 400
    replaced = http.put(f"{base}/default/", json={**METADATA["default"]})
    assert replaced.status_code == 200
    assert "publisher" not in http.get(f"{base}/").json()["default"]
    assert http.delete(f"{base}/default/title/").status_code == 400


@pytest.mark.sandbox_delays(queued_delay=0.5, processing_delay=0.5)
def test_publication_state_machine_and_snapshot(http: httpx.Client) -> None:
    uid = create(http)["uid"]
    add_csv(http, uid, "Poste;Montant\nVoirie;100\nÉcoles;250\n")
    assert http.get(f"{EXPLORE}/catalog/datasets/begles-budget").status_code == 404

    assert http.post(f"{AUTOMATION}/datasets/{uid}/publish/").json() == {"detail": "ok"}
    again = http.post(f"{AUTOMATION}/datasets/{uid}/publish/")
    assert again.status_code == 400 and again.json()["error_code"] == "invalid_dataset_status"
    assert wait_idle(http, uid) == ["queued", "processing", "idle"]
    status = http.get(f"{AUTOMATION}/datasets/{uid}/status/").json()
    assert status["is_published"] is True and status["previous"] == "processing"

    http.put(f"{AUTOMATION}/datasets/{uid}/metadata/default/title/", json={"value": "Brouillon"})
    info = http.get(f"{EXPLORE}/catalog/datasets/begles-budget").json()
    assert info["metas"]["default"]["title"] == "Budget primitif"
    assert info["metas"]["default"]["records_count"] == 2
    catalog = http.get(f"{EXPLORE}/catalog/datasets").json()
    assert [d["dataset_id"] for d in catalog["results"]] == ["begles-budget"]

    records = http.get(f"{EXPLORE}/catalog/datasets/begles-budget/records", params={"limit": 1})
    assert records.json() == {"total_count": 2, "results": [{"poste": "Voirie", "montant": 100}]}
    assert (
        http.get(
            f"{EXPLORE}/catalog/datasets/begles-budget/records", params={"limit": 101}
        ).status_code
        == 400
    )
    exported = http.get(f"{EXPLORE}/catalog/datasets/begles-budget/exports/csv")
    assert exported.content.decode() == "\ufeffposte;montant\r\nVoirie;100\r\nÉcoles;250\r\n"
    as_json = http.get(f"{EXPLORE}/catalog/datasets/begles-budget/exports/json").json()
    assert as_json == [{"poste": "Voirie", "montant": 100}, {"poste": "Écoles", "montant": 250}]

    assert http.post(f"{AUTOMATION}/datasets/{uid}/unpublish/").status_code == 200
    assert wait_idle(http, uid) == ["queued", "deleting", "idle"]
    assert http.get(f"{EXPLORE}/catalog/datasets/begles-budget").status_code == 404


def test_unparsable_resource_ends_in_error_and_keeps_the_old_snapshot(
    http: httpx.Client,
) -> None:
    uid = create(http)["uid"]
    resource = add_csv(http, uid, "Poste;Montant\nVoirie;100\n")
    http.post(f"{AUTOMATION}/datasets/{uid}/publish/")
    wait_idle(http, uid)
    bad = http.post(
        f"{AUTOMATION}/datasets/{uid}/resources/files/",
        files={"file": ("bad.csv", "Poste;Montant\nVoirie;\xe9;3\n".encode("latin-1"), "text/csv")},
    ).json()
    http.put(
        f"{AUTOMATION}/datasets/{uid}/resources/{resource['uid']}/",
        json={**resource, "datasource": {"type": "uploaded_file", "file": {"uid": bad["uid"]}}},
    )
    http.post(f"{AUTOMATION}/datasets/{uid}/publish/")
    assert wait_idle(http, uid)[-1] == "error"
    status = http.get(f"{AUTOMATION}/datasets/{uid}/status/").json()
    assert "n'est pas lisible en utf-8" in status["message"]
    assert status["is_published"] is True
    records = http.get(f"{EXPLORE}/catalog/datasets/begles-budget/records").json()
    assert records["results"] == [{"poste": "Voirie", "montant": 100}]


def test_resource_must_point_to_an_uploaded_file(http: httpx.Client) -> None:
    uid = create(http)["uid"]
    response = http.post(
        f"{AUTOMATION}/datasets/{uid}/resources/",
        json={
            "type": "csvfile",
            "title": "x.csv",
            "datasource": {"type": "uploaded_file", "file": {"uid": "absent.csv"}},
        },
    )
    assert response.status_code == 400
    assert "datasource.file.uid" in response.json()["detail"]
    assert (
        http.post(f"{AUTOMATION}/datasets/{uid}/resources/files/", data={"x": "1"}).status_code
        == 400
    )


def test_same_upload_twice_keeps_one_file_other_bytes_get_a_suffix(http: httpx.Client) -> None:
    uid = create(http)["uid"]
    url = f"{AUTOMATION}/datasets/{uid}/resources/files/"
    first = http.post(url, files={"file": ("../budget.csv", b"a\n1\n", "text/csv")}).json()
    same = http.post(url, files={"file": ("budget.csv", b"a\n1\n", "text/csv")}).json()
    other = http.post(url, files={"file": ("budget.csv", b"a\n2\n", "text/csv")}).json()
    assert first["uid"] == same["uid"] == "budget.csv"
    assert other["uid"] == "budget-1.csv"


def test_admin_key_is_private_and_reused(tmp_path: Path) -> None:
    with SandboxServer(tmp_path) as first:
        key = first.api_key
    key_file = tmp_path / "admin-api-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.read_text().strip() == key
    with SandboxServer(tmp_path) as second:
        assert second.api_key == key
        assert key not in repr(second)


def test_a_commune_key_kept_from_an_older_sandbox_gets_the_permissions_it_needs(
    tmp_path: Path,
) -> None:
    with SandboxServer(tmp_path) as first:
        key = first.commune_key("begles")
    store = Store(SandboxSettings(tmp_path))
    older = ("create_dataset", "edit_dataset", "publish_dataset")
    store.add_api_key(key, "commune begles", older, "begles")
    caller = store.authenticate(key)
    assert caller is not None and "manage_dataset" not in caller.permissions

    with SandboxServer(tmp_path) as second:
        assert second.commune_key("begles") == key
    caller = store.authenticate(key)
    assert caller is not None and caller.commune == "begles"
    assert {"manage_dataset", "explore_restricted_dataset"} <= caller.permissions


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "portail.example"])
def test_sandbox_refuses_non_loopback_hosts(tmp_path: Path, host: str) -> None:
    with pytest.raises(ConfigurationError, match="boucle locale"):
        SandboxServer(tmp_path, host=host)


@pytest.mark.parametrize("base_url", ["portail.example", "ftp://portail.example", "http://[::1"])
def test_unusable_base_url_is_a_portal_error(base_url: str) -> None:
    with AutomationClient(base_url, "cle") as client, pytest.raises(PortalError) as raised:
        client.find_dataset("begles-budget")
    assert "vérifiez l'adresse du portail" in str(raised.value)


def test_field_names_and_types() -> None:
    assert field_name("Montant (€) TTC") == "montant_ttc"
    assert field_name("Date de l'événement") == "date_de_l_evenement"
    body = {"type": "csvfile", "title": "t.csv", "params": {"separator": ","}}
    data = b'Code,Code,Lieu,Quand,Ratio\n01,1,"44.8, -0.6",2026-01-01T10:00:00Z,1\n02,2,,,2.5\n'
    extracted = extract([(body, data)])
    assert [(f["name"], f["type"]) for f in extracted.fields] == [
        ("code", "text"),
        ("code_2", "int"),
        ("lieu", "geo_point_2d"),
        ("quand", "datetime"),
        ("ratio", "double"),
    ]
    assert extracted.records[0]["lieu"] == {"lat": 44.8, "lon": -0.6}
    assert extracted.records[1] == {
        "code": "02",
        "code_2": 2,
        "lieu": None,
        "quand": None,
        "ratio": 2.5,
    }


def test_json_and_geojson_resources() -> None:
    json_body = {"type": "jsonfile", "title": "j.json", "params": {"json_root": "data"}}
    extracted = extract([(json_body, b'{"data": [{"Nom": "A", "N": 1}, {"Nom": "B"}]}')])
    assert extracted.records == [{"nom": "A", "n": 1}, {"nom": "B", "n": None}]
    geo_body = {"type": "geojsonfile", "title": "g.geojson", "params": {}}
    feature = {
        "type": "Feature",
        "properties": {"Nom": "Mairie"},
        "geometry": {"type": "Point", "coordinates": [-0.55, 44.8]},
    }
    geo = (
        b'{"type": "FeatureCollection", "features": ['
        + str(feature).replace("'", '"').encode()
        + b"]}"
    )
    [record] = extract([(geo_body, geo)]).records
    assert record["geo_point_2d"] == {"lat": 44.8, "lon": -0.55} and record["nom"] == "Mairie"
    with pytest.raises(ExtractionError, match="tableau d'objets"):
        extract([(json_body, b'{"data": 3}')])


def test_concurrent_requests_and_two_servers_on_one_state_dir(tmp_path: Path) -> None:
    def create_many(portal: SandboxServer, prefix: str) -> list[str]:
        headers = {"Authorization": f"apikey {portal.api_key}"}
        with (
            httpx.Client(base_url=portal.url, headers=headers) as http,
            ThreadPoolExecutor(max_workers=8) as pool,
        ):
            futures = [pool.submit(create, http, f"{prefix}-{n}") for n in range(8)]
            return [future.result()["uid"] for future in futures]

    with (
        SandboxServer(tmp_path, processing_delay=0.02, queued_delay=0.01) as first,
        SandboxServer(tmp_path, processing_delay=0.02, queued_delay=0.01) as second,
    ):
        assert first.api_key == second.api_key
        uids = create_many(first, "begles") + create_many(second, "pessac")
        assert len(set(uids)) == 16
        with httpx.Client(
            base_url=second.url, headers={"Authorization": f"apikey {second.api_key}"}
        ) as http:
            listed = http.get(f"{AUTOMATION}/datasets/", params={"limit": 100}).json()
            assert listed["total_count"] == 16
            add_csv(http, uids[0], "Poste;Montant\nVoirie;100\n")
            http.post(f"{AUTOMATION}/datasets/{uids[0]}/publish/")
        time.sleep(0.05)
        seen_by_first = httpx.get(f"{first.url}{EXPLORE}/catalog/datasets/begles-0/records")
        assert seen_by_first.json()["total_count"] == 1
