"""No report, terminal output or log shows a planted identifier in clear.

Identifiers of every family are planted in a data repository, in free text and in cells that
also break the shared schema (so that schema findings show them too); every command that
prints or writes findings is run, and everything it produced is searched for them.
"""

from __future__ import annotations

import json
import logging

from click.testing import CliRunner

from privacy.helpers import row
from publisher.cli import main

PLANTED = {
    "nir": "2 69 05 49 588 157 80",
    "nir_compact": "269054958815780",
    "iban": "FR76 3000 6000 0112 3456 7890 189",
    "iban_compact": "FR7630006000011234567890189",
    "email": "sophie.garnier33@gmail.com",
    "mobile": "06 71 42 18 93",
    "mobile_intl": "+33 6 71 42 18 93",
    "name": "Sophie GARNIER",
    "civility": "Mme Garnier",
    "birth": "12/03/1985",
    "passport": "19AB12345",
}
ROWS = [
    row(objet=f"Aide à {PLANTED['name']}, NIR {PLANTED['nir']}"),
    row(objet=f"Versement sur {PLANTED['iban']} pour {PLANTED['civility']}"),
    row(objet=f"Contact {PLANTED['email']} ou {PLANTED['mobile_intl']}, née le {PLANTED['birth']}"),
    # the same identifiers in cells the shared schema refuses: shown by schema findings too
    row(idBeneficiaire=PLANTED["nir_compact"], montant=PLANTED["mobile"]),
    row(dateConvention=f"née le {PLANTED['birth']}", montant=PLANTED["name"]),
    row(pourcentageSubvention=PLANTED["iban_compact"], idRAE=PLANTED["email"]),
]
OTHER_FILE = (
    "nom;prenom;telephone_portable;passeport;date_naissance\n"
    f"GARNIER;Sophie;{PLANTED['mobile']};{PLANTED['passport']};{PLANTED['birth']}\n"
)


def leaks(text: str) -> list[str]:
    return [name for name, value in PLANTED.items() if value in text]


def test_no_output_shows_a_planted_identifier(mini_repo, tmp_path, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    mini_repo.dataset("jeu", ROWS)
    lone = tmp_path / "depot.csv"
    lone.write_text(OTHER_FILE, "utf-8")
    geojson = tmp_path / "carte.geojson"
    feature = {
        "type": "Feature",
        "properties": {"contact": PLANTED["email"], "nom": PLANTED["name"]},
        "geometry": {"type": "Point", "coordinates": [-0.5, 44.8]},
    }
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), "utf-8")
    monkeypatch.chdir(mini_repo.root)
    runner = CliRunner()
    reports = tmp_path / "rapports"
    invocations = [
        ["validate"],
        ["validate", "--format", "json", "--reports", str(reports)],
        ["--lang", "en", "validate", "--format", "json"],
        ["check", str(lone), "--schema", "subventions"],
        [
            "check",
            str(mini_repo.root / "communes/begles/datasets/jeu/donnees.csv"),
            "--schema",
            "subventions",
            "--format",
            "json",
        ],
        ["scan", str(lone)],
        ["scan", str(lone), "--format", "json"],
        ["scan", str(geojson)],
    ]
    outputs = []
    for arguments in invocations:
        result = runner.invoke(main, arguments)
        assert result.exit_code == 1, (arguments, result.output)
        outputs.append(result.output)
    written = [path.read_text("utf-8") for path in reports.rglob("*") if path.is_file()]
    logged = [record.getMessage() for record in caplog.records]
    everything = "\n".join(outputs + written + logged)
    assert "PRIV-05" in everything and "FR-SIRET" in everything and "SCHEMA-TYPE" in everything
    assert leaks(everything) == []
