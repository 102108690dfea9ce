"""Cells a spreadsheet would run: formulas hidden in open data (CSV injection)."""

from publisher.codes.base import Code, W

CODES = (
    Code(
        "CSV-FORMULA",
        W,
        "Cellule lue comme une formule par un tableur",
        "Une cellule de la colonne « {column} » commence par « {start} » : un tableur qui ouvre "
        "le fichier la prendrait pour une formule et pourrait l'exécuter (injection CSV).",
        "Publiez la valeur et non la formule : s'il s'agit de texte, retirez le signe de tête ; "
        "s'il s'agit d'un calcul, exportez son résultat.",
        "CRPA L300-4 (format aisément réutilisable)",
        example={"column": "objet", "start": "="},
    ),
)
