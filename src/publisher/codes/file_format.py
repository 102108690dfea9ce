"""File format: reading a data file, its header and rows, as communes produce them (FMT-*)."""

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
            "detail": "Ce n'est pas un fichier texte (CSV ou JSON) : il ressemble à un document "
            "PDF, enregistré sous un nom en .csv ou .json.",
            "fix": "Ouvrez-le dans votre tableur et « Enregistrer sous » → CSV UTF-8.",
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
        "Le fichier ne contient aucune ligne.",
        "Exportez de nouveau les données depuis votre tableur : la première ligne porte les noms "
        "de colonnes, les suivantes les données.",
        "CRPA L312-1-1",
    ),
    Code(
        "FMT-HEADER-ONLY",
        E,
        "Fichier sans données",
        "Le fichier ne contient que la ligne d'en-tête, aucune donnée.",
        "Exportez de nouveau le tableau complet depuis votre tableur ; si le jeu est vraiment "
        "vide pour cette période, ne le publiez pas.",
        "CRPA L312-1-1",
    ),
    Code(
        "FMT-HEADER-LABEL",
        E,
        "Nom de colonne mal orthographié",
        "L'en-tête « {label} » (position {position}) ressemble à « {column} » du schéma {schema} "
        "sans lui être identique ; ses cellules ont été contrôlées comme « {column} ».",
        "Dans la première ligne de votre tableur, renommez « {label} » en « {column} » exactement "
        "(mêmes majuscules, sans espace ni accent en trop).",
        "Schéma partagé déclaré (FMT-02)",
        example={
            "column": "dateConvention",
            "label": "date_convention",
            "position": "4",
            "schema": "scdl/subventions@2.1.1",
        },
    ),
    Code(
        "FMT-COLUMN-MISSING",
        E,
        "Colonne obligatoire absente",
        "La colonne « {column} » du schéma {schema} est absente du fichier.",
        "Dans votre tableur, ajoutez la colonne « {column} » (même vide si elle est facultative), "
        "à la position {position}, avec exactement ce nom en première ligne.",
        "Schéma partagé déclaré (FMT-02)",
        example={"column": "idBeneficiaire", "position": "5", "schema": "scdl/subventions@2.1.1"},
    ),
    Code(
        "FMT-COLUMN-EXTRA",
        E,
        "Colonne en trop",
        "La colonne « {label} » (position {position}) n'existe pas dans le schéma {schema}.",
        "Supprimez cette colonne dans votre tableur, ou renommez-la selon le schéma si c'est "
        "l'une de ses colonnes mal orthographiée.",
        "Schéma partagé déclaré (FMT-02)",
        example={"label": "commentaire", "position": "12", "schema": "scdl/subventions@2.1.1"},
    ),
    Code(
        "FMT-COLUMN-ORDER",
        E,
        "Colonnes dans le désordre",
        "Les colonnes ne sont pas dans l'ordre du schéma {schema} (première différence : "
        "position {position}, « {label} » au lieu de « {column} ») ; leurs cellules ont été "
        "contrôlées par nom.",
        "Dans votre tableur, déplacez les colonnes pour suivre l'ordre du schéma, ou "
        "laissez « publisher fix » écrire une copie remise en ordre.",
        "Schéma partagé déclaré (FMT-02) ; Table Schema v2, fieldsMatch",
        example={
            "schema": "scdl/subventions@2.1.1",
            "position": "3",
            "label": "montant",
            "column": "objet",
        },
    ),
    Code(
        "FMT-HEADER-DUPLICATE",
        E,
        "Nom de colonne en double",
        "Le nom de colonne « {label} » apparaît plusieurs fois (positions {positions}).",
        "Gardez une seule colonne « {label} » : supprimez ou renommez les autres dans la "
        "première ligne du tableur.",
        "Schéma partagé déclaré (FMT-02)",
        example={"label": "montant", "positions": "6 et 9"},
    ),
    Code(
        "FMT-HEADER-BLANK",
        E,
        "Colonne sans nom",
        "La colonne en position {position} n'a pas de nom dans la première ligne.",
        "Donnez-lui le nom prévu par le schéma, ou supprimez-la si elle est vide (souvent une "
        "colonne vide laissée à droite du tableau).",
        "Schéma partagé déclaré (FMT-02)",
        example={"position": "16"},
    ),
    Code(
        "FMT-ROW-SHAPE",
        E,
        "Ligne mal formée",
        "La ligne {row} {detail}.",
        "Vérifiez cette ligne dans un éditeur de texte : un séparateur en trop ou en moins, ou "
        "une cellule contenant le séparateur sans guillemets.",
        "Schéma partagé déclaré (FMT-02)",
        example={"detail": "14 cellules au lieu de 15", "row": "27"},
    ),
    Code(
        "FMT-DECIMAL-COMMA",
        E,
        "Virgule décimale",
        "Le nombre de la colonne « {column} » est écrit avec une virgule décimale.",
        "Écrivez le séparateur décimal avec un point (24500.50) : dans votre tableur, format de "
        "cellule « Standard » puis export CSV, ou laissez « publisher fix » corriger la copie.",
        "Schéma partagé déclaré (FMT-02) ; Table Schema, number",
        example={"column": "montant"},
    ),
    Code(
        "FMT-THOUSANDS",
        E,
        "Séparateur de milliers",
        "Le nombre de la colonne « {column} » contient un séparateur de milliers (espace ou "
        "point).",
        "Écrivez le nombre sans séparateur de milliers (24500 et non 24 500) : format de "
        "cellule « Standard » dans votre tableur, ou « publisher fix » pour la copie.",
        "Schéma partagé déclaré (FMT-02) ; Table Schema, number",
        example={"column": "montant"},
    ),
    Code(
        "FMT-DATE-FR",
        E,
        "Date au format JJ/MM/AAAA",
        "La date de la colonne « {column} » est écrite à la française (JJ/MM/AAAA) au lieu "
        "du format {expected}.",
        "Écrivez la date au format AAAA-MM-JJ (2026-03-12 pour le 12 mars 2026) : format de "
        "cellule personnalisé AAAA-MM-JJ dans votre tableur, ou « publisher fix » pour la copie.",
        "Schéma partagé déclaré (FMT-02) ; Table Schema, date",
        example={"column": "dateConvention", "expected": "AAAA-MM-JJ"},
    ),
)
