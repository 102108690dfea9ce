"""Table Schema and JSON Schema: types, constraints, keys and categories of the cells (SCHEMA-*)."""

from publisher.codes.base import Code, E

CODES = (
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
    Code(
        "SCHEMA-CATEGORY",
        E,
        "Valeur hors des catégories",
        "La valeur n'est pas l'une des catégories de la colonne « {column} » : {allowed}.",
        "Choisissez exactement l'une des catégories (mêmes accents, majuscules et espaces).",
        "Schéma partagé déclaré (FMT-02) ; Table Schema v2, categories",
        example={"column": "etat", "allowed": "« bon », « moyen », « mauvais »"},
    ),
    Code(
        "SCHEMA-FOREIGN-KEY",
        E,
        "Référence introuvable",
        "La valeur de « {column} » ne se trouve pas dans la colonne « {target} » de la ressource "
        "« {resource} » du même jeu.",
        "Corrigez la valeur pour qu'elle désigne une ligne existante de « {resource} », ou "
        "ajoutez cette ligne à « {resource} ».",
        "Schéma partagé déclaré (FMT-02) ; Table Schema, foreignKeys",
        example={"column": "idEquipement", "target": "id", "resource": "equipements"},
    ),
    Code(
        "SCHEMA-JSON",
        E,
        "Document JSON non conforme au schéma",
        "Dans le document JSON, {detail}.",
        "{fix}",
        "Schéma partagé déclaré (FMT-02)",
        example={
            "pointer": "marches[0].montant",
            "detail": "la valeur « 12 500 € » n'est pas un nombre",
            "fix": "Écrivez le nombre sans espace ni symbole, avec un point décimal.",
        },
    ),
)
