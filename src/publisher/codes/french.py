"""French identifiers and the other custom checks of the shared schemas."""

from publisher.codes.base import INFO, Code, E

CODES = (
    Code(
        "SCHEMA-CUSTOM-UNCHECKED",
        INFO,
        "Contrôle du schéma pas encore appliqué",
        "Le schéma {schema} déclare le contrôle « {check} » ({params}) que publisher "
        "n'applique pas encore.",
        "Vérifiez ce point avec le validateur national (validata) avant publication.",
        "Schéma partagé déclaré (FMT-02)",
        example={
            "check": "opening-hours-value",
            "params": "column=horaires",
            "schema": "scdl/equipements@0.1.5",
        },
    ),
    Code(
        "FR-SIRET",
        E,
        "SIRET invalide",
        "La valeur de la colonne « {column} » n'est pas un SIRET valide ({reason}).",
        "Recopiez le SIRET à 14 chiffres depuis l'annuaire des entreprises "
        "(annuaire-entreprises.data.gouv.fr) ; une erreur de frappe casse la clé de contrôle.",
        "Schéma partagé déclaré, contrôle french-siret-value",
        example={"column": "idBeneficiaire", "reason": "clé de contrôle fausse"},
    ),
    Code(
        "FR-SIREN",
        E,
        "SIREN invalide",
        "La valeur de la colonne « {column} » n'est pas un SIREN valide ({reason}).",
        "Recopiez le SIREN à 9 chiffres depuis l'annuaire des entreprises "
        "(annuaire-entreprises.data.gouv.fr).",
        "Schéma partagé déclaré, contrôle french-siren-value",
        example={"column": "idAttribuant", "reason": "9 chiffres attendus"},
    ),
)
