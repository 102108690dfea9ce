"""`publisher serve` over HTTP, on a real server: checking an uploaded file, downloads, the
federation page, and the safety rules (headers, CSRF, size limit, nothing kept on disk)."""

from __future__ import annotations

import csv
import html
import io
import logging
import random
import re

import httpx
import pytest

from publisher.web import app as web_app
from publisher.web.security import SECURITY_HEADERS

from .conftest import FAULTY_CSV, LIMIT, form_token, send

SECRET = "Association Secrète Zorglub"


def shown(response: httpx.Response) -> str:
    """The page's text as the officer reads it (entities decoded)."""
    return html.unescape(response.text)


def result_page(client: httpx.Client, response: httpx.Response) -> httpx.Response:
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/resultat/")
    return client.get(response.headers["location"])


def test_faulty_file_shows_grouped_findings_with_basis_and_fix(browser_session):
    page = result_page(browser_session, send(browser_session))
    assert page.status_code == 200
    assert "FMT-DECIMAL-COMMA" in page.text and "FR-SIRET" in page.text
    assert "Fondement" in page.text and "Comment corriger" in page.text
    assert "scdl/subventions@2.1.1" in page.text
    assert 'id="regle-fr-siret"' in page.text  # the rules section explains each code


def test_json_report_and_corrected_copy_are_downloaded_from_memory(browser_session, uploads):
    page = result_page(browser_session, send(browser_session))
    base = str(page.url)
    report = browser_session.get(base + "/rapport.json")
    assert report.headers["content-disposition"].startswith("attachment")
    codes = {finding["code"] for finding in report.json()["findings"]}
    assert {"FMT-DECIMAL-COMMA", "FR-SIRET"} <= codes
    copy = browser_session.get(base + "/copie-corrigee.csv")
    assert 'filename="subventions-2026-corrige.csv"' in copy.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(copy.content.decode("utf-8"))))
    assert [row["montant"] for row in rows] == ["24500", "24500.50"]
    assert list(uploads.iterdir()) == []


@pytest.mark.parametrize("action", ["controler", "detecter"])
@pytest.mark.parametrize(
    "data", [random.Random(3).randbytes(20_000), b"PK\x03\x04" + random.Random(4).randbytes(5000)]
)
def test_a_binary_file_named_csv_is_one_finding_saying_it_is_not_text(
    browser_session, uploads, data, action
):
    response = send(browser_session, data, name="budget.csv", action=action)
    page = result_page(browser_session, response)
    report = browser_session.get(str(page.url) + "/rapport.json").json()
    assert [finding["code"] for finding in report["findings"]] == ["FMT-01"]
    assert "Ce n'est pas un fichier texte (CSV ou JSON)" in shown(page)
    assert "CSV UTF-8" in shown(page)
    assert list(uploads.iterdir()) == []


def test_detection_proposes_the_schema_and_says_why(browser_session):
    page = result_page(browser_session, send(browser_session, schema="", action="detecter"))
    assert "Schéma détecté" in page.text
    assert re.search(r"scdl/subventions@2\.1\.1</code>.*100", page.text, re.S)
    assert "16 des 16 champs" in page.text
    assert "FR-SIRET" in page.text


def test_detection_says_when_no_schema_fits(browser_session):
    data = "ville;poids_du_chat\nBègles;4\n".encode()
    page = result_page(browser_session, send(browser_session, data, schema="", action="detecter"))
    assert "Aucun schéma du registre ne correspond assez" in page.text


def test_detection_of_a_json_file_checks_it_without_schema_and_says_why(browser_session):
    data = b'{"type": "FeatureCollection", "features": []}'
    response = send(browser_session, data, name="arceaux.geojson", schema="", action="detecter")
    page = shown(result_page(browser_session, response))
    assert "La détection ne lit que l'en-tête d'un fichier CSV" in page
    assert "sans schéma partagé" in page


def test_uploaded_file_exists_while_checked_and_is_gone_after_the_response(
    browser_session, uploads, monkeypatch
):
    seen = []
    real_check = web_app.check_file

    def spying_check(path, schema, *, shown_path=None):
        seen.append((path, path.is_file(), path.read_bytes()))
        return real_check(path, schema, shown_path=shown_path)

    monkeypatch.setattr(web_app, "check_file", spying_check)
    response = send(browser_session, name="../../etc/mes données.csv")
    assert response.status_code == 303
    [(path, existed, content)] = seen
    assert existed and content == FAULTY_CSV
    assert path.parent.parent == uploads  # a fresh folder of the upload root...
    assert path.name == "envoi.csv"  # ...and a name the server chose, not the browser's
    assert not path.exists() and not path.parent.exists()
    assert list(uploads.iterdir()) == []
    page = browser_session.get(response.headers["location"])
    assert "mes données.csv" in page.text and "etc/" not in page.text


