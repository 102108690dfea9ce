"""Custom checks of the shared schemas: French identifiers and references (FR-*), checks across
columns and value formats (CUSTOM-*), and the schema's own declaration (SCHEMA-CUSTOM-*)."""

from publisher.codes.base import Code, E, W


def _basis(check: str) -> str:
    return f"Schéma partagé déclaré, contrôle {check}"


CODES = (
    Code(
        "SCHEMA-CUSTOM-UNCHECKED",
        W,
        "Contrôle du schéma inconnu",
        "Le schéma {schema} déclare le contrôle « {check} » ({params}) que publisher ne "
        "connaît pas : ce point n'a pas été vérifié.",
        "Vérifiez le fichier avec le validateur national (validata.fr) avant publication.",
        "Schéma partagé déclaré (FMT-02)",
        example={
            "check": "code-postal",
            "params": "column=code_postal",
            "schema": "scdl/equipements@0.1.5",
        },
    ),
    Code(
        "SCHEMA-CUSTOM-PARAMS",
        E,
        "Contrôle du schéma mal déclaré",
        "Le schéma {schema} déclare le contrôle « {check} » avec des paramètres inutilisables "
        "({reason}) : le validateur national refuse lui aussi ce schéma.",
        "Le fichier n'y est pour rien : signalez l'erreur aux auteurs du schéma et, en "
        "attendant, utilisez la version précédente du schéma.",
        "Schéma partagé déclaré (FMT-02)",
        example={
            "check": "compare-columns-value",
            "reason": "opérateur « => » inconnu (attendus : <, <=, ==, >=, >)",
            "schema": "scdl/deliberations@2.1.5",
        },
    ),
    Code(
        "FR-SIRET",
        E,
        "SIRET invalide",
        "La valeur de la colonne « {column} » n'est pas un SIRET valide ({reason}).",
        "Recopiez le SIRET à 14 chiffres depuis l'annuaire des entreprises "
        "(annuaire-entreprises.data.gouv.fr) ; une erreur de frappe casse la clé de contrôle.",
        _basis("french-siret-value"),
        example={"column": "idBeneficiaire", "reason": "clé de contrôle fausse"},
    ),
    Code(
        "FR-SIREN",
        E,
        "SIREN invalide",
        "La valeur de la colonne « {column} » n'est pas un SIREN valide ({reason}).",
        "Recopiez le SIREN à 9 chiffres depuis l'annuaire des entreprises "
        "(annuaire-entreprises.data.gouv.fr).",
        _basis("french-siren-value"),
        example={"column": "siren", "reason": "9 chiffres attendus"},
    ),
    Code(
        "FR-ACTES",
        E,
        "Matière hors nomenclature des actes",
        "La valeur de la colonne « {column} » ne suit pas la nomenclature des actes ({reason}).",
        "Écrivez la matière sous la forme « Famille/Sous-matière », sans espace autour de la "
        "barre oblique, la famille étant l'une de : Commande publique, Urbanisme, Domaine et "
        "patrimoine, Fonction publique, Institutions et vie politique, Libertés publiques et "
        "pouvoirs de police, Finances locales, Domaines de compétences par thèmes, Autres "
        "domaines de compétences (par exemple « Urbanisme/Droit d'occupation des sols »).",
        _basis("nomenclature-actes-value"),
        example={"column": "DELIB_MATIERE_NOM", "reason": "barre oblique « / » absente"},
    ),
    Code(
        "FR-GPS",
        E,
        "Coordonnées hors de France",
        "Les coordonnées de la colonne « {column} » ne tombent ni en France métropolitaine ni "
        "dans un département d'outre-mer, dans un ordre comme dans l'autre.",
        "Vérifiez la longitude et la latitude : degrés décimaux WGS84 avec un point décimal, "
        "la longitude d'abord (à Bordeaux, environ -0.58 puis 44.84), pas des coordonnées "
        "Lambert 93.",
        _basis("french-gps-coordinates"),
        example={"column": "coordonneesXY"},
    ),
    Code(
        "FR-GPS-REVERSED",
        E,
        "Coordonnées inversées",
        "Les coordonnées de la colonne « {column} » semblent inversées : dans l'ordre écrit "
        "elles tombent hors de France, dans l'ordre inverse elles tombent en France.",
        "Écrivez la longitude d'abord, puis la latitude (à Bordeaux, environ -0.58 puis 44.84).",
        _basis("french-gps-coordinates"),
        example={"column": "coordonneesXY"},
    ),
    Code(
        "CUSTOM-ONE-OF-REQUIRED",
        E,
        "Aucune des deux colonnes remplie",
        "Au moins l'une des colonnes « {column1} » ou « {column2} » doit être remplie sur "
        "chaque ligne ; ici {detail}.",
        "Remplissez « {column1} » ou « {column2} » sur cette ligne (les deux peuvent l'être).",
        _basis("one-of-required"),
        example={
            "column1": "idBeneficiaire",
            "column2": "rnaBeneficiaire",
            "detail": "les deux sont vides",
        },
    ),
    Code(
        "CUSTOM-ONE-OF-COLUMNS",
        E,
        "Les deux colonnes alternatives sont absentes",
        "Le fichier n'a ni la colonne « {column1} » ni la colonne « {column2} » : le schéma "
        "{schema} demande au moins l'une des deux.",
        "Ajoutez au moins l'une de ces colonnes, avec exactement ce nom en première ligne, et "
        "remplissez-la sur chaque ligne.",
        _basis("one-of-required"),
        example={
            "column1": "idBeneficiaire",
            "column2": "rnaBeneficiaire",
            "schema": "scdl/subventions@2.1.1",
        },
    ),
    Code(
        "CUSTOM-COHESIVE",
        E,
        "Colonnes liées remplies à moitié",
        "Les colonnes {columns} vont ensemble : sur une même ligne, elles sont toutes remplies "
        "ou toutes vides. Ici, remplie(s) : {filled} ; vide(s) : {empty}.",
        "Complétez sur cette ligne {empty}, ou videz {filled} si l'information n'existe pas.",
        _basis("cohesive-columns-value"),
        example={
            "columns": "« BUDGET_ANNEE », « BUDGET_NOM »",
            "empty": "« BUDGET_NOM »",
            "filled": "« BUDGET_ANNEE »",
        },
    ),
    Code(
        "CUSTOM-COHESIVE-COLUMNS",
        E,
        "Colonnes liées présentes à moitié",
        "Les colonnes {columns} vont ensemble : le fichier en a certaines mais pas {missing}.",
        "Ajoutez {missing} au fichier (même vides si l'information n'existe pas), avec "
        "exactement ce nom en première ligne.",
        _basis("cohesive-columns-value"),
        example={
            "columns": "« BUDGET_ANNEE », « BUDGET_NOM »",
            "missing": "« BUDGET_NOM »",
        },
    ),
    Code(
        "CUSTOM-COMPARE",
        E,
        "Comparaison entre colonnes fausse",
        "« {column} » ({value1}) devrait être {relation} à « {column2} » ({value2}).",
        "L'une des deux cellules de cette ligne est mal saisie : corrigez-la pour que "
        "« {column} » soit {relation} à « {column2} ».",
        _basis("compare-columns-value"),
        example={
            "column": "VOTE_REEL",
            "column2": "VOTE_POUR",
            "relation": "supérieure ou égale",
            "value1": "27",
            "value2": "29",
        },
    ),
    Code(
        "CUSTOM-COMPARE-TYPES",
        E,
        "Valeurs impossibles à comparer",
        "« {column} » ({value1}) et « {column2} » ({value2}) ne peuvent pas être comparées : "
        "l'une est un nombre, l'autre non.",
        "Écrivez dans ces deux cellules des valeurs de même nature (deux nombres ou deux "
        "dates), sans unité ni texte autour.",
        _basis("compare-columns-value"),
        example={
            "column": "PREF_DATE",
            "column2": "DELIB_DATE",
            "value1": "12",
            "value2": "2025-03-12",
        },
    ),
    Code(
        "CUSTOM-SUM",
        E,
        "Total différent de la somme",
        "« {column} » vaut {found} alors que {columns} font ensemble {total}.",
        "Corrigez « {column} » ou l'une des cellules additionnées : « {column} » doit être "
        "égale à leur somme.",
        _basis("sum-columns-value"),
        example={
            "column": "VOTE_REEL",
            "found": "29",
            "columns": "« VOTE_POUR » (25) + « VOTE_CONTRE » (2) + « VOTE_ABSTENTION » (1)",
            "total": "28",
        },
    ),
    Code(
        "CUSTOM-YEAR-INTERVAL",
        E,
        "Année ou période mal écrite",
        "La valeur de la colonne « {column} » n'est pas {expected} ({reason}).",
        "Écrivez {expected}, par exemple {example}.",
        _basis("year-interval-value"),
        example={
            "column": "BUDGET_ANNEE",
            "expected": "une année (AAAA) ou une période (AAAA/AAAA)",
            "reason": "les deux années sont identiques",
            "example": "« 2026 » ou « 2025/2026 »",
        },
    ),
    Code(
        "CUSTOM-OPENING-HOURS",
        E,
        "Horaires d'ouverture mal écrits",
        "La valeur de la colonne « {column} » n'est pas une description d'horaires au format "
        "OpenStreetMap (opening_hours).",
        "Écrivez les jours en abrégé anglais et les heures sur 24 h, par exemple "
        "« Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00 » ou « 24/7 » "
        "(voir wiki.openstreetmap.org/wiki/FR:Key:opening_hours).",
        _basis("opening-hours-value"),
        example={"column": "horaires"},
    ),
    Code(
        "CUSTOM-PHONE",
        E,
        "Numéro de téléphone invalide",
        "La valeur de la colonne « {column} » n'est pas un numéro de téléphone valide.",
        "Écrivez un seul numéro par cellule : français à 10 chiffres (05 56 00 00 00), "
        "international avec l'indicatif du pays (+33 5 56 00 00 00) ou numéro court (3939).",
        _basis("phone-number-value"),
        example={"column": "telephone"},
    ),
)
