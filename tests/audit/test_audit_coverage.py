"""Duties read in the cells (SUB-01 and the SIREN columns): what is flagged, and what is said
when a cell or a file cannot be checked."""

from __future__ import annotations

from conftest import GOOD_ROW
from publisher import load_federation, validate_federation
from publisher.audit import build_audit

from .conftest import AUDIT_DAY, obligation, result


def audit_of(mini_repo):
    federation = load_federation(mini_repo.root, ["begles"])
    validation = validate_federation(federation, federation.registry, today=AUDIT_DAY)
    return build_audit(federation, validation, today=AUDIT_DAY)


def test_a_subsidies_file_polars_cannot_read_is_named_not_a_crash(mini_repo):
    cells = GOOD_ROW.split(";")
    stray_quote = cells[0] + ';"' + ";".join(cells[1:])
    mini_repo.dataset("subventions", [GOOD_ROW, stray_quote, GOOD_ROW], issued="2026-03-01")
    audit = audit_of(mini_repo)
    cover = obligation(audit, "begles", "subventions")
    assert cover.rows == ()
    sub01 = result(audit, "begles", "SUB-01")
    assert sub01.status == "non_compliant"
    assert "communes/begles/datasets/subventions/donnees.csv" in sub01.reason
    assert "n'ont pas pu être lues" in sub01.reason
    assert any(f.code.startswith("FMT-") for f in sub01.evidence.findings)


def test_without_issued_lateness_is_not_checkable_rather_than_late(mini_repo):
    mini_repo.dataset("subventions", [GOOD_ROW])  # 24 500 € of 2025-02-11, modified 2026-03-01
    audit = audit_of(mini_repo)
    assert obligation(audit, "begles", "subventions").rows == ()
    sub01 = result(audit, "begles", "SUB-01")
    assert "issued" in sub01.reason
    assert "retard" in sub01.reason and "pas vérifiable" in sub01.reason
