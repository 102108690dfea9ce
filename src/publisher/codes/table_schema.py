"""Table Schema: the columns and cells a shared schema declares (SCHEMA-*)."""

from publisher.codes.base import Code, E

CODES = (
    Code(
        "SCHEMA-MISSING-COLUMN",
        E,
        "Colonne obligatoire absente",
        "La colonne « {column} » du schéma {schema} est absente du fichier.",
        "Ajoutez la colonne « {column} » (même vide si elle est facultative), à la position "
        "{position}, avec exactement ce nom.",
        "Schéma partagé déclaré (FMT-02)",
        example={"column": "idBeneficiaire", "position": "5", "schema": "scdl/subventions@2.1.1"},
    ),
    Code(
        "SCHEMA-EXTRA-COLUMN",
        E,
        "Colonne en trop",
        "La colonne « {label} » (position {position}) n'existe pas dans le schéma {schema}.",
        "Supprimez cette colonne ou renommez-la selon le schéma.",
        "Schéma partagé déclaré (FMT-02)",
        example={"label": "commentaire", "position": "12", "schema": "scdl/subventions@2.1.1"},
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
        example={
            "column": "dateConvention",
            "label": "date_convention",
            "position": "4",
            "schema": "scdl/subventions@2.1.1",
        },
    ),
    Code(
        "SCHEMA-ROW-SHAPE",
        E,
        "Ligne mal formée",
        "La ligne {row} {detail}.",
        "Vérifiez cette ligne dans un éditeur de texte : un séparateur en trop ou en moins, ou "
        "une cellule contenant le séparateur sans guillemets.",
        "Schéma partagé déclaré (FMT-02)",
        example={"detail": "14 cellules au lieu de 15", "row": "27"},
    ),
    Code(
        "SCHEMA-TYPE",
        E,
        "Valeur du mauvais type",
        "La valeur n'est pas {expected} comme l'attend la colonne « {column} ».",
        "{fix}",
        "Schéma partagé déclaré (FMT-02)",
        example={
            "column": "montant",
            "expected": "un nombre",
            "fix": "Écrivez 1500.50 avec un point décimal, sans espace ni symbole €.",
        },
    ),
    Code(
        "SCHEMA-REQUIRED",
        E,
        "Valeur obligatoire manquante",
        "La colonne « {column} » est obligatoire et la cellule est vide.",
        "Renseignez cette cellule ; si l'information n'existe pas, demandez au référent open data "
        "quelle valeur le schéma admet.",
        "Schéma partagé déclaré (FMT-02)",
        example={"column": "nomBeneficiaire"},
    ),
    Code(
        "SCHEMA-CONSTRAINT",
        E,
        "Valeur hors des règles du schéma",
        "La valeur ne respecte pas la contrainte « {constraint} » de la colonne « {column} » : "
        "{rule}.",
        "{fix}",
        "Schéma partagé déclaré (FMT-02)",
        example={
            "column": "nature",
            "constraint": "enum",
            "rule": "une valeur parmi « aide en numéraire », « aide en nature »",
            "fix": "Choisissez une des valeurs de la liste.",
        },
    ),
    Code(
        "SCHEMA-UNIQUE",
        E,
        "Valeur en double",
        "La colonne « {column} » doit avoir des valeurs uniques ; cette valeur apparaît déjà "
        "plus haut.",
        "Corrigez le doublon ou supprimez la ligne répétée.",
        "Schéma partagé déclaré (FMT-02)",
        example={"column": "idAttribution"},
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
        example={"schema": "scdl/subventions@2.1.1"},
    ),
    Code(
        "SCHEMA-OTHER",
        E,
        "Erreur de validation",
        "{detail}",
        "Corrigez le fichier selon le schéma {schema}.",
        "Schéma partagé déclaré (FMT-02)",
        example={
            "detail": "la clé primaire est absente du fichier",
            "schema": "scdl/subventions@2.1.1",
        },
    ),
)
