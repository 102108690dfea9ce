"""The main job on the example data repository, in real processes: validate, report, publish.

The five pilot communes carry a few faults on purpose (communes/README.md); this test pins
them, so a change in a check or in the sample data that alters what officers see is noticed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

EXPECTED_BLOCKED = {
    "begles-subventions-associations-2026": ["FR-SIRET", "PRIV-01"],
    "merignac-subventions-associations": ["PRIV-01", "PRIV-05"],
    "le-taillan-medoc-equipements-publics": ["LIC-01"],
    "pessac-arbres-alignement": ["FMT-ENCODING"],
    "talence-deliberations-conseil-municipal": ["FMT-DATE-FR", "SCHEMA-REQUIRED"],
}
EXPECTED_WARNINGS = {"talence-toilettes-publiques": ["PUB-03"]}
PLANTED = (
    "sophie.garnier33@gmail.com",
    "2 69 05 49 588 157 80",
    "269054958815780",
    "06 71 42 18 93",
    "0671421893",
    "Karim Benali",
)
"""Personal data planted in the example communes (communes/README.md): never shown in clear."""


def publisher(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("publisher")
    return subprocess.run(
        [str(executable), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def example_repo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("exemple")
    for name in ("federation.yaml",):
        shutil.copy(REPO / name, root / name)
    for name in ("schemas", "communes"):
        shutil.copytree(REPO / name, root / name)
    return root


def test_run_validates_reports_and_publishes_then_publishes_nothing_new(example_repo):
    first = publisher("run", cwd=example_repo)
    assert first.returncode == 1, first.stderr  # blocking findings exist, on purpose
    assert "Traceback" not in first.stdout + first.stderr
    report = json.loads((example_repo / "reports/rapport.json").read_text("utf-8"))
    html = (example_repo / "reports/rapport.html").read_text("utf-8")
    audit = json.loads((example_repo / "reports/audit/audit.json").read_text("utf-8"))
    assert [c["slug"] for c in audit["communes"]] == [c["slug"] for c in report["communes"]]

    by_dataset: dict[str, set[str]] = {}
    for finding in report["findings"]:
        by_dataset.setdefault(f"{finding['commune']}-{finding['dataset']}", set()).add(
            (finding["severity"], finding["code"])
        )
    blocked = {
        d: sorted(c for s, c in codes if s == "error")
        for d, codes in by_dataset.items()
        if any(s == "error" for s, _ in codes)
    }
    warned = {
        d: sorted(c for s, c in codes if s == "warning")
        for d, codes in by_dataset.items()
        if any(s == "warning" for s, _ in codes)
    }
    assert blocked == EXPECTED_BLOCKED
    assert warned == EXPECTED_WARNINGS
    privacy = {
        (f["dataset"], f["code"], f["row"], f["column"], f["value"])
        for f in report["findings"]
        if f["code"].startswith("PRIV")
    }
    assert privacy == {
        ("subventions-associations-2026", "PRIV-01", 13, "objet", "06 •• •• •• 93"),
        ("subventions-associations-2026", "PRIV-01", 13, "objet", "M••• K••• B•••"),
        ("subventions-associations", "PRIV-01", 12, "objet", "s•••@gmail.com"),
        ("subventions-associations", "PRIV-05", 13, "objet", "2 69 05 •• ••• ••• 80"),
    }
    history = "".join(p.read_text("utf-8") for p in (example_repo / "reports").rglob("*.json"))
    for shown in (first.stdout, first.stderr, html, history):
        assert not [planted for planted in PLANTED if planted in shown]

    datasets = [d for c in report["communes"] for d in c["datasets"]]
    assert len(report["communes"]) == 5
    assert all(
        sum(d["portal_id"].startswith(c["slug"] + "-") for d in datasets) >= 4
        for c in report["communes"]
    )
    outcomes = {o["dataset_id"]: o for o in report["publication"]["outcomes"]}
    assert report["publication"]["sandbox"] is True
    assert {d for d, o in outcomes.items() if o["action"] == "blocked"} == set(EXPECTED_BLOCKED)
    published = {d for d, o in outcomes.items() if o["action"] == "create" and o["ok"]}
    assert published == {d["portal_id"] for d in datasets} - set(EXPECTED_BLOCKED)
    assert "Rapport de conformité" in html and "talence-deliberations-conseil-municipal" in html

    second = publisher("run", cwd=example_repo)
    assert second.returncode == 1
    assert "Rien de nouveau à publier" in second.stdout
    report = json.loads((example_repo / "reports/rapport.json").read_text("utf-8"))
    actions = {o["action"] for o in report["publication"]["outcomes"]}
    assert actions == {"unchanged", "blocked"}
    assert len(list((example_repo / "reports/historique").iterdir())) == 2


def test_publish_dry_run_after_a_change_shows_the_update_and_writes_nothing(example_repo):
    csv = example_repo / "communes/begles/datasets/subventions-associations/subventions-2025.csv"
    if not (example_repo / ".publisher").exists():
        pytest.skip("dépend du test précédent (état du bac à sable)")
    csv.write_text(
        csv.read_text("utf-8").replace("Fonctionnement", "Fonctionnement général", 1), "utf-8"
    )
    dry = publisher("publish", "--commune", "begles", "--dry-run", cwd=example_repo)
    assert dry.returncode == 1  # begles has one faulty dataset on purpose
    assert "begles-subventions-associations : prévu : mise à jour" in dry.stdout
    real = publisher("publish", "--commune", "begles", cwd=example_repo)
    assert (
        "begles-subventions-associations" in real.stdout
        and "1 jeu publié ou mis à jour" in real.stdout
    )
    again = publisher("publish", "--commune", "begles", cwd=example_repo)
    assert "Rien de nouveau à publier" in again.stdout
