"""Officer comfort: explain, init, new-dataset, --lang, several formats, quiet progress."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from conftest import GOOD_ROW, REPO
from publisher.cli import main
from publisher.cli.scaffold import commune_siren, official_name
from publisher.codes import CODES
from publisher.i18n import resolve_language, set_language


@pytest.fixture
def runner():
    yield CliRunner()
    set_language("fr")


def invoke(runner, *args, **kwargs):
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)
    assert "Traceback" not in result.output
    return result


def test_explain_a_code_with_its_law_and_fix(runner):
    result = invoke(runner, "explain", "priv-01")
    assert result.exit_code == 0
    assert result.stdout.startswith("PRIV-01 — Donnée personnelle")
    assert "Comment corriger" in result.stdout and "eur-lex.europa.eu" in result.stdout
    assert "docs/checks.md#priv-01" in result.stdout


def test_explain_every_code_and_an_unknown_one(runner):
    listing = invoke(runner, "explain")
    assert all(code in listing.stdout for code in CODES)
    unknown = invoke(runner, "explain", "FR-SIRT")
    assert unknown.exit_code == 2 and "FR-SIRET" in unknown.output


def test_explain_in_english(runner):
    result = invoke(runner, "--lang", "en", "explain", "LIC-01")
    assert "How to fix" in result.stdout and "Licence not allowed" in result.stdout


@pytest.mark.parametrize(
    "environ,language",
    [
        ({}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "PUBLISHER_LANG": "fr"}, "fr"),
        ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US"}, "fr"),
    ],
)
def test_language_from_the_environment(environ, language):
    assert resolve_language(None, environ) == language


def test_init_a_commune_then_a_dataset(runner, mini_repo):
    root = mini_repo.root
    result = invoke(
        runner,
        "init",
        "le-haillan",
        "--repo",
        root,
        input="Le Haillan\n33200\n11234\n190\nopendata@ville-lehaillan.fr\n",
    )
    assert result.exit_code == 0, result.output
    commune = yaml.safe_load((root / "communes/le-haillan/commune.yaml").read_text("utf-8"))
    assert commune["siren"] == "213302003" and commune["official_name"] == "Commune du Haillan"
    assert "le-haillan" in yaml.safe_load((root / "federation.yaml").read_text())["communes"]
    created = invoke(
        runner,
        "new-dataset",
        "subventions-2026",
        "--commune",
        "le-haillan",
        "--schema",
        "subventions",
        "--repo",
        root,
    )
    assert created.exit_code == 0, created.output
    folder = root / "communes/le-haillan/datasets/subventions-2026"
    header = (folder / "subventions-2026.csv").read_text("utf-8").strip().split(";")
    assert header[:2] == ["nomAttribuant", "idAttribuant"] and len(header) == 16
    checked = invoke(runner, "validate", root, "--commune", "le-haillan", "--format", "json")
    assert json.loads(checked.stdout)["summary"]["by_code"] == {"FMT-HEADER-ONLY": 1}


def test_init_refuses_bad_values_without_writing(runner, mini_repo):
    before = (mini_repo.root / "federation.yaml").read_text("utf-8")
    result = invoke(
        runner,
        "init",
        "Le Haillan",
        "--repo",
        mini_repo.root,
        "--name",
        "x",
        "--insee",
        "1",
        "--population",
        "1",
        "--fte",
        "1",
        "--contact-email",
        "a@b.fr",
    )
    assert result.exit_code == 2 and "minuscules" in result.output
    result = invoke(
        runner,
        "init",
        "haillan",
        "--repo",
        mini_repo.root,
        "--name",
        "Le Haillan",
        "--insee",
        "332",
        "--population",
        "1",
        "--fte",
        "1",
        "--contact-email",
        "a@b.fr",
    )
    assert result.exit_code == 2 and "commune.yaml" in result.output
    assert (mini_repo.root / "federation.yaml").read_text("utf-8") == before
    assert not (mini_repo.root / "communes/haillan/commune.yaml").exists()


def test_siren_and_official_name_of_the_pilot_communes():
    for slug in ("begles", "merignac", "le-taillan-medoc", "pessac", "talence"):
        commune = yaml.safe_load((REPO / f"communes/{slug}/commune.yaml").read_text("utf-8"))
        assert commune_siren(commune["insee"]) == commune["siren"]
        assert official_name(commune["name"]) == commune["official_name"]


def test_several_formats_need_an_output_folder(runner, mini_repo, tmp_path):
    mini_repo.dataset("jeu")
    refused = invoke(runner, "validate", mini_repo.root, "--format", "json", "--format", "sarif")
    assert refused.exit_code == 2 and "--output" in refused.output
    done = invoke(
        runner,
        "validate",
        mini_repo.root,
        "--format",
        "text",
        "--format",
        "junit",
        "--format",
        "gitlab",
        "--output",
        tmp_path / "out",
    )
    assert done.exit_code == 0
    assert "conforme" in done.stdout
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {
        "rapport.junit.xml",
        "rapport.codequality.json",
        "rapport.html",
        "rapport.json",
    }


def test_one_machine_format_goes_to_stdout_without_progress_noise(runner, mini_repo):
    mini_repo.dataset("jeu", [GOOD_ROW.replace("Fonctionnement annuel", "=1+1")])
    result = invoke(runner, "validate", mini_repo.root, "--format", "sarif")
    assert json.loads(result.stdout)["version"] == "2.1.0"
    assert "Contrôle de 1 jeu" in result.stderr and "Contrôle de 1 jeu" not in result.stdout
    assert "━" not in result.output  # no progress bar when not a terminal
    assert result.exit_code == 0
    strict = invoke(runner, "validate", mini_repo.root, "--fail-on", "warning")
    assert strict.exit_code == 1 and "CSV-FORMULA" in strict.stdout


def test_english_text_output(runner, mini_repo):
    mini_repo.dataset("jeu", [GOOD_ROW.replace("21330039500109", "21330039500108")])
    result = invoke(runner, "--lang", "en", "validate", mini_repo.root)
    assert "blocked (1 blocking, 0 warnings)" in result.stdout
    assert "is not a valid SIRET" in result.stdout and "Checking 1 dataset" in result.output
