"""`publisher serve` in a real headless Chromium (Debian's, as for the report's accessibility
test; mandatory under `CI=true`): an officer uploads a faulty file, picks the schema, reads the
findings, downloads the corrected copy; the same without JavaScript; and axe finds no WCAG 2.1
A or AA violation on any page."""

from __future__ import annotations

import csv
import io

import pytest

from test_report_accessibility import axe_violations, browser  # noqa: F401  (fixture)

from .conftest import FAULTY_CSV, LIMIT


@pytest.fixture
def faulty_file(tmp_path):
    path = tmp_path / "subventions-2026.csv"
    path.write_bytes(FAULTY_CSV)
    return path


@pytest.fixture
def page(browser, site):  # noqa: F811  (the fixture imported above)
    context = browser.new_context(base_url=site[0].url, accept_downloads=True)
    opened = context.new_page()
    yield opened
    context.close()


def test_officer_checks_a_faulty_file_and_downloads_the_corrected_copy(page, faulty_file):
    page.goto("/")
    assert axe_violations(page) == []
    page.fill("#schema", "scdl/subventions@2.1.1")
    page.set_input_files("#fichier", str(faulty_file))
    page.click("button[value=controler]")
    page.wait_for_url("**/resultat/*")
    main = page.inner_text("main")
    assert "Virgule décimale" in main and "SIRET invalide" in main
    assert "Comment corriger" in main and "Fondement" in main
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.click("text=La copie corrigée")
    assert download.value.suggested_filename == "subventions-2026-corrige.csv"
    copied = download.value.path().read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(copied)))
    assert rows[1]["montant"] == "24500.50"
    assert rows[1]["idAttribuant"] == "21330039500108"  # a wrong SIRET is not "fixed"


def test_a_file_dropped_on_the_frame_is_the_one_sent(page):
    page.goto("/")
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File(["a;b\\n1;2\\n"], "depose.csv", {type: "text/csv"}));
            const zone = document.getElementById("depot");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
        }"""
    )
    assert page.eval_on_selector("#fichier", "input => input.files[0].name") == "depose.csv"
    page.click("button[value=detecter]")
    page.wait_for_url("**/resultat/*")
    assert "Contrôle de « depose.csv »" in page.inner_text("h1")


def test_the_form_works_without_javascript(browser, site, faulty_file):  # noqa: F811
    context = browser.new_context(base_url=site[0].url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        page.set_input_files("#fichier", str(faulty_file))
        page.click("button[value=detecter]")
        page.wait_for_url("**/resultat/*")
        assert "Schéma détecté" in page.inner_text("main")
        assert "FR-SIRET" in page.inner_text("main")
    finally:
        context.close()


def test_a_refusal_replaces_the_form_with_its_french_message(page, tmp_path):
    too_big = tmp_path / "trop-gros.csv"
    too_big.write_bytes(b"a;b\n" + b"1;2\n" * (LIMIT // 4))
    page.goto("/")
    page.fill("#schema", "subventions")
    page.set_input_files("#fichier", str(too_big))
    page.click("button[value=controler]")
    message = page.locator("main .verdict")
    message.wait_for()
    assert "taille maximale acceptée (200 ko)" in message.inner_text()
    assert axe_violations(page) == []


@pytest.mark.parametrize("path", ["/federation", "/?lang=en", "/nulle-part"])
def test_other_pages_have_no_accessibility_violation(page, path):
    page.goto(path)
    assert axe_violations(page) == []
