"""PRIV-01…PRIV-06: the scanner's hits read against the dataset's personal-data declaration."""

from __future__ import annotations

import json

import pytest

from privacy.helpers import privacy, row, run

NIR = "2 69 05 49 588 157 80"
EXCEPTION = {
    "status": "publiées sous exception",
    "legal_basis": "CRPA D312-1-3 (vie politique : élus)",
    "columns": ["objet"],
}


def test_personal_email_in_free_text_is_blocking_and_masked(mini_repo):
    mini_repo.dataset(
        "jeu",
        [
            row(objet="Contact : sophie.garnier33@gmail.com ou contact@asso.fr"),
            row(objet="Écrire à jean.martin@mairie-begles.fr"),
            row(objet="Écrire à accueil@mairie-begles.fr"),
        ],
    )
    validation = run(mini_repo)
    assert privacy(validation) == [("PRIV-01", 2, "objet"), ("PRIV-REVIEW", 3, "objet")]
    blocking = validation.findings[0] if validation.findings[0].code == "PRIV-01" else None
    (blocking,) = [f for f in validation.findings if f.code == "PRIV-01"]
    assert blocking.value == "s•••@gmail.com"
    assert "sophie" not in blocking.message + blocking.hint
    assert "« absentes »" in blocking.message and "ligne 2" in blocking.message


def test_one_finding_per_column_and_family_lists_its_rows(mini_repo):
    mini_repo.dataset(
        "jeu", [row(objet=f"Tél. 06 12 34 56 {n:02d}, Sophie GARNIER") for n in range(8)]
    )
    findings = [f for f in run(mini_repo).findings if f.code == "PRIV-01"]
    assert {f.params["family"] for f in findings} == {"phone", "name"}
    phone = next(f for f in findings if f.params["family"] == "phone")
    assert phone.location.row == 2
    assert "8 cellules, lignes 2, 3, 4, 5, 6… (8 en tout)" in phone.message
    assert phone.value == "06 •• •• •• 00"


def test_declared_exception_limits_hits_to_declared_columns(mini_repo):
    mini_repo.dataset(
        "jeu",
        [row(objet="marie.dupont@orange.fr", dispositifAide="paul.durand@free.fr")],
        personal_data=EXCEPTION,
    )
    assert privacy(run(mini_repo)) == [("PRIV-02", 2, "dispositifAide")]


def test_a_nir_blocks_whatever_the_declaration(mini_repo):
    mini_repo.dataset("jeu", [row(objet=f"NIR {NIR}")], personal_data=EXCEPTION)
    (finding,) = [f for f in run(mini_repo).findings if f.code.startswith("PRIV")]
    assert finding.code == "PRIV-05" and finding.severity.value == "error"
    assert finding.value == "2 69 05 •• ••• ••• 80"


def test_exception_needs_a_recognisable_legal_basis_and_existing_columns(mini_repo):
    mini_repo.dataset(
        "jeu",
        personal_data={
            "status": "publiées sous exception",
            "legal_basis": "accord du service",
            "columns": ["nom_elu"],
        },
    )
    found = {(f.code, f.location.key) for f in run(mini_repo).findings if f.code.startswith("PRIV")}
    assert found == {
        ("PRIV-02-BASIS", "personal_data.legal_basis"),
        ("PRIV-02-COLUMN", "personal_data.columns"),
    }


def test_sensitive_category_with_a_person_blocks_but_not_alone(mini_repo):
    mini_repo.dataset(
        "jeu",
        [
            row(objet="Aide à Mme Sophie Garnier, bénéficiaire de l'AAH"),
            row(objet="Sport et handicap : achat de fauteuils"),
        ],
    )
    found = privacy(run(mini_repo))
    assert ("PRIV-04", 2, "objet") in found
    assert not [f for f in found if f[1] == 3]


ANONYMISED_HEADER = "quartier;tranche_age;sexe;aide"


def anonymised(mini_repo, rows, **declaration):
    data = "\n".join([ANONYMISED_HEADER, *rows]).encode("utf-8") + b"\n"
    resources = [{"name": "donnees", "path": "donnees.csv", "format": "csv"}]
    personal_data = {"status": "anonymisées", "method": "agrégation par classe d'âge"}
    personal_data.update(declaration)
    mini_repo.dataset("anonyme", data=data, resources=resources, personal_data=personal_data)
    return [
        (f.code, f.location.row, f.location.key)
        for f in run(mini_repo).findings
        if f.code.startswith("PRIV")
    ]


