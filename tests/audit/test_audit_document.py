"""The audit of the sample federation: every situation at least once, with its evidence,
deterministic, and in the shape of its JSON Schema."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import jsonschema
import pytest

from conftest import GOOD_ROW, REPO
from publisher import ConfigurationError, load_federation, validate_federation
from publisher.audit import build_audit
from publisher.audit.render import render_audit_html, render_audit_json

from .conftest import AUDIT_DAY, obligation, result

SCHEMA = json.loads((REPO / "src/publisher/audit/audit.schema.json").read_text("utf-8"))


def test_each_commune_has_a_status_for_each_rule(sample_audit):
    assert [c.slug for c in sample_audit.communes] == [
        "begles",
        "merignac",
        "le-taillan-medoc",
        "pessac",
        "talence",
    ]
    for commune in sample_audit.communes:
        assert len(commune.rules) == 33
        assert sum(commune.counts.values()) == 33


def test_a_missing_mandatory_dataset_is_non_compliant(sample_audit):
    assert obligation(sample_audit, "begles", "budget").status == "missing"
    budget = result(sample_audit, "begles", "BUD-01")
    assert budget.status == "non_compliant"
    assert "scdl/budget" in budget.reason


def test_a_stale_mandatory_dataset_is_non_compliant(sample_audit):
    catalogue = obligation(sample_audit, "begles", "catalogue")
    assert (catalogue.status, catalogue.stale) == ("stale", ("catalogue",))
    rule = result(sample_audit, "begles", "PUB-02")
    assert rule.status == "non_compliant"
    assert "2025-09-01" in rule.reason


def test_a_valid_attestation_makes_the_rule_compliant(sample_audit):
    rule = result(sample_audit, "begles", "SCOPE-02")
    assert rule.status == "compliant"
    assert rule.attestation.state == "valid"
    assert rule.attestation.signatory in rule.reason
    assert "communes/begles/attestations.yaml" in {f.path for f in rule.evidence.files}


def test_an_expired_attestation_counts_as_missing_and_says_so(sample_audit):
    rule = result(sample_audit, "talence", "SCOPE-02")
    assert rule.status == "needs_attestation"
    assert rule.attestation.state == "expired"
    assert "expiré le 2025-12-31" in rule.reason
    assert result(sample_audit, "merignac", "SCOPE-02").attestation is None


def test_a_rule_out_of_scope_is_not_applicable_with_its_reason(sample_audit):
    rule = result(sample_audit, "begles", "REM-01")
    assert rule.status == "not_applicable"
    assert "40 000" in rule.reason and "32" in rule.reason
    assert obligation(sample_audit, "begles", "hautes-remunerations").status == "not_applicable"
    assert result(sample_audit, "merignac", "REM-01").status == "non_compliant"


def test_a_non_compliant_rule_shows_its_findings_files_and_schemas(sample_audit):
    rule = result(sample_audit, "le-taillan-medoc", "LIC-01")
    assert rule.status == "non_compliant"
    [found] = rule.evidence.findings
    assert (found.code, found.severity, found.count) == ("LIC-01", "error", 1)
    assert found.locations[0]["dataset"] == "equipements-publics"
    assert found.locations[0]["key"] == "licenses"
    delib = result(sample_audit, "talence", "DELIB-01")
    assert {f.code for f in delib.evidence.findings} == {"FMT-DATE-FR", "SCHEMA-REQUIRED"}
    assert [s.ref for s in delib.evidence.schemas] == ["scdl/deliberations@2.1.5"]
    for file in delib.evidence.files:
        assert file.sha256 == hashlib.sha256((REPO / file.path).read_bytes()).hexdigest()
    assert delib.evidence.checked_on == AUDIT_DAY.isoformat()


def test_a_clean_rule_is_compliant(sample_audit):
    assert result(sample_audit, "begles", "PRIV-05").status == "compliant"
    assert result(sample_audit, "merignac", "PRIV-05").status == "non_compliant"


def test_late_subsidies_and_foreign_attributor_are_rows_of_sub01(mini_repo):
    cells = GOOD_ROW.split(";")
    late = ";".join(cells)  # 24 500 € signed 2025-02-11, deadline 2025-05-11
    small = ";".join([*cells[:4], "Club de lecture", *cells[5:8], "5000", *cells[9:]])
    recent = ";".join([*cells[:2], "2026-01-15", *cells[3:]])  # deadline 2026-04-15
    foreign = ";".join([cells[0], "21330281300109", *cells[2:8], "5000", *cells[9:]])
    mini_repo.dataset("subventions", [late, small, recent, foreign], issued="2026-03-01")
    federation = load_federation(mini_repo.root, ["begles"])
    validation = validate_federation(federation, federation.registry, today=AUDIT_DAY)
    audit = build_audit(federation, validation, today=AUDIT_DAY)
    rows = {(r.kind, r.row) for r in obligation(audit, "begles", "subventions").rows}
    assert rows == {("late", 2), ("siren", 5)}
    assert result(audit, "begles", "SUB-01").status == "non_compliant"


def test_json_follows_its_schema(sample_audit):
    jsonschema.validate(sample_audit.to_dict(), SCHEMA)
    jsonschema.validate(sample_audit.only("talence").to_dict(), SCHEMA)


def test_the_audit_fails_its_schema_when_a_status_is_unknown(sample_audit):
    data = sample_audit.to_dict()
    data["communes"][0]["rules"][0]["status"] = "conforme"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_same_inputs_give_the_same_audit_apart_from_its_date(sample_validation, sample_audit):
    again = build_audit(sample_validation.federation, sample_validation, today=AUDIT_DAY)
    first, second = sample_audit.to_dict(), again.to_dict()
    second["generated_at"] = first["generated_at"]
    assert render_audit_json(first) == render_audit_json(second)
    assert render_audit_html(first) == render_audit_html(second)


def test_html_is_french_and_names_each_status(sample_audit):
    page = render_audit_html(sample_audit.to_dict())
    assert '<html lang="fr">' in page
    for label in ("conforme", "non conforme", "à attester", "non applicable"):
        assert label in page
    assert "expirée, comptée comme absente" in page


def test_an_attestation_of_an_unknown_rule_is_refused_with_its_line(mini_repo):
    path = mini_repo.root / "communes/talence/attestations.yaml"
    path.write_text(path.read_text("utf-8").replace("rule: BAL-01", "rule: BAL-09"), "utf-8")
    federation = load_federation(mini_repo.root, ["talence"])
    validation = validate_federation(federation, federation.registry, today=AUDIT_DAY)
    with pytest.raises(ConfigurationError, match=r"BAL-09.*ligne 11") as error:
        build_audit(federation, validation, today=AUDIT_DAY)
    assert error.value.path == "communes/talence/attestations.yaml"


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ('expires: "2027-06-15"', 'expires: "2026-01-01"', "avant sa signature"),
        ('date: "2026-06-15"', 'date: "2026-02-30"', "n'existe pas"),
        ("    signatory: Julien Fabre\n", "", "signatory"),
    ],
    ids=["expiration", "calendrier", "clé manquante"],
)
def test_a_broken_attestation_file_stops_with_a_french_error(mini_repo, before, after, message):
    path = mini_repo.root / "communes/talence/attestations.yaml"
    text = path.read_text("utf-8")
    assert before in text
    path.write_text(text.replace(before, after), "utf-8")
    with pytest.raises(ConfigurationError, match=message) as error:
        load_federation(mini_repo.root, ["talence"])
    assert "attestations.yaml" in str(error.value)


def test_an_empty_attestation_file_says_what_to_do_in_french(mini_repo):
    (mini_repo.root / "communes/talence/attestations.yaml").write_text("# à remplir\n", "utf-8")
    with pytest.raises(ConfigurationError, match="mapping YAML") as error:
        load_federation(mini_repo.root, ["talence"])
    assert error.value.hint and "attestations:" in error.value.hint
    assert "supprimez-le" in error.value.hint


def test_rules_needing_an_attestation_only_when_declared(mini_repo, sample_audit):
    assert result(sample_audit, "begles", "LIC-01").status == "compliant"
    mini_repo.dataset(
        "jeu", licenses=[{"name": "CC-BY-4.0", "homologation": "arrêté du 1er mars 2025"}]
    )
    federation = load_federation(mini_repo.root, ["begles"])
    validation = validate_federation(federation, federation.registry, today=date(2026, 11, 23))
    audit = build_audit(federation, validation, today=date(2026, 11, 23))
    assert result(audit, "begles", "LIC-01").status == "needs_attestation"
