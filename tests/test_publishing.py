"""Publishing what passed: the plan from findings, a real portal URL with the key from the env."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import GOOD_ROW
from publisher import SchemaRegistry, load_federation, validate_federation
from publisher.cli import main
from publisher.plan import build_plan
from publisher.portal import SandboxServer


def validation_of(repo):
    federation = load_federation(repo.root)
    return validate_federation(federation, SchemaRegistry.load(federation.schemas_dir))


def test_plan_keeps_blocked_datasets_out_and_maps_metadata(mini_repo):
    mini_repo.dataset("propre", frequency="monthly", modified="2026-11-02")
    mini_repo.dataset("fautif", [GOOD_ROW.replace("2025-02-11", "11/02/2025")])
    plan = build_plan(validation_of(mini_repo))
    assert [b.dataset_id for b in plan.blocked] == ["begles-fautif"]
    assert plan.blocked[0].codes == ("FMT-DATE-FR",)
    (payload,) = plan.payloads
    assert payload.dataset_id == "begles-propre"
    default = payload.metadata["default"]
    assert default["title"] == "Subventions aux associations"
    assert default["publisher"] == "Commune de Bègles"
    assert default["modified"] == "2026-11-02T00:00:00+00:00"
    assert default["language"] == "fr"
    assert default["description"].startswith("<p>") and "<script" not in default["description"]
    assert payload.metadata["dcat"]["accrualperiodicity"] == "Mensuelle"
    assert payload.metadata["internal"]["license_id"] == "Licence Ouverte v2.0 (Etalab)"
    (resource,) = payload.files
    assert resource.extractor == "csvfile" and resource.params["separator"] == ";"


@pytest.fixture
def portal(tmp_path):
    with SandboxServer(tmp_path / "portail", processing_delay=0.05) as server:
        yield server


def test_publish_to_a_real_portal_url_with_the_key_from_the_environment(
    mini_repo, portal, monkeypatch
):
    mini_repo.dataset("propre")
    runner = CliRunner()
    monkeypatch.delenv("PUBLISHER_ODS_API_KEY", raising=False)
    monkeypatch.delenv("PUBLISHER_ODS_API_KEY_FILE", raising=False)
    missing = runner.invoke(main, ["publish", str(mini_repo.root), "--portal", portal.url])
    assert missing.exit_code == 2
    assert "PUBLISHER_ODS_API_KEY" in missing.output

    monkeypatch.setenv("PUBLISHER_ODS_API_KEY", "cle-inconnue-4242")
    refused = runner.invoke(main, ["publish", str(mini_repo.root), "--portal", portal.url])
    assert refused.exit_code == 3
    assert "cle-inconnue-4242" not in refused.output

    key_file = mini_repo.root.parent / "cle"
    key_file.write_text(portal.api_key + "\n", "utf-8")
    monkeypatch.delenv("PUBLISHER_ODS_API_KEY")
    monkeypatch.setenv("PUBLISHER_ODS_API_KEY_FILE", str(key_file))
    done = runner.invoke(main, ["publish", str(mini_repo.root), "--portal", portal.url])
    assert done.exit_code == 0, done.output
    assert "begles-propre" in done.output and "1 jeu publié ou mis à jour" in done.output
    assert portal.api_key not in done.output
    again = runner.invoke(main, ["publish", str(mini_repo.root), "--portal", portal.url])
    assert "Rien de nouveau à publier" in again.output


def test_broken_sandbox_state_still_writes_the_reports(mini_repo):
    mini_repo.dataset("propre")
    (mini_repo.root / ".publisher").write_text("pas un dossier", "utf-8")
    result = CliRunner().invoke(main, ["run", str(mini_repo.root)])
    assert result.exit_code == 3
    assert ".publisher/sandbox" in result.output and "Traceback" not in result.output
    assert (mini_repo.root / "reports/rapport.json").is_file()


@pytest.mark.parametrize(
    "url,key,message",
    [
        ("notaurl", "cle", "adresse de portail invalide"),
        ("http://127.0.0.1:9", "clé-accentuée", "non ASCII"),
    ],
    ids=["bad-url", "non-ascii-key"],
)
def test_bad_portal_url_or_key_is_a_usage_error(mini_repo, monkeypatch, url, key, message):
    mini_repo.dataset("propre")
    monkeypatch.setenv("PUBLISHER_ODS_API_KEY", key)
    result = CliRunner().invoke(main, ["publish", str(mini_repo.root), "--portal", url])
    assert result.exit_code == 2
    assert message in result.output
