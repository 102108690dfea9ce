"""`publisher scan FILE`: a quick look at any file, with the same masked findings."""

from __future__ import annotations

import json

from click.testing import CliRunner

from publisher.cli import main


def test_scan_of_a_clean_file_says_so(tmp_path):
    clean = tmp_path / "equipements.csv"
    clean.write_text(
        "nom;adresse;telephone\nGymnase Jean Moulin;12 rue Victor Hugo;05 56 44 03 42\n"
    )
    result = CliRunner().invoke(main, ["scan", str(clean)])
    assert result.exit_code == 0, result.output
    assert "conforme" in result.output and "PRIV" not in result.output


def test_scan_reports_masked_findings_as_json(tmp_path):
    faulty = tmp_path / "inscrits.csv"
    faulty.write_text("nom;prenom;portable\nGARNIER;Sophie;06 71 42 18 93\n")
    result = CliRunner().invoke(main, ["scan", str(faulty), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.output)
    found = {(f["code"], f["column"], f["value"]) for f in document["findings"]}
    assert found == {
        ("PRIV-01", "nom", "G•••"),
        ("PRIV-01", "prenom", "S•••"),
        ("PRIV-01", "portable", "06 •• •• •• 93"),
    }


def test_scan_of_a_missing_file_is_a_french_error(tmp_path):
    result = CliRunner().invoke(main, ["scan", str(tmp_path / "absent.csv")])
    assert result.exit_code == 2
    assert "fichier introuvable" in result.output and "Traceback" not in result.output
