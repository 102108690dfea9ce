"""The catalogue of finding codes: severity, French title, message and fix templates, legal basis.

Every `Finding` is built here from its code, so a code always means the same thing, with the
same severity, everywhere (terminal, HTML, JSON). Templates use `str.format` named fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from publisher.errors import PublisherError
from publisher.findings import Finding, Location, Severity


@dataclass(frozen=True)
class Code:
    """One stable finding code and how to word it."""

    code: str
    severity: Severity
    title: str
    message: str
    hint: str
    legal_basis: str | None = None

    def finding(self, location: Location, *, value: str | None = None, **params: Any) -> Finding:
        try:
            message = self.message.format(**params)
            hint = self.hint.format(**params)
        except KeyError as missing:  # a programming error, caught by the catalogue test
            raise PublisherError(f"paramètre {missing} manquant pour le code {self.code}") from None
        return Finding(
            code=self.code,
            severity=self.severity,
            location=location,
            message=message,
            hint=hint,
            value=value,
            legal_basis=self.legal_basis,
            params=params,
        )


E, W = Severity.ERROR, Severity.WARNING

_CODES = (
    # --- descriptors -------------------------------------------------------------------------
    Code(
        "DESC-YAML",
        E,
        "Descripteur illisible",
        "Le fichier n'est pas du YAML valide : {detail}.",
        "Corrigez la syntaxe à l'endroit indiqué (indentation, deux-points, guillemets) ; "
        "un éditeur comme VS Code signale ces erreurs en rouge.",
    ),
    Code(
        "DESC-ENCODING",
        E,
        "Descripteur non encodé en UTF-8",
        "Le descripteur n'est pas enregistré en UTF-8 (ses accents seraient mal lus).",
        "Dans votre éditeur, « Enregistrer sous » avec l'encodage UTF-8.",
    ),
    Code(
        "DESC-MISSING",
        E,
        "Descripteur absent",
        "Le dossier du jeu de données ne contient pas de datapackage.yaml.",
        "Créez datapackage.yaml dans ce dossier (copiez celui d'un autre jeu et adaptez-le).",
    ),
    Code("DESC-PROFILE", E, "Descripteur non conforme au profil", "{detail}", "{fix}"),
    Code(
        "DESC-NAME",
        E,
        "Nom de jeu incohérent",
        "Le nom « {name} » du descripteur ne correspond pas au dossier « {folder} ».",
        "Donnez au champ name la valeur « {folder} » (ou renommez le dossier avant la "
        "première publication : le nom devient l'identifiant du portail).",
    ),
    Code(
        "DESC-PATH",
        E,
        "Chemin de ressource refusé",
        "Le chemin « {resource_path} » {reason}.",
        "Placez le fichier dans le dossier du jeu de données et indiquez son nom seul "
        "(par exemple « donnees.csv »).",
    ),
    Code(
        "DESC-FILE-MISSING",
        E,
        "Fichier de données introuvable",
        "Le fichier « {resource_path} » déclaré dans le descripteur n'existe pas.",
        "Ajoutez le fichier à côté de datapackage.yaml ou corrigez le chemin déclaré.",
    ),
    Code(
        "DESC-DATE",
        E,
        "Date impossible",
        "La date « {day} » de la clé « {key} » n'existe pas dans le calendrier.",
        "Écrivez une date réelle au format AAAA-MM-JJ (par exemple 2026-02-27).",
    ),
    Code(
        "DESC-SCHEMA-UNKNOWN",
        E,
        "Schéma partagé inconnu",
        "Le schéma « {schema} » n'est pas dans le registre de la fédération.",
        "Choisissez un schéma listé par « publisher schemas list » ({known}).",
    ),
    # --- file format (FMT-01, FMT-03) ----------------------------------------------------------
    Code(
        "FMT-01",
        E,
        "Fichier non lisible comme donnée ouverte",
        "{detail}",
        "{fix}",
        "CRPA L300-4 ; LCEN art. 4",
    ),
    Code(
        "FMT-ENCODING",
        E,
        "Encodage différent de l'UTF-8",
        "Le fichier est encodé en {encoding}, pas en UTF-8 comme demandé.",
        "Dans votre tableur, « Enregistrer sous » → CSV UTF-8 (LibreOffice : cochez « Éditer "
        "les paramètres du filtre » puis choisissez Unicode (UTF-8)).",
        "CRPA L300-4 (format aisément réutilisable)",
    ),
    Code(
        "FMT-DELIMITER",
        W,
        "Séparateur différent de celui déclaré",
        "Le fichier utilise le séparateur « {found} » alors que le descripteur déclare "
        "« {declared} ».",
        'Déclarez dialect.delimiter: "{found}" dans datapackage.yaml, ou réenregistrez le '
        "fichier avec le séparateur « {declared} ».",
    ),
    Code(
        "FMT-EMPTY",
        E,
        "Fichier vide",
        "Le fichier ne contient {what}.",
        "Exportez de nouveau les données depuis votre tableur : la première ligne porte les noms "
        "de colonnes, les suivantes les données.",
        "CRPA L312-1-1",
    ),
    # --- Table Schema ------------------------------------------------------------------------
    Code(
        "SCHEMA-MISSING-COLUMN",
        E,
        "Colonne obligatoire absente",
        "La colonne « {column} » du schéma {schema} est absente du fichier.",
        "Ajoutez la colonne « {column} » (même vide si elle est facultative), à la position "
        "{position}, avec exactement ce nom.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-EXTRA-COLUMN",
        E,
        "Colonne en trop",
        "La colonne « {label} » (position {position}) n'existe pas dans le schéma {schema}.",
        "Supprimez cette colonne ou renommez-la selon le schéma.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-HEADER",
        E,
        "En-tête incorrect",
        "L'en-tête « {label} » (position {position}) devrait être « {column} » selon le "
        "schéma {schema}.",
        "Renommez la colonne « {label} » en « {column} », sans espace ni accent en trop, et "
        "gardez l'ordre des colonnes du schéma.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-ROW-SHAPE",
        E,
        "Ligne mal formée",
        "La ligne {row} {detail}.",
        "Vérifiez cette ligne dans un éditeur de texte : un séparateur en trop ou en moins, ou "
        "une cellule contenant le séparateur sans guillemets.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-TYPE",
        E,
        "Valeur du mauvais type",
        "La valeur n'est pas {expected} comme l'attend la colonne « {column} ».",
        "{fix}",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-REQUIRED",
        E,
        "Valeur obligatoire manquante",
        "La colonne « {column} » est obligatoire et la cellule est vide.",
        "Renseignez cette cellule ; si l'information n'existe pas, demandez au référent open data "
        "quelle valeur le schéma admet.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-CONSTRAINT",
        E,
        "Valeur hors des règles du schéma",
        "La valeur ne respecte pas la contrainte « {constraint} » de la colonne « {column} » : "
        "{rule}.",
        "{fix}",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-UNIQUE",
        E,
        "Valeur en double",
        "La colonne « {column} » doit avoir des valeurs uniques ; cette valeur apparaît déjà "
        "plus haut.",
        "Corrigez le doublon ou supprimez la ligne répétée.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-NOT-TABULAR",
        E,
        "Fichier non tabulaire pour un schéma tabulaire",
        "Le schéma {schema} décrit un tableau (CSV) ; ce fichier JSON ne peut pas être contrôlé "
        "contre lui.",
        "Déposez les données au format CSV décrit par le schéma, ou retirez la clé schema de "
        "cette ressource si le fichier suit un autre format.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "SCHEMA-OTHER",
        E,
        "Erreur de validation",
        "{detail}",
        "Corrigez le fichier selon le schéma {schema}.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    # --- French identifiers (custom checks of the SCDL schemas) --------------------------------
    Code(
        "SCHEMA-CUSTOM-UNCHECKED",
        Severity.INFO,
        "Contrôle du schéma pas encore appliqué",
        "Le schéma {schema} déclare le contrôle « {check} » ({params}) que publisher "
        "n'applique pas encore.",
        "Vérifiez ce point avec le validateur national (validata) avant publication.",
        "Schéma partagé déclaré (FMT-02)",
    ),
    Code(
        "FR-SIRET",
        E,
        "SIRET invalide",
        "La valeur de la colonne « {column} » n'est pas un SIRET valide ({reason}).",
        "Recopiez le SIRET à 14 chiffres depuis l'annuaire des entreprises "
        "(annuaire-entreprises.data.gouv.fr) ; une erreur de frappe casse la clé de contrôle.",
        "Schéma partagé déclaré, contrôle french-siret-value",
    ),
    Code(
        "FR-SIREN",
        E,
        "SIREN invalide",
        "La valeur de la colonne « {column} » n'est pas un SIREN valide ({reason}).",
        "Recopiez le SIREN à 9 chiffres depuis l'annuaire des entreprises "
        "(annuaire-entreprises.data.gouv.fr).",
        "Schéma partagé déclaré, contrôle french-siren-value",
    ),
    # --- law: licence, metadata, freshness, personal data ---------------------------------------
    Code(
        "LIC-01",
        E,
        "Licence non autorisée",
        "La licence « {license} » n'est pas une licence de réutilisation autorisée pour les "
        "données publiques.",
        "Indiquez licenses: [{{name: etalab-2.0}}] (Licence Ouverte 2.0) ou ODbL-1.0 ; une autre "
        "licence exige une homologation (clé homologation).",
        "CRPA L323-2, D323-2-1 ; décret 2017-638",
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
    ),
    Code(
        "PUB-03-FUTURE",
        E,
        "Date de mise à jour dans le futur",
        "La date de dernière mise à jour {modified} est postérieure à aujourd'hui.",
        "Indiquez la date réelle de la dernière mise à jour (AAAA-MM-JJ).",
        "CRPA L312-1-1 3°",
    ),
    Code(
        "PRIV-CONTACT",
        E,
        "Contact personnel dans les métadonnées",
        "Le contact du jeu est une adresse e-mail personnelle ({kind}) : elle serait publiée "
        "sur le portail.",
        "Indiquez l'adresse fonctionnelle du service (par exemple opendata@… ou le service "
        "concerné) dans contributors.",
        "CRPA L312-1-2 ; RGPD art. 5(1)(c)",
    ),
    Code(
        "PRIV-01",
        E,
        "Donnée personnelle dans un jeu déclaré sans données personnelles",
        "La colonne « {column} » contient une adresse e-mail personnelle ({kind}) alors que le "
        "descripteur déclare les données personnelles « absentes ».",
        "Supprimez l'adresse ou remplacez-la par une adresse fonctionnelle du service "
        "(contact@…) ; si sa publication est prévue par un texte, déclarez personal_data: "
        "publiées sous exception avec la base légale.",
        "CRPA L312-1-2 ; RGPD art. 4(1)",
    ),
    Code(
        "PRIV-02",
        E,
        "Donnée personnelle hors des colonnes déclarées",
        "La colonne « {column} » contient une adresse e-mail personnelle ({kind}) mais n'est pas "
        "parmi les colonnes publiées sous exception ({declared}).",
        "Supprimez l'adresse, ou ajoutez la colonne à personal_data.columns si la base légale "
        "déclarée la couvre.",
        "CRPA L312-1-2 ; D312-1-3",
    ),
    Code(
        "PRIV-03",
        E,
        "Donnée directement identifiante dans un jeu anonymisé",
        "La colonne « {column} » contient une adresse e-mail personnelle ({kind}) alors que le jeu "
        "est déclaré anonymisé.",
        "Retirez les identifiants directs avant publication : une adresse e-mail identifie la "
        "personne.",
        "CNIL, critères d'anonymisation ; RGPD considérant 26",
    ),
)

CODES: dict[str, Code] = {code.code: code for code in _CODES}


def make(code: str, location: Location, *, value: str | None = None, **params: Any) -> Finding:
    """Build the finding of a catalogued code."""
    return CODES[code].finding(location, value=value, **params)


def catalogue_markdown() -> str:
    """The table of every code, as kept in docs/findings.md (a test keeps the two equal)."""
    lines = [
        "# Codes des constats",
        "",
        "Généré depuis `publisher.codes` ; un test vérifie que cette page reste à jour.",
        "",
        "| Code | Gravité | Titre | Fondement |",
        "|---|---|---|---|",
    ]
    for code in _CODES:
        basis = code.legal_basis or "—"
        lines.append(f"| `{code.code}` | {code.severity.label} | {code.title} | {basis} |")
    return "\n".join(lines) + "\n"
