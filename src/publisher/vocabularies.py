"""Shared vocabularies: update frequencies and licences, with their portal and EU labels.

One table each, used by the legal checks (staleness, allowed licences) and by the metadata
sent to the portal, so that both always agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Frequency:
    """A Dublin Core frequency term and what the portal and the EU call it."""

    id: str
    label: str
    eu_code: str
    period_days: float | None


FREQUENCIES: dict[str, Frequency] = {
    f.id: f
    for f in (
        Frequency("triennial", "Triennal", "TRIENNIAL", 1095),
        Frequency("biennial", "Biennal", "BIENNIAL", 730),
        Frequency("annual", "Annuelle", "ANNUAL", 365),
        Frequency("semiannual", "Deux fois par an", "ANNUAL_2", 182),
        Frequency("threeTimesAYear", "Trois fois par an", "ANNUAL_3", 122),
        Frequency("quarterly", "Trimestrielle", "QUARTERLY", 91),
        Frequency("bimonthly", "Bimestrielle", "BIMONTHLY", 61),
        Frequency("monthly", "Mensuelle", "MONTHLY", 30),
        Frequency("semimonthly", "Deux fois par mois", "MONTHLY_2", 15),
        Frequency("biweekly", "Toutes les deux semaines", "BIWEEKLY", 14),
        Frequency("threeTimesAMonth", "Trois fois par mois", "MONTHLY_3", 10),
        Frequency("weekly", "Hebdomadaire", "WEEKLY", 7),
        Frequency("semiweekly", "Deux fois par semaine", "WEEKLY_2", 3.5),
        Frequency("threeTimesAWeek", "Trois fois par semaine", "WEEKLY_3", 2.3),
        Frequency("daily", "Quotidienne", "DAILY", 1),
        Frequency("continuous", "Continue", "CONT", None),
        Frequency("irregular", "Sans régularité", "IRREG", None),
    )
}

STALE_FACTOR = 1.5
"""A dataset is late when its age exceeds 1.5 × its declared period (rule PUB-03)."""


@dataclass(frozen=True)
class Licence:
    """A licence as the descriptor names it (SPDX id) and as the portal shows it."""

    spdx: str
    portal_label: str
    url: str
    allowed: bool
    legacy: bool = False


LICENCES: dict[str, Licence] = {
    lic.spdx.lower(): lic
    for lic in (
        Licence(
            "etalab-2.0",
            "Licence Ouverte v2.0 (Etalab)",
            "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
            allowed=True,
        ),
        Licence(
            "ODbL-1.0",
            "Open Database License (ODbL)",
            "https://opendatacommons.org/licenses/odbl/",
            allowed=True,
        ),
        Licence(
            "etalab-1.0",
            "Licence Ouverte (Etalab)",
            "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
            allowed=True,
            legacy=True,
        ),
    )
}
"""Licences of decree 2017-638 for data (CRPA D323-2-1); others need a homologation."""


def licence(name: str) -> Licence | None:
    return LICENCES.get(name.strip().lower())
