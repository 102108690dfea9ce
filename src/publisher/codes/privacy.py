"""Personal data: what the privacy scanner may find, tied to the descriptor's declaration."""

from publisher.codes.base import Code, E

CODES = (
    Code(
        "PRIV-CONTACT",
        E,
        "Contact personnel dans les métadonnées",
        "Le contact du jeu est une adresse e-mail personnelle ({kind}) : elle serait publiée "
        "sur le portail.",
        "Indiquez l'adresse fonctionnelle du service (par exemple opendata@… ou le service "
        "concerné) dans contributors.",
        "CRPA L312-1-2 ; RGPD art. 5(1)(c)",
        example={"kind": "messagerie grand public"},
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
        example={"column": "contact", "kind": "messagerie grand public"},
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
        example={"column": "email", "declared": "nom_elu", "kind": "messagerie grand public"},
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
        example={"column": "courriel", "kind": "messagerie grand public"},
    ),
)
