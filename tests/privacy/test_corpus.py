"""Real commune files: public ones stay quiet, a real private owner is found."""

from __future__ import annotations

import pytest

from publisher.validation import check_file

QUIET = [
    "subventions/castelmaurou_subventions.csv",
    "subventions/cd-maine-et-loire_conventions-de-subventions-du-departement-de-maine-et-loire.csv",
    "deliberations/saint-etienne-metropole_deliberations_bom-semicolon.csv",
    "bordeaux-metropole/ci_vcub_p_historique_api_sample.geojson",
    "marches-publics/decp_2022_format_fixture.json",
    "montpellier/montpellier_budget_primitif_2014.csv",
]


def privacy(path):
    return [f for f in check_file(path, None).findings if f.code.startswith("PRIV")]


@pytest.mark.parametrize("name", QUIET)
def test_public_files_raise_no_privacy_finding(corpus, name):
    assert privacy(corpus / name) == []


def test_owner_named_in_a_deliberation_is_found_and_masked(corpus):
    found = privacy(corpus / "montpellier/montpellier_deliberations.csv")
    address = [f for f in found if f.params.get("family") == "address"]
    assert [(f.code, f.location.column) for f in address] == [("PRIV-01", "Titre")]
    assert "FRANCK" not in address[0].value and "286" not in address[0].value
