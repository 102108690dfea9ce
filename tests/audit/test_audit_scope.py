"""Each pilot's duties match the facts table of the reference (law-and-rules.md §2)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from conftest import REPO
from publisher import load_federation
from publisher.audit.scope import commune_scope
from publisher.i18n import translator

PILOTS = {
    # slug: (population totale 2023, L312-1-1, DELIB-01 / BUD-01, REM-01)
    "begles": (32_221, True, True, False),
    "merignac": (78_946, True, True, True),
    "le-taillan-medoc": (11_234, True, True, False),
    "pessac": (68_102, True, True, True),
    "talence": (47_340, True, True, True),
}


@pytest.fixture(scope="module")
def communes():
    return {c.slug: c for c in load_federation(REPO).communes}


@pytest.mark.parametrize("slug", PILOTS)
def test_pilot_scope_matches_the_facts_table(communes, slug):
    population, l312, cgct, rem = PILOTS[slug]
    commune = communes[slug]
    assert commune.population_total == population
    assert commune.population_millesime == 2023
    scope = commune_scope(commune, translator("fr"))
    assert (scope["l312"].applies, scope["cgct"].applies, scope["rem"].applies) == (
        l312,
        cgct,
        rem,
    )


def test_sector_duties_follow_declared_roles(communes):
    roles = {
        slug: {
            role
            for role in ("amenageur-irve", "gestionnaire-stationnement")
            if commune_scope(commune, translator("fr"))[f"role:{role}"].applies
        }
        for slug, commune in communes.items()
    }
    assert roles == {
        "begles": set(),
        "merignac": {"amenageur-irve", "gestionnaire-stationnement"},
        "le-taillan-medoc": set(),
        "pessac": {"gestionnaire-stationnement"},
        "talence": set(),
    }


@pytest.mark.parametrize(
    ("population", "fte", "l312", "cgct", "rem"),
    [
        (3_499, 120, False, False, False),
        (3_500, 50, True, True, False),
        (3_500, 49.5, False, True, False),
        (40_000, 400, True, True, False),
        (40_001, 400, True, True, True),
    ],
)
def test_thresholds_are_those_of_the_law(communes, population, fte, l312, cgct, rem):
    commune = replace(communes["begles"], population_total=population, staff_fte=fte)
    scope = commune_scope(commune, translator("fr"))
    assert (scope["l312"].applies, scope["cgct"].applies, scope["rem"].applies) == (
        l312,
        cgct,
        rem,
    )
    if not l312:
        assert "ne s'applique pas" in scope["l312"].reason
