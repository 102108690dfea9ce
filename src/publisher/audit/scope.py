"""Who is bound by what: each commune's duties from the facts of its commune.yaml.

CRPA L312-1-1 binds a commune of at least 3 500 inhabitants (population totale) AND 50 agents
in FTE (CADA 20192116); the CGCT duties (délibérations, budget) start at 3 500 inhabitants;
the ten highest pay packages above 40 000; sector duties follow the roles the commune declares.
"""

from __future__ import annotations

from dataclasses import dataclass

from publisher.i18n import N_, Translator
from publisher.model import Commune

L312_POPULATION = 3_500
L312_FTE = 50
CGCT_POPULATION = 3_500
REM_POPULATION = 40_000
"""Strictly above: CGFP L716-1 as amended by loi 2023-623."""


@dataclass(frozen=True)
class Duty:
    """Whether one scope of the registry (`l312`, `rem`, `role:…`) binds the commune, and why."""

    scope: str
    applies: bool
    reason: str


ROLE_LABELS = {
    "amenageur-irve": N_("aménageur d'infrastructures de recharge (IRVE)"),
    "gestionnaire-stationnement": N_("gestionnaire de parcs de stationnement"),
}


def commune_scope(commune: Commune, tr: Translator) -> dict[str, Duty]:
    """Every scope of the registry, decided for this commune."""
    _ = tr.gettext
    population = tr.number(commune.population_total)
    fte = tr.number(commune.staff_fte)
    facts = {"population": population, "millesime": commune.population_millesime, "fte": fte}
    big = commune.population_total >= L312_POPULATION
    staffed = commune.staff_fte >= L312_FTE
    if big and staffed:
        l312 = _(
            "Population totale {population} (millésime {millesime}) d'au moins 3 500 habitants "
            "et {fte} agents en ETP, au moins 50 : l'article L312-1-1 s'applique."
        )
    elif not big:
        l312 = _(
            "Population totale {population} (millésime {millesime}) de moins de 3 500 "
            "habitants : l'article L312-1-1 ne s'applique pas."
        )
    else:
        l312 = _(
            "{fte} agents en ETP, moins de 50 : l'article L312-1-1 ne s'applique pas "
            "(CRPA D312-1-1-1)."
        )
    cgct = (
        _("Population totale {population}, au moins 3 500 habitants : le CGCT l'impose.")
        if commune.population_total >= CGCT_POPULATION
        else _("Population totale {population}, moins de 3 500 habitants : non imposé.")
    )
    rem = (
        _("Population totale {population}, plus de 40 000 habitants : CGFP L716-1 s'applique.")
        if commune.population_total > REM_POPULATION
        else _(
            "Population totale {population}, pas plus de 40 000 habitants : la publication des "
            "dix plus hautes rémunérations n'est pas imposée (CGFP L716-1)."
        )
    )
    transport = sorted(d.name for d in commune.datasets if d.regime == "transport")
    duties = [
        Duty("any", True, _("Obligation de toute commune, quelle que soit sa taille.")),
        Duty("l312", big and staffed, l312.format(**facts)),
        Duty("cgct", commune.population_total >= CGCT_POPULATION, cgct.format(**facts)),
        Duty("rem", commune.population_total > REM_POPULATION, rem.format(**facts)),
        Duty(
            "transport",
            bool(transport),
            _("Jeux au régime transport : {datasets}.").format(datasets=", ".join(transport))
            if transport
            else _("Aucun jeu de la commune ne déclare le régime transport."),
        ),
        Duty(
            "software",
            False,
            _("Le dépôt ne publie que des données, aucune ressource logicielle."),
        ),
        Duty(
            "reference",
            False,
            _(
                "Aucun jeu de données de référence dans le dépôt : la Base Adresse Locale se "
                "publie dans la Base Adresse Nationale (voir BAL-01)."
            ),
        ),
    ]
    for role, label in ROLE_LABELS.items():
        declared = role in commune.roles
        text = (
            _("La commune se déclare {role} (roles dans commune.yaml).")
            if declared
            else _(
                "La commune ne se déclare pas {role} dans commune.yaml : la compétence est "
                "exercée par un autre organisme, la métropole par exemple."
            )
        )
        duties.append(Duty(f"role:{role}", declared, text.format(role=_(label))))
    return {duty.scope: duty for duty in duties}
