"""Publishing: metadata the portal cannot take, read-back gaps, records a push leaves out."""

from publisher.codes.base import Code, E, W

CODES = (
    Code(
        "PORTAL-LICENCE",
        E,
        "Licence sans identifiant sur le portail",
        "La licence « {license} » n'a pas d'identifiant sur le portail : le jeu ne peut pas "
        "être publié avec sa licence.",
        "Ajoutez « {license}: <identifiant> » sous portal.licences dans federation.yaml, avec "
        "l'identifiant que le back-office du portail donne à cette licence.",
        "CRPA L323-2, D323-2-1",
        example={"license": "ODbL-1.0"},
    ),
    Code(
        "PORTAL-THEME",
        W,
        "Thème inconnu du portail",
        "Le thème « {theme} » n'existe pas sur le portail : le jeu est publié sans ce thème.",
        "Choisissez un thème de la liste du portail ({known}) dans themes du descripteur, ou "
        "ajoutez l'identifiant de ce thème sous portal.themes dans federation.yaml.",
        example={"theme": "Voirie", "known": "Citoyenneté, Économie, Transports"},
    ),
    Code(
        "PORTAL-READBACK-COUNT",
        E,
        "Le portail ne sert pas toutes les lignes",
        "Après publication, le portail sert {portal} enregistrement(s) pour {local} ligne(s) "
        "de données dans le fichier.",
        "Vérifiez dans le back-office du portail les erreurs de traitement du jeu, ainsi que le "
        "séparateur et l'encodage déclarés, puis relancez la publication. Un nouveau jeu reste "
        "restreint, invisible du public, tant que l'écart demeure.",
        "CRPA L312-1-1",
        example={"portal": "118", "local": "120"},
    ),
    Code(
        "PORTAL-READBACK-CONTENT",
        E,
        "Le portail sert un contenu différent du fichier",
        "Après publication, le portail sert {records} enregistrement(s) dont le contenu "
        "diffère de celui du fichier (empreinte locale {local}, en ligne {portal}).",
        "Comparez l'export CSV du jeu sur le portail avec le fichier (nombres trop grands, "
        "dates, espaces, zéros de tête perdus, colonnes renommées) puis relancez la "
        "publication. Un nouveau jeu reste restreint, invisible du public, tant que l'écart "
        "demeure.",
        "CRPA L312-1-1",
        example={"records": "120", "local": "3f5a0c1d2e4b", "portal": "9b1e77c0aa12"},
    ),
    Code(
        "PUSH-REJECTED",
        W,
        "Enregistrements temps réel non envoyés",
        "{count} enregistrement(s) sur {total} n'ont pas été envoyés au portail car ils ne "
        "respectent pas le schéma (lignes {rows}).",
        "Corrigez ces lignes (voir les constats bloquants du même fichier) puis relancez "
        "publisher push : les enregistrements déjà envoyés ne le seront pas une seconde fois.",
        example={"count": "2", "total": "50", "rows": "4, 17"},
    ),
)