def test_oversized_upload_gets_the_french_message_and_nothing_is_written(browser_session, uploads):
    response = send(browser_session, b"x;y\n" + b"1;2\n" * (LIMIT // 4 + 1000))
    assert response.status_code == 413
    assert "dépasse la taille maximale acceptée (200 ko)" in shown(response)
    assert "rien n'en a été gardé" in shown(response)
    assert list(uploads.iterdir()) == []


def test_oversized_upload_without_declared_length_is_cut_while_streaming(browser_session, uploads):
    token = form_token(browser_session)
    boundary = "limite"

    def body():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="fichier"; '
            'filename="gros.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        for _ in range(LIMIT // 10_000 + 5):
            yield b"1;2;3;4;5\n" * 1000
        yield f"\r\n--{boundary}--\r\n".encode()

    response = browser_session.post(
        "/controle",
        content=body(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert "taille maximale" in response.text
    assert list(uploads.iterdir()) == []


def test_a_chunked_form_of_many_fields_is_refused_whatever_their_size(browser_session, uploads):
    token = form_token(browser_session)

    def body():
        yield f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'.encode()
        for name, value in (("schema", "subventions"), ("action", "controler")):
            part = f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            yield part.encode()
        for index in range(40):
            field = f'--b\r\nContent-Disposition: form-data; name="champ{index}"\r\n\r\n'
            yield field.encode() + b"x" * 4000 + b"\r\n"
        yield (
            b'--b\r\nContent-Disposition: form-data; name="fichier"; filename="petit.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n" + FAULTY_CSV + b"\r\n--b--\r\n"
        )

    response = browser_session.post(
        "/controle",
        content=body(),
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 400
    assert "Le formulaire envoyé n'est pas lisible." in shown(response)
    assert list(uploads.iterdir()) == []


def test_post_without_csrf_token_is_refused_in_french(browser_session, uploads):
    form_token(browser_session)  # the browser has its cookie, but the form lacks the field
    response = send(browser_session, token="")
    assert response.status_code == 403
    assert "Ce formulaire n'a pas été envoyé depuis cette page" in shown(response)
    assert list(uploads.iterdir()) == []


def test_post_from_another_site_is_refused(site, browser_session):
    token = form_token(browser_session)
    with httpx.Client(base_url=site[0].url) as stranger:  # no cookie: another browser
        assert send(stranger, token=token).status_code == 403
    forged_origin = send(browser_session, headers={"Origin": "http://exemple.invalid"})
    assert forged_origin.status_code == 403


def test_a_request_naming_another_host_is_refused(site, browser_session, uploads):
    port = site[0].port
    token = form_token(browser_session)
    rebound = {"Host": f"attaquant.example:{port}", "Origin": f"http://attaquant.example:{port}"}
    page = browser_session.get("/", headers=rebound)
    assert page.status_code == 400
    assert "Cette adresse ne désigne pas ce serveur" in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert send(browser_session, token=token, headers=rebound).status_code == 400
    assert list(uploads.iterdir()) == []
    assert (
        browser_session.get("/federation", headers={"Host": "Attaquant.example"}).status_code == 400
    )
    assert browser_session.get("/", headers={"Host": f"localhost:{port}"}).status_code == 200
    assert browser_session.get("/", headers={"Host": f"[::1]:{port}"}).status_code == 200


def test_result_belongs_to_the_browser_that_sent_the_file_and_can_be_forgotten(
    site, browser_session
):
    location = send(browser_session).headers["location"]
    with httpx.Client(base_url=site[0].url) as stranger:
        form_token(stranger)
        assert stranger.get(location).status_code == 404
        assert stranger.get(location + "/copie-corrigee.csv").status_code == 404
    refused = browser_session.post(location + "/oublier", data={"csrf": "faux"})
    assert refused.status_code == 403
    assert browser_session.get(location).status_code == 200
    token = form_token(browser_session)
    forgotten = browser_session.post(location + "/oublier", data={"csrf": token})
    assert forgotten.status_code == 303
    assert "n'en garde plus rien" in shown(browser_session.get(forgotten.headers["location"]))
    gone = browser_session.get(location)
    assert gone.status_code == 404 and "oublié" in gone.text


def test_a_cookie_token_with_non_ascii_characters_is_a_stranger_not_an_error(site, browser_session):
    location = send(browser_session).headers["location"]
    with httpx.Client(base_url=site[0].url) as stranger:
        cookie = "publisher_csrf=jeton-forgé".encode()
        response = stranger.get(location, headers={"Cookie": cookie})
        assert response.status_code == 404
        forget = stranger.post(
            location + "/oublier", data={"csrf": "jeton-forgé"}, headers={"Cookie": cookie}
        )
        assert forget.status_code == 403
    assert browser_session.get(location).status_code == 200


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"name": "budget.xlsx"}, 415, "n'est ni un CSV ni un JSON"),
        ({"schema": "inexistant"}, 422, "schéma « inexistant » inconnu"),
        ({"schema": ""}, 400, "Choisissez un schéma dans la liste"),
    ],
)
def test_bad_requests_get_a_french_explanation(browser_session, uploads, kwargs, status, message):
    response = send(browser_session, **kwargs)
    assert response.status_code == status
    assert message in shown(response)
    assert list(uploads.iterdir()) == []


def test_malformed_form_is_refused_without_an_internal_error(browser_session, uploads):
    token = form_token(browser_session)
    body = f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n--b\r\nxx'
    response = browser_session.post(
        "/controle",
        content=body.encode() + b"\x00" * 5000 + b"\r\n--b--\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 400
    assert "Le formulaire envoyé n'est pas lisible." in shown(response)
    assert list(uploads.iterdir()) == []


def test_two_files_in_one_form_are_refused_in_french(browser_session, uploads):
    token = form_token(browser_session)
    response = browser_session.post(
        "/controle",
        data={"csrf": token, "schema": "subventions", "action": "controler"},
        files=[
            ("fichier", ("un.csv", FAULTY_CSV, "text/csv")),
            ("fichier", ("deux.csv", FAULTY_CSV, "text/csv")),
        ],
    )
    assert response.status_code == 400
    assert "Envoyez un seul fichier à la fois" in shown(response)
    assert list(uploads.iterdir()) == []


def test_form_without_file_asks_for_one(browser_session):
    token = form_token(browser_session)
    response = browser_session.post(
        "/controle",
        data={"csrf": token, "schema": "subventions", "action": "controler"},
        files={"fichier": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 400
    assert "Choisissez le fichier à contrôler" in response.text


@pytest.mark.parametrize("path", ["/", "/federation", "/nulle-part", "/static/report.css"])
def test_every_answer_carries_the_security_headers(browser_session, path):
    response = browser_session.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy


def test_an_internal_error_gets_a_french_page_and_logs_nothing_of_the_file(
    browser_session, uploads, monkeypatch, caplog
):
    def broken(upload, _registry):
        raise ValueError(f"cellule illisible : {upload.path.read_text('utf-8')}")

    monkeypatch.setattr(web_app, "examine", broken)
    with caplog.at_level(logging.DEBUG):
        response = send(browser_session)
    assert response.status_code == 500
    assert "Erreur interne de publisher (ValueError)" in shown(response)
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert response.headers["content-security-policy"] == policy
    assert "ValueError" in caplog.text and "Bègles" not in caplog.text
    assert list(uploads.iterdir()) == []


def test_pages_have_no_inline_script_or_style(browser_session):
    result = result_page(browser_session, send(browser_session))
    for page in (browser_session.get("/"), browser_session.get("/federation"), result):
        html = page.text
        assert "<style" not in html and " style=" not in html
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []


def test_report_stylesheet_is_the_one_the_report_inlines(browser_session):
    from publisher.reports.html import _environment

    source = _environment().loader.get_source(_environment(), "report.css")[0]
    assert browser_session.get("/static/report.css").text == source
    assert "--error: #9b1c1c" in source


def test_nothing_of_the_file_reaches_the_logs(browser_session, caplog):
    data = FAULTY_CSV.replace(b"Association Sportive B\xc3\xa9glaise", SECRET.encode())
    with caplog.at_level(logging.DEBUG):
        assert send(browser_session, data).status_code == 303
    assert SECRET not in caplog.text


def test_pages_switch_to_english_and_remember_it(browser_session):
    english = browser_session.get("/?lang=en")
    assert '<html lang="en">' in english.text
    assert "Check a file before publishing it" in english.text
    page = result_page(browser_session, send(browser_session))
    assert "How to fix" in page.text and "Comment corriger" not in page.text
    browser_session.get("/?lang=fr")


def test_federation_page_shows_status_and_what_a_publish_would_do(browser_session):
    page = browser_session.get("/federation")
    assert page.status_code == 200
    assert "Bègles" in page.text and "begles-subventions" in page.text
    assert "Bloqué" in page.text and "Publiable" in page.text
    assert "non publié (bloqué) (FMT-DECIMAL-COMMA, FR-SIRET)" in page.text
    assert "serait publié" in page.text
    assert "pas encore d'état" in shown(page)  # no sandbox state: said, not guessed
    assert "jamais interrogé" in page.text
    merignac = page.text.split('id="commune-merignac"')[1].split("</section>")[0]
    assert "Audit légal" in merignac and "non conformes" in merignac
    assert "REM-01" in merignac  # bound above 40 000 inhabitants, and no dataset yet