def test_k_anonymity_on_declared_quasi_identifiers(mini_repo):
    rows = ["Suzon;30-39;F;oui"] * 3 + ["Thouars;80-89;M;non"]
    found = anonymised(mini_repo, rows, quasi_identifiers=["quartier", "tranche_age", "sexe"])
    assert found == [("PRIV-03-K", 5, None)]
    (finding,) = [f for f in run(mini_repo).findings if f.code == "PRIV-03-K"]
    assert "k atteint : 1" in finding.message and "1 combinaison" in finding.message


def test_anonymised_without_quasi_identifiers_cannot_be_checked(mini_repo):
    assert anonymised(mini_repo, ["Suzon;30-39;F;oui"] * 3) == [
        ("PRIV-03-QI", None, "personal_data")
    ]


def test_direct_identifier_in_an_anonymised_dataset(mini_repo):
    rows = [f"Suzon;30-39;F;voir jean.dupont{n}@gmail.com" for n in range(3)]
    found = anonymised(mini_repo, rows, quasi_identifiers=["quartier", "tranche_age", "sexe"])
    assert found == [("PRIV-03", 2, None)]


def test_person_columns_must_be_justified(mini_repo):
    data = b"libelle;date_naissance;prenom\nAtelier;inconnue;\nSortie;;\n"
    resources = [{"name": "donnees", "path": "donnees.csv", "format": "csv"}]
    mini_repo.dataset("jeu", data=data, resources=resources)
    assert privacy(run(mini_repo)) == [("PRIV-06", None, "date_naissance")]


def test_aggregated_first_names_are_statistics_with_small_counts_to_review(mini_repo):
    data = (
        b"COLL_INSEE;ENFANT_SEXE;ENFANT_PRENOM;NOMBRE_OCCURRENCES;ANNEE\n"
        b"33039;F;Louise;12;2025\n33039;M;Gabriel;2;2025\n"
    )
    resources = [{"name": "donnees", "path": "donnees.csv", "format": "csv"}]
    mini_repo.dataset("prenoms", data=data, resources=resources)
    assert privacy(run(mini_repo)) == [("PRIV-REVIEW", 3, "NOMBRE_OCCURRENCES")]


def test_geojson_properties_and_points_are_scanned(mini_repo):
    feature = {
        "type": "Feature",
        "properties": {"nom": "Sophie GARNIER", "contact": {"tel": "06 12 34 56 78"}},
        "geometry": {"type": "Point", "coordinates": [-0.549026, 44.807846]},
    }
    folder = mini_repo.dataset(
        "carte",
        resources=[{"name": "donnees", "path": "donnees.geojson", "format": "geojson"}],
    )
    document = {"type": "FeatureCollection", "features": [feature]}
    (folder / "donnees.geojson").write_text(json.dumps(document), "utf-8")
    found = {(code, column) for code, _, column in privacy(run(mini_repo))}
    assert found == {
        ("PRIV-01", "nom"),
        ("PRIV-01", "contact.tel"),
        ("PRIV-REVIEW", "latitude"),
        ("PRIV-REVIEW", "longitude"),
    }


def test_json_records_are_scanned(mini_repo):
    folder = mini_repo.dataset(
        "api", resources=[{"name": "donnees", "path": "donnees.json", "format": "json"}]
    )
    records = {"results": [{"id": 1, "note": "ok"}, {"id": 2, "note": f"NIR {NIR}"}]}
    (folder / "donnees.json").write_text(json.dumps(records), "utf-8")
    assert privacy(run(mini_repo)) == [("PRIV-05", 2, "note")]  # second record


def test_personal_contact_mailbox_is_refused(mini_repo):
    contact = [{"title": "Jean Dupont", "email": "jean.dupont@gmail.com", "roles": ["contact"]}]
    mini_repo.dataset("jeu", contributors=contact)
    (finding,) = [f for f in run(mini_repo).findings if f.code == "PRIV-CONTACT"]
    assert finding.location.key == "contributors.0.email"
    assert finding.value == "j•••@gmail.com"


@pytest.mark.parametrize(
    "address,personal",
    [
        ("contact@asso.fr", False),
        ("contact-jean.dupont@gmail.com", True),
        ("j.dupont@asso.fr", True),
        ("jean.dupont@notbordeaux.fr", True),
        ("jean.dupont@services.mairie-begles.fr", False),
        ("accueil.mairie@gmail.com", False),
    ],
)
def test_contact_mailbox_rules(mini_repo, address, personal):
    contact = [{"title": "Service", "email": address, "roles": ["contact"]}]
    mini_repo.dataset("jeu", contributors=contact)
    codes = [f.code for f in run(mini_repo).findings if f.code == "PRIV-CONTACT"]
    assert bool(codes) == personal
