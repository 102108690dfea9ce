"""Personal data: what the privacy scanner finds, tied to the descriptor's declaration.

Messages never carry a value in clear: `{sample}` is always masked by the scanner, `{rows}`
says where to look.
"""

from publisher.codes.base import Code, E, W

_HIT_EXAMPLE = {
    "column": "objet",
    "what": "une adresse e-mail personnelle",
    "detail": "messagerie grand public",
    "cells": "1 cellule",
    "rows": "ligne 12",
}

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
        "La colonne « {column} » contient {what} ({detail}) : {cells}, {rows}. {declaration}",
        "Supprimez ou anonymisez ces valeurs (une adresse ou un téléphone de service plutôt "
        "qu'une personne) ; si un texte autorise leur publication, déclarez personal_data: "
        "{{status: publiées sous exception}} avec la base légale et les colonnes concernées.",
        "CRPA L312-1-2 ; RGPD art. 4(1)",
        example={
            **_HIT_EXAMPLE,
            "declaration": "Le descripteur déclare les données personnelles « absentes ».",
        },
    ),
    Code(
        "PRIV-02",
        E,
        "Donnée personnelle hors des colonnes déclarées",
        "La colonne « {column} » contient {what} ({detail}) : {cells}, {rows} ; elle n'est pas "
        "parmi les colonnes publiées sous exception ({declared}).",
        "Supprimez ces valeurs, ou ajoutez la colonne à personal_data.columns si la base légale "
        "déclarée ({basis}) la couvre vraiment.",
        "CRPA L312-1-2 ; D312-1-3",
        example={**_HIT_EXAMPLE, "declared": "nom_elu", "basis": "CRPA D312-1-3"},
    ),
    Code(
        "PRIV-02-BASIS",
        E,
        "Base légale de publication non reconnue",
        "Le jeu publie des données personnelles « sous exception » avec la base légale "
        "« {basis} », qui ne cite ni un texte (loi, code, article, décret), ni le consentement "
        "des personnes, ni une catégorie de l'article D312-1-3.",
        "Indiquez dans personal_data.legal_basis le texte exact qui autorise la publication "
        "(par exemple « CRPA D312-1-3, vie politique : élus ») ou « consentement » si chaque "
        "personne a consenti, preuves à l'appui.",
        "CRPA L312-1-2 ; D312-1-3",
        example={"basis": "accord du service"},
    ),
    Code(
        "PRIV-02-COLUMN",
        W,
        "Colonne déclarée absente du fichier",
        "La colonne « {column} », déclarée dans personal_data ({key}), n'existe pas dans le "
        "fichier : la déclaration ne couvre pas ce qu'elle croit couvrir.",
        "Corrigez le nom de la colonne dans le descripteur (majuscules, accents, espaces "
        "comptent) ou retirez-la de la liste.",
        "CRPA L312-1-2",
        example={"column": "nom_elu", "key": "columns"},
    ),
    Code(
        "PRIV-03",
        E,
        "Donnée identifiante dans un jeu anonymisé",
        "La colonne « {column} » contient {what} ({detail}) : {cells}, {rows}, alors que le jeu "
        "est déclaré anonymisé.",
        "Retirez les identifiants directs et la position précise des personnes avant "
        "publication (arrondissez les coordonnées à la commune ou à l'IRIS) : une anonymisation "
        "doit rendre toute ré-identification impossible.",
        "CNIL, critères d'anonymisation ; RGPD considérant 26",
        example={**_HIT_EXAMPLE, "column": "courriel"},
    ),
    Code(
        "PRIV-03-K",
        E,
        "k-anonymat non atteint",
        "Sur les quasi-identifiants déclarés ({columns}), {groups} regroupent moins de {target} "
        "lignes (k atteint : {k}) : {rows}. Ces personnes peuvent être isolées.",
        "Généralisez les quasi-identifiants (tranches d'âge, commune plutôt qu'adresse, mois "
        "plutôt que jour) ou regroupez les petites classes jusqu'à ce que chacune compte au "
        "moins {target} lignes.",
        "CNIL, critères d'anonymisation (individualisation) ; RGPD considérant 26",
        example={
            "columns": "tranche_age, quartier",
            "groups": "2 combinaisons",
            "target": "3",
            "k": "1",
            "rows": "lignes 4, 9 et 17",
        },
    ),
    Code(
        "PRIV-03-QI",
        W,
        "k-anonymat non vérifiable",
        "Le jeu est déclaré anonymisé mais {problem} : le k-anonymat ne peut pas être contrôlé.",
        "Listez dans personal_data.quasi_identifiers les colonnes qui, croisées, pourraient "
        "désigner une personne (âge, sexe, quartier, date…), avec leur nom exact dans le fichier.",
        "CNIL, critères d'anonymisation",
        example={"problem": "aucun quasi-identifiant n'est déclaré"},
    ),
    Code(
        "PRIV-04",
        E,
        "Donnée sensible sur une personne",
        "La colonne « {column} » associe une personne à une catégorie de données sensibles "
        "({detail}) : {cells}, {rows}.",
        "Retirez la mention sensible ou la personne : ces données (santé, handicap, situation "
        "sociale, religion, opinions, condamnations…) ne se publient pas sans fondement "
        "juridique exprès.",
        "RGPD art. 9 et 10",
        example={**_HIT_EXAMPLE, "detail": "handicap"},
    ),
    Code(
        "PRIV-05",
        E,
        "Numéro de sécurité sociale",
        "La colonne « {column} » contient {what} ({detail}) : {cells}, {rows}. Le NIR ne se "
        "publie jamais, quelle que soit la déclaration du jeu.",
        "Supprimez la colonne ou les valeurs ; si un identifiant est nécessaire, utilisez un "
        "numéro interne sans lien avec la personne.",
        "Cadre NIR (CNIL) ; RGPD art. 87",
        example={
            **_HIT_EXAMPLE,
            "what": "un numéro de sécurité sociale (NIR)",
            "detail": "clé de contrôle valide",
        },
    ),
    Code(
        "PRIV-06",
        W,
        "Colonne sur des personnes non justifiée",
        "La colonne « {column} » porte, d'après son nom, {what} ; elle n'est pas justifiée dans "
        "la déclaration personal_data du jeu.",
        "Retirez la colonne si elle n'est pas nécessaire (minimisation), ou déclarez-la dans "
        "personal_data (columns ou quasi_identifiers) avec sa justification.",
        "RGPD art. 5(1)(c)",
        example={"column": "date_naissance", "what": "une date de naissance"},
    ),
    Code(
        "PRIV-REVIEW",
        W,
        "Donnée peut-être personnelle à vérifier",
        "La colonne « {column} » contient peut-être {what} ({detail}) : {cells}, {rows}.",
        "Vérifiez ces valeurs : si elles désignent une personne physique, retirez-les ou "
        "déclarez-les ; s'il s'agit d'un service, d'une entreprise ou d'un lieu public, rien à "
        "faire.",
        "CRPA L312-1-2 ; RGPD art. 4(1)",
        example={**_HIT_EXAMPLE, "what": "un numéro de téléphone", "detail": "numéro de mobile"},
    ),
)
