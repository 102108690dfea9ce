"""The HTML report has no accessibility violation for axe-core (WCAG 2.1 A and AA rules),
run in a real headless Chromium (Debian's package, driven by Playwright; `.ci/run` installs it).

The pages: the sample federation in French and English (with a compliance history), a report
full of hostile cells, a one-file check, and the legal audit of the sample federation.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import GOOD_ROW, REPO, SUBVENTIONS_HEADER
from publisher import SchemaRegistry, check_file, load_federation, validate_federation
from publisher.audit import build_audit
from publisher.audit.render import write_audit
from publisher.reports import build_document, render_html, write_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium absent : .ci/run doit l'installer (apt-get install chromium)")
        pytest.skip("chromium absent (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


def violations(browser, html_file: Path) -> list[str]:
    page = browser.new_page()
    try:
        page.goto(html_file.as_uri())
        return axe_violations(page)
    finally:
        page.close()


def axe_violations(page) -> list[str]:
    """The WCAG 2.1 A and AA violations axe-core finds in the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    found = results.response["violations"]
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nœuds)" for v in found]


def sample_reports(folder: Path, language: str) -> Path:
    federation = load_federation(REPO)
    document = build_document(
        validate_federation(federation, federation.registry), language=language
    )
    history = folder / "historique"
    history.mkdir(parents=True)
    for month, publishable in (("07", 12), ("09", 15)):
        old = {**document, "generated_at": f"2026-{month}-15T09:30:00+02:00"}
        old["summary"] = {**document["summary"], "publishable": publishable}
        (history / f"rapport-2026{month}15T093000.json").write_text(json.dumps(old), "utf-8")
    write_reports(document, folder)
    return folder / "rapport.html"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_sample_federation_report_has_no_violation(browser, tmp_path, language):
    assert violations(browser, sample_reports(tmp_path / "rapports", language)) == []


def test_hostile_report_has_no_violation(browser, mini_repo, tmp_path):
    cells = GOOD_ROW.split(";")
    rows = []
    for index in range(80):
        bad = list(cells)
        bad[2] = f"<script>alert({index})</script>"
        bad[7] = '=HYPERLINK("http://exemple.invalid","clic")'
        rows.append(";".join(bad))
    mini_repo.dataset("jeu", rows)
    federation = load_federation(mini_repo.root)
    document = build_document(validate_federation(federation, federation.registry))
    page = tmp_path / "rapport.html"
    page.write_text(render_html(document), "utf-8")
    assert violations(browser, page) == []


def test_file_check_report_has_no_violation(browser, tmp_path):
    data = tmp_path / "depot.csv"
    data.write_text(SUBVENTIONS_HEADER + "\n" + GOOD_ROW.replace("2025", "25") + "\n", "utf-8")
    schema = SchemaRegistry.load(REPO / "schemas").resolve("subventions")
    page = tmp_path / "rapport.html"
    page.write_text(render_html(build_document(check_file(data, schema))), "utf-8")
    assert violations(browser, page) == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_sample_audit_pages_have_no_violation(browser, tmp_path, language):
    federation = load_federation(REPO, ["talence", "begles"])
    validation = validate_federation(federation, federation.registry)
    write_audit(build_audit(federation, validation, language=language), tmp_path)
    for page in (tmp_path / "audit.html", tmp_path / "talence" / "audit.html"):
        assert violations(browser, page) == [], page


def test_the_harness_does_report_violations(browser, tmp_path):
    page = tmp_path / "faux.html"
    page.write_text(
        '<html><body><p style="color:#bbb;background:#fff">gris</p><img src="x.png"></body></html>',
        "utf-8",
    )
    assert {v.split(":")[0] for v in violations(browser, page)} >= {"image-alt", "html-has-lang"}
