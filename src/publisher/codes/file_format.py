"""File format: what reading a data file can meet (FMT-*)."""

from publisher.codes.base import Code, E, W

CODES = (
    Code(
        "FMT-01",
        E,
        "Fichier non lisible comme donnée ouverte",
        "{detail}",
        "{fix}",
        "CRPA L300-4 ; LCEN art. 4",
        example={
            "detail": "Le fichier est un classeur Excel (.xlsx), pas un fichier CSV ou JSON.",
            "fix": "Enregistrez-le en CSV UTF-8.",
        },
    ),
    Code(
        "FMT-ENCODING",
        E,
        "Encodage différent de l'UTF-8",
        "Le fichier est encodé en {encoding}, pas en UTF-8 comme demandé.",
        "Dans votre tableur, « Enregistrer sous » → CSV UTF-8 (LibreOffice : cochez « Éditer "
        "les paramètres du filtre » puis choisissez Unicode (UTF-8)).",
        "CRPA L300-4 (format aisément réutilisable)",
        example={"encoding": "Windows-1252"},
    ),
    Code(
        "FMT-DELIMITER",
        W,
        "Séparateur différent de celui déclaré",
        "Le fichier utilise le séparateur « {found} » alors que le descripteur déclare "
        "« {declared} ».",
        'Déclarez dialect.delimiter: "{found}" dans datapackage.yaml, ou réenregistrez le '
        "fichier avec le séparateur « {declared} ».",
        example={"declared": "virgule", "found": "point-virgule"},
    ),
    Code(
        "FMT-EMPTY",
        E,
        "Fichier vide",
        "Le fichier ne contient {what}.",
        "Exportez de nouveau les données depuis votre tableur : la première ligne porte les noms "
        "de colonnes, les suivantes les données.",
        "CRPA L312-1-1",
        example={"what": "ne contient aucune ligne"},
    ),
)
