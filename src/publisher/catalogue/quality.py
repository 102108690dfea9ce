"""Metadata quality pre-score of a dataset, modelled on data.gouv.fr's quality score.

udata scores nine criteria, one point each, normalised to 0–1: licence, temporal coverage,
spatial coverage, update frequency set, update fulfilled in time (next update = last update +
one period, one day of grace; continuous and irregular always in time), description longer than
100 characters, open format, all resources available, every resource documented. The score
is computed before publication, from the descriptor: "available" means the file is in the
repository, not that a URL answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from publisher.i18n import N_, Translator
from publisher.model import Dataset
from publisher.validation import Validation
from publisher.vocabularies import FREQUENCIES

DESCRIPTION_LENGTH = 100
"""udata's `QUALITY_DESCRIPTION_LENGTH`: the description must be strictly longer."""
GRACE_DAYS = 1
CLOSED_FORMATS = frozenset({"pdf", "doc", "docx", "word", "xls", "xlsx", "excel"})
"""udata's closed formats (pdf, doc, word, xls, excel) and their usual file extensions;
OpenDocument (odt, ods) is an open standard."""

CRITERIA = (
    (
        "dataset_description_quality",
        N_("Description de plus de 100 caractères"),
        N_("Allongez la description : contenu, origine, période, unité d'une ligne."),
    ),
    (
        "resources_documentation",
        N_("Chaque fichier a une description"),
        N_("Ajoutez une clé description à chaque ressource du descripteur."),
    ),
    ("license", N_("Licence indiquée"), N_("Indiquez la licence (licenses: etalab-2.0).")),
    (
        "update_frequency",
        N_("Fréquence de mise à jour indiquée"),
        N_("Indiquez la fréquence (frequency)."),
    ),
    (
        "update_fulfilled_in_time",
        N_("Mise à jour dans les temps"),
        N_("Publiez une version à jour et changez modified, ou corrigez la fréquence."),
    ),
    (
        "temporal_coverage",
        N_("Couverture temporelle indiquée"),
        N_("Ajoutez temporal: {start: AAAA-MM-JJ, end: AAAA-MM-JJ}."),
    ),
    (
        "spatial",
        N_("Couverture spatiale indiquée"),
        N_("Ajoutez spatial: {insee: [code INSEE de la commune]}."),
    ),
    (
        "has_open_format",
        N_("Au moins un fichier en format ouvert"),
        N_("Publiez les données en CSV, JSON ou GeoJSON plutôt qu'en PDF ou tableur."),
    ),
    (
        "all_resources_available",
        N_("Tous les fichiers sont présents"),
        N_("Déposez les fichiers que le descripteur déclare, à côté de lui."),
    ),
)


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    passed: bool
    fix: str | None


@dataclass(frozen=True)
class Quality:
    """The pre-score of one dataset (0–1, two decimals) and each criterion with its fix."""

    dataset: str
    title: str
    score: float
    criteria: tuple[Criterion, ...]


def in_time(dataset: Dataset, today: date) -> bool:
    frequency = FREQUENCIES.get(dataset.frequency or "")
    if frequency is None:
        return False
    if frequency.period_days is None:
        return True
    try:
        updated = date.fromisoformat(dataset.modified or "")
    except ValueError:
        return False
    next_update = updated + timedelta(days=frequency.period_days)
    return (next_update - today).days >= -GRACE_DAYS


def quality(dataset: Dataset, validation: Validation, today: date, tr: Translator) -> Quality:
    missing_files = any(f.code == "DESC-FILE-MISSING" for f in validation.of_dataset(dataset))
    formats = [r.format.lower() for r in dataset.resources]
    passed = {
        "dataset_description_quality": len(dataset.description.strip()) > DESCRIPTION_LENGTH,
        "resources_documentation": bool(dataset.resources)
        and all(r.description for r in dataset.resources),
        "license": bool(dataset.licenses),
        "update_frequency": dataset.frequency in FREQUENCIES,
        "update_fulfilled_in_time": in_time(dataset, today),
        "temporal_coverage": bool(dataset.descriptor.get("temporal")),
        "spatial": bool((dataset.descriptor.get("spatial") or {}).get("insee")),
        "has_open_format": any(f not in CLOSED_FORMATS for f in formats),
        "all_resources_available": bool(dataset.resources) and not missing_files,
    }
    criteria = tuple(
        Criterion(key, tr.gettext(label), passed[key], None if passed[key] else tr.gettext(fix))
        for key, label, fix in CRITERIA
    )
    score = round(sum(c.passed for c in criteria) / len(criteria), 2)
    return Quality(dataset.name, dataset.title, score, criteria)
