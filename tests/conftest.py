"""Shared fixtures: a tiny federation written in a temporary folder, and the real corpus."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
PROFILE = "https://opendata.bordeaux-metropole.fr/publisher/profiles/dataset-1.0.json"

SUBVENTIONS_HEADER = (
    "nomAttribuant;idAttribuant;dateConvention;referenceDecision;nomBeneficiaire;idBeneficiaire;"
    "rnaBeneficiaire;objet;montant;nature;conditionsVersement;datesPeriodeVersement;idRAE;"
    "notificationUE;pourcentageSubvention;dispositifAide"
)
GOOD_ROW = (
    "Commune de Bègles;21330039500109;2025-02-11;DEL-2025-014;Association Sportive Béglaise;"
    ";W332001234;Fonctionnement annuel;24500;aide en numéraire;Echelonné;2025-03-01/2025-09-30;"
    ";non;0.35;Soutien aux clubs"
)


def descriptor(name: str, **overrides: Any) -> dict[str, Any]:
    """A valid dataset descriptor, with keys replaced (or removed when set to None)."""
    base: dict[str, Any] = {
        "$schema": PROFILE,
        "name": name,
        "title": "Subventions aux associations",
        "description": "Données essentielles des conventions de subvention de la commune.",
        "licenses": [{"name": "etalab-2.0"}],
        "keywords": ["subventions"],
        "themes": ["Économie"],
        "frequency": "annual",
        "modified": "2026-03-01",
        "personal_data": {"status": "absentes"},
        "contributors": [
            {
                "title": "Service vie associative",
                "email": "vie-asso@mairie-begles.fr",
                "roles": ["contact"],
            }
        ],
        "resources": [
            {
                "name": "donnees",
                "path": "donnees.csv",
                "format": "csv",
                "dialect": {"delimiter": ";"},
                "schema": "scdl/subventions@2.1.1",
            }
        ],
    }
    for key, value in overrides.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


class MiniRepo:
    """A data repository with one commune (begles) to which tests add datasets."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(REPO / "schemas", root / "schemas")
        shutil.copy(REPO / "federation.yaml", root / "federation.yaml")
        (root / "communes").mkdir()
        for slug in yaml.safe_load((REPO / "federation.yaml").read_text("utf-8"))["communes"]:
            shutil.copytree(
                REPO / "communes" / slug,
                root / "communes" / slug,
                ignore=shutil.ignore_patterns("datasets"),
            )

    def dataset(
        self,
        name: str,
        rows: list[str] | None = None,
        *,
        commune: str = "begles",
        raw_descriptor: str | None = None,
        data: bytes | None = None,
        **overrides: Any,
    ) -> Path:
        folder = self.root / "communes" / commune / "datasets" / name
        folder.mkdir(parents=True, exist_ok=True)
        text = raw_descriptor or yaml.safe_dump(
            descriptor(name, **overrides), allow_unicode=True, sort_keys=False
        )
        (folder / "datapackage.yaml").write_text(text, "utf-8")
        if data is None:
            data = "\n".join([SUBVENTIONS_HEADER, *(rows or [GOOD_ROW])]).encode("utf-8") + b"\n"
        (folder / "donnees.csv").write_bytes(data)
        return folder


@pytest.fixture
def mini_repo(tmp_path: Path) -> MiniRepo:
    return MiniRepo(tmp_path / "repo")


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("corpus partagé absent (../shared/corpus)")
    return CORPUS
