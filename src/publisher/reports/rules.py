"""What a rule means: its explanation, its legal texts and how to fix, for reports and `explain`.

Every code of the catalogue is explained from its own wording (title, example message, fix) and
from the legal references its basis names, summarised here in plain French. The summaries are
not legal advice: they point to the texts, which prevail.
"""

from __future__ import annotations

from typing import Any

from publisher.codes import Code
from publisher.findings import Location
from publisher.i18n import N_, Translator

DOCS_PAGE = "docs/checks.md"

LEGAL_TEXTS: tuple[tuple[str, str, str | None], ...] = (
    (
        "CRPA L300-4",
        N_(
            "Ce qui est mis à disposition sous forme électronique l'est dans un standard ouvert, "
            "aisément réutilisable et exploitable par un système de traitement automatisé."
        ),
        None,
    ),
    (
        "LCEN art. 4",
        N_(
            "Définit le standard ouvert : un format interopérable dont les spécifications "
            "techniques sont publiques, sans restriction d'accès ni de mise en œuvre."
        ),
        None,
    ),
    (
        "L312-1-1",
        N_(
            "Les collectivités d'au moins 3 500 habitants et 50 agents publient en ligne les "
            "documents communiqués, le répertoire de leurs principaux documents, leurs bases de "
            "données mises à jour régulièrement et les données d'intérêt économique, social, "
            "sanitaire ou environnemental."
        ),
        None,
    ),
    (
        "L312-1-2",
        N_(
            "Les données personnelles ne sont publiées qu'après un traitement qui rend "
            "impossible l'identification des personnes, sauf si une loi le permet, si les "
            "personnes y ont consenti ou si la catégorie figure à l'article D312-1-3."
        ),
        None,
    ),
    (
        "D312-1-3",
        N_(
            "Liste les documents publiables sans anonymisation : organisation de "
            "l'administration, vie politique, activités soumises à formalités, entre autres."
        ),
        None,
    ),
    (
        "L323-2",
        N_(
            "Une réutilisation soumise à licence utilise une licence de la liste fixée par "
            "décret : pour les données, Licence Ouverte 2.0 (Etalab) ou ODbL ; toute autre "
            "licence doit être homologuée (D323-2-2)."
        ),
        None,
    ),
    (
        "décret 2017-638",
        N_("Fixe la liste des licences de réutilisation à titre gratuit."),
        "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000034502557",
    ),
    (
        "RGPD",
        N_(
            "Règlement général sur la protection des données : une donnée personnelle se "
            "rapporte à une personne identifiée ou identifiable (art. 4) ; seules les données "
            "nécessaires sont traitées (art. 5, minimisation)."
        ),
        "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
    ),
    (
        "CNIL",
        N_(
            "Une donnée anonymisée ne permet plus d'isoler, de relier ni de déduire des "
            "informations sur une personne (critères de la CNIL)."
        ),
        "https://www.cnil.fr/fr/lanonymisation-des-donnees-un-traitement-cle-pour-lopen-data",
    ),
    (
        "FMT-02",
        N_(
            "Le jeu déclare suivre un schéma partagé de schema.data.gouv.fr : ses fichiers en "
            "respectent les colonnes, les types et les contraintes, pour être réutilisables avec "
            "ceux des autres collectivités."
        ),
        "https://schema.data.gouv.fr",
    ),
)
"""(reference found in a legal basis, plain-French summary, official address or None)."""


def doc_anchor(code: str) -> str:
    """Where docs/checks.md explains the code (its headings are the codes)."""
    return f"{DOCS_PAGE}#{code.lower()}"


def legal_texts(basis: str | None, tr: Translator) -> list[dict[str, Any]]:
    """The summarised texts a legal basis refers to, in the order of the table."""
    if not basis:
        return []
    return [
        {"reference": reference, "summary": tr.gettext(summary), "url": url}
        for reference, summary, url in LEGAL_TEXTS
        if reference in basis
    ]


def rule_entry(code: Code, tr: Translator) -> dict[str, Any]:
    """A rule as reports and `explain` show it: title, an example finding, fix, law."""
    example = code.finding(Location(), **code.example)
    return {
        "title": tr.gettext(code.title),
        "severity": code.severity.value,
        "severity_label": tr.gettext(code.severity.label),
        "legal_basis": code.legal_basis,
        "example": tr.template(code.message, example.params),
        "hint": tr.template(code.hint, example.params),
        "doc": doc_anchor(code.code),
        "legal_texts": legal_texts(code.legal_basis, tr),
    }
