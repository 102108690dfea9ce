"""The law: licence, metadata and freshness."""

from publisher.codes.base import Code, E, W

CODES = (
    Code(
        "LIC-01",
        E,
        "Licence non autorisée",
        "La licence « {license} » n'est pas une licence de réutilisation autorisée pour les "
        "données publiques.",
        "Indiquez licenses: [{{name: etalab-2.0}}] (Licence Ouverte 2.0) ou ODbL-1.0 ; une autre "
        "licence exige une homologation (clé homologation).",
        "CRPA L323-2, D323-2-1 ; décret 2017-638",
        example={"license": "CC-BY-NC-4.0"},
    ),
    Code(
        "LIC-01-LEGACY",
        W,
        "Licence Ouverte 1.0",
        "La Licence Ouverte 1.0 est remplacée par la Licence Ouverte 2.0 depuis 2017.",
        "Remplacez la licence par etalab-2.0.",
        "CRPA D323-2-1 ; décret 2017-638",
    ),
    Code(
        "PUB-03",
        W,
        "Données en retard sur leur fréquence",
        "Dernière mise à jour le {modified}, il y a {age} jours, pour une fréquence "
        "« {frequency} » (retard au-delà de {limit} jours).",
        "Publiez une version à jour des données puis mettez à jour modified dans "
        "datapackage.yaml, ou corrigez la fréquence déclarée.",
        "CRPA L312-1-1 3°",
        example={
            "age": "14 mois",
            "frequency": "annuelle",
            "limit": "13 mois",
            "modified": "2025-09-01",
        },
    ),
    Code(
        "PUB-03-FUTURE",
        E,
        "Date de mise à jour dans le futur",
        "La date de dernière mise à jour {modified} est postérieure à aujourd'hui.",
        "Indiquez la date réelle de la dernière mise à jour (AAAA-MM-JJ).",
        "CRPA L312-1-1 3°",
        example={"modified": "2027-01-01"},
    ),
)
