"""Duties read in the cells (SUB-01 and the SIREN columns): what is flagged, and what is said
when a cell or a file cannot be checked."""

from __future__ import annotations

from conftest import GOOD_ROW
from publisher import load_federation, validate_federation
from publisher.audit import build_audit

from .conftest import AUDIT_DAY, obligation, result


def audit_of(mini_repo, slug: str = "begles"):
    federation = load_federation(mini_repo.root, [slug])
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


def convention(beneficiary: str, signed: str, amount: str, attributor: str = "") -> str:
    cells = GOOD_ROW.split(";")
    cells[1] = attributor or cells[1]
    cells[2], cells[4], cells[8] = signed, beneficiary, amount
    return ";".join(cells)


def test_the_threshold_is_a_yearly_total_per_beneficiary_in_french_amounts_too(mini_repo):
    rows = [
        convention("Club A", "2025-02-11", "12000"),  # row 2: 23 500 € to Club A in 2025
        convention("Club A", "2025-06-30", "11 500,00"),  # row 3
        convention("Club A", "2024-06-30", "12000"),  # row 4: alone in 2024
        convention("Club B", "2025-03-01", "23 500,00"),  # row 5: one convention over
        convention("Club C", "2025-03-01", "9000"),  # row 6: 9 000 € from the commune…
        convention("Club C", "2025-04-01", "20000", "21330281300109"),  # …and another body
    ]
    mini_repo.dataset("subventions", rows, issued="2026-03-01")
    audit = audit_of(mini_repo)
    late = {r.row: r for r in obligation(audit, "begles", "subventions").rows if r.kind == "late"}
    assert sorted(late) == [2, 3, 5]
    assert "23\u202f500 € au même bénéficiaire en 2025" in late[2].detail


def test_a_dataset_without_its_file_is_named_with_the_path_to_restore(mini_repo):
    folder = mini_repo.dataset("subventions", issued="2026-03-01")
    (folder / "donnees.csv").unlink()
    audit = audit_of(mini_repo)
    sub01 = result(audit, "begles", "SUB-01")
    assert sub01.status == "non_compliant"
    assert "Aucun jeu" not in sub01.reason
    assert "communes/begles/datasets/subventions/donnees.csv" in sub01.reason
    assert "DESC-FILE-MISSING" in sub01.reason
    assert "DESC-FILE-MISSING" in {f.code for f in sub01.evidence.findings}


REMUNERATIONS = (
    "siren;denomination_employeur;type_administration;annee;"
    "somme_10_plus_hautes_remunerations_brutes;nb_femmes_beneficiaires;nb_hommes_beneficiaires;"
    "duree_cumulee_mois;commentaires\n"
)


def test_rem01_wants_the_siren_itself_not_a_number_starting_with_it(mini_repo):
    rows = [
        "213302813;Commune de Mérignac;Autre collectivité territoriale;2025;1200000;5;5;120;",
        "21330281300109;Commune de Mérignac;Autre collectivité territoriale;2025;1;5;5;120;",
    ]
    mini_repo.dataset(
        "hautes-remunerations",
        commune="merignac",
        data=(REMUNERATIONS + "\n".join(rows) + "\n").encode("utf-8"),
        title="Dix plus hautes rémunérations",
        resources=[
            {
                "name": "donnees",
                "path": "donnees.csv",
                "format": "csv",
                "dialect": {"delimiter": ";"},
                "schema": "etalab/schema-hautes-remunerations@0.1.0",
            }
        ],
    )
    audit = audit_of(mini_repo, "merignac")
    rows = obligation(audit, "merignac", "hautes-remunerations").rows
    assert [(r.kind, r.row, r.column) for r in rows] == [("siren", 3, "siren")]
    assert "213302813" in rows[0].detail
