"""Descriptors: the dataset's datapackage.yaml and the files it points to."""

from publisher.codes.base import Code, E

CODES = (
    Code(
        "DESC-YAML",
        E,
        "Descripteur illisible",
        "Le fichier n'est pas du YAML valide : {detail}.",
        "Corrigez la syntaxe à l'endroit indiqué (indentation, deux-points, guillemets) ; "
        "un éditeur comme VS Code signale ces erreurs en rouge.",
        example={"detail": "ligne 4, colonne 3 : deux-points attendu"},
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
    Code(
        "DESC-PROFILE",
        E,
        "Descripteur non conforme au profil",
        "{detail}",
        "{fix}",
        example={
            "detail": "la clé « licenses » est obligatoire (ligne 1).",
            "fix": "Ajoutez licenses avec la Licence Ouverte (etalab-2.0).",
        },
    ),
    Code(
        "DESC-NAME",
        E,
        "Nom de jeu incohérent",
        "Le nom « {name} » du descripteur ne correspond pas au dossier « {folder} ».",
        "Donnez au champ name la valeur « {folder} » (ou renommez le dossier avant la "
        "première publication : le nom devient l'identifiant du portail).",
        example={"name": "subventions-2026", "folder": "subventions-associations"},
    ),
    Code(
        "DESC-PATH",
        E,
        "Chemin de ressource refusé",
        "Le chemin « {resource_path} » {reason}.",
        "Placez le fichier dans le dossier du jeu de données et indiquez son nom seul "
        "(par exemple « donnees.csv »).",
        example={"resource_path": "../secret.csv", "reason": "le chemin sort du dossier du jeu"},
    ),
    Code(
        "DESC-FILE-MISSING",
        E,
        "Fichier de données introuvable",
        "Le fichier « {resource_path} » déclaré dans le descripteur n'existe pas.",
        "Ajoutez le fichier à côté de datapackage.yaml ou corrigez le chemin déclaré.",
        example={"resource_path": "subventions.csv"},
    ),
    Code(
        "DESC-DATE",
        E,
        "Date impossible",
        "La date « {day} » de la clé « {key} » n'existe pas dans le calendrier.",
        "Écrivez une date réelle au format AAAA-MM-JJ (par exemple 2026-02-27).",
        example={"key": "modified", "day": "2026-02-30"},
    ),
    Code(
        "DESC-SCHEMA-UNKNOWN",
        E,
        "Schéma partagé inconnu",
        "Le schéma « {schema} » n'est pas dans le registre de la fédération.",
        "Choisissez un schéma listé par « publisher schemas list » ({known}).",
        example={
            "schema": "subvention@9.9",
            "known": "scdl/subventions@2.1.1, scdl/deliberations@2.1.5",
        },
    ),
)
