"""The command line: exit codes, French messages, JSON on stdout, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GOOD_ROW, REPO, SUBVENTIONS_HEADER
from publisher.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner, *args):
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_validate_clean_repo_exits_zero(runner, mini_repo):
    mini_repo.dataset("jeu")
    result = invoke(runner, "validate", mini_repo.root)
    assert result.exit_code == 0, result.output
    assert "✔ begles/jeu — conforme" in result.stdout


def test_validate_blocking_exits_one_and_json_is_the_report(runner, mini_repo):
    mini_repo.dataset("jeu", [GOOD_ROW.replace("2025-02-11", "11/02/2025")])
    result = invoke(runner, "validate", mini_repo.root, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["summary"]["by_code"] == {"FMT-DATE-FR": 1}
    assert report["findings"][0]["row"] == 2


def test_validate_one_commune_and_write_reports(runner, mini_repo, tmp_path):
    mini_repo.dataset("jeu")
    mini_repo.dataset("autre", commune="pessac", licenses=[{"name": "CC-BY-NC-4.0"}])
    result = invoke(
        runner, "validate", mini_repo.root, "--commune", "begles", "--reports", tmp_path / "out"
    )
    assert result.exit_code == 0
    report = json.loads((tmp_path / "out/rapport.json").read_text("utf-8"))
    assert [c["slug"] for c in report["communes"]] == ["begles"]
    assert (tmp_path / "out/rapport.html").is_file()


@pytest.mark.parametrize(
    "args,message",
    [
        (["validate", "{repo}", "--commune", "bordeaux"], "commune inconnue"),
        (
            ["check", "{repo}/absent.csv", "--schema", "subventions", "--repo", "{repo}"],
            "fichier introuvable",
        ),
        (
            ["check", "{repo}/federation.yaml", "--schema", "inconnu", "--repo", "{repo}"],
            "schéma « inconnu » inconnu",
        ),
        (["validate", "{tmp}"], "aucun federation.yaml"),
    ],
    ids=["unknown-commune", "missing-file", "unknown-schema", "not-a-data-repo"],
)
def test_usage_and_configuration_errors_exit_two_in_french(
    runner, mini_repo, tmp_path, args, message
):
    mini_repo.dataset("jeu")
    filled = [a.format(repo=mini_repo.root, tmp=tmp_path) for a in args]
    result = invoke(runner, *filled)
    assert result.exit_code == 2
    assert message in result.output


def test_invalid_federation_yaml_exits_two_naming_the_file(runner, mini_repo):
    (mini_repo.root / "federation.yaml").write_text("name: [Bordeaux\n", "utf-8")
    result = invoke(runner, "validate", mini_repo.root)
    assert result.exit_code == 2
    assert "federation.yaml" in result.output and "YAML invalide" in result.output


def test_check_one_file(runner, tmp_path):
    path = tmp_path / "depot.csv"
    path.write_text(
        SUBVENTIONS_HEADER + "\n" + GOOD_ROW.replace("21330039500109", "21330039500108") + "\n",
        "utf-8",
    )
    result = invoke(runner, "check", path, "--schema", "scdl/subventions@2.1.1", "--repo", REPO)
    assert result.exit_code == 1
    assert "[FR-SIRET]" in result.stdout and "ligne 2" in result.stdout
    assert "annuaire-entreprises" in result.stdout


def test_schemas_list(runner):
    result = invoke(runner, "schemas", "list", "--repo", REPO)
    assert result.exit_code == 0
    assert "scdl/subventions@2.1.1" in result.stdout


def _corpus_files():
    folder = REPO.parent / "shared" / "corpus" / "subventions"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_check_every_real_subsidies_file_prints_findings(runner, path):
    result = invoke(runner, "check", path, "--schema", "subventions", "--repo", REPO)
    assert result.exit_code == 1, result.output
    assert "[" in result.stdout and "→" in result.stdout


def test_corpus_is_optional():
    if not _corpus_files():
        pytest.skip("corpus partagé absent (../shared/corpus)")


def test_real_process_validate(mini_repo):
    mini_repo.dataset("jeu")
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("publisher")),
            "validate",
            str(mini_repo.root),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["summary"]["verdict"] == "ok"
    assert "Contrôle de 1 jeu de données dans 5 communes" in completed.stderr
