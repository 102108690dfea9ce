"""Checks of one cell's format: year-interval-value, nomenclature-actes-value,
opening-hours-value and phone-number-value.

Skipped when the column is absent and on empty cells, as in the reference validator.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import polars as pl

from publisher.checks.custom.base import CustomCheck, custom_check, refused_by, single_column
from publisher.findings import Finding
from publisher.i18n import N_


@custom_check("year-interval-value")
def year_interval(check: CustomCheck) -> Iterator[Finding]:
    """`AAAA/AAAA` with the second year after the first; `AAAA` alone when the schema says
    `allow-year-only: "yes"` (or "true")."""
    year_only = check.text_param("allow-year-only", "false") in ("true", "yes")
    if year_only:
        expected = "une année (AAAA) ou une période (AAAA/AAAA)"
        example = "« 2026 » ou « 2025/2026 »"
    else:
        expected, example = "une période (AAAA/AAAA)", "« 2025/2026 »"

    def problem(column: str) -> pl.Expr:
        cell = pl.col(column)
        years = cell.str.extract_groups(r"^(\d{4})/(\d{4})$")
        first, second = years.struct.field("1"), years.struct.field("2")
        accepted_alone = cell.str.contains(r"^\d{4}$") if year_only else pl.lit(False)
        return (
            pl.when(first.is_null() & ~accepted_alone)
            .then(pl.lit(N_("format non reconnu")))
            .when(first == second)
            .then(pl.lit(N_("les deux années sont identiques")))
            .when(first > second)
            .then(pl.lit(N_("la seconde année précède la première")))
        )

    return single_column(check, "CUSTOM-YEAR-INTERVAL", problem, expected=expected, example=example)


ACTES_FAMILIES = (
    "Commande publique",
    "Urbanisme",
    "Domaine et patrimoine",
    "Fonction publique",
    "Institutions et vie politique",
    "Libertés publiques et pouvoirs de police",
    "Finances locales",
    "Domaines de compétences par thèmes",
    "Autres domaines de compétences",
)


def _folded(text: str) -> str:
    """Lower case without accents: the nomenclature ignores both."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def _folded_expr(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.normalize("NFD").str.replace_all(r"\p{Mn}", "")


_FOLDED_FAMILIES = pl.Series([_folded(family) for family in ACTES_FAMILIES])


def actes_problem(cell: pl.Expr) -> pl.Expr:
    """Why a matière is outside the ACTES nomenclature, or null: the text before the first `/`
    must be one of the nine families (case and accents ignored), with no space around `/`."""
    family = cell.str.extract(r"^([^/]*)/", 1)
    spaced = cell.str.contains("/ ", literal=True)
    known = _folded_expr(family).is_in(_FOLDED_FAMILIES)
    known_before_space = _folded_expr(family.str.strip_chars_end()).is_in(_FOLDED_FAMILIES)
    return (
        pl.when(family.is_null())
        .then(pl.lit(N_("barre oblique « / » absente")))
        .when(known & ~spaced)
        .then(None)
        .when(known_before_space | spaced)
        .then(pl.lit(N_("pas d'espace avant ni après la barre oblique")))
        .when(_folded_expr(family.str.strip_chars()).is_in(_FOLDED_FAMILIES))
        .then(pl.lit(N_("espace en trop au début de la cellule")))
        .otherwise(pl.format("famille « {} » inconnue", family))
    )


@custom_check("nomenclature-actes-value", "nomenclature-acte")
def nomenclature_actes(check: CustomCheck) -> Iterator[Finding]:
    return single_column(check, "FR-ACTES", lambda column: actes_problem(pl.col(column)))


@custom_check("opening-hours-value")
def opening_hours(check: CustomCheck) -> Iterator[Finding]:
    """OpenStreetMap opening_hours syntax, read by opening-hours-py: the parser the reference
    validator uses (a Rust implementation of the OSM specification). A grammar this rich has no
    polars expression, so each distinct value is parsed once."""
    from opening_hours import validate

    return single_column(check, "CUSTOM-OPENING-HOURS", refused_by(validate))


def is_phone_number(value: str) -> bool:
    """A valid French number (short numbers such as 3939 included) or a valid international
    one, as the reference validator decides with phonenumbers."""
    import phonenumbers

    for region in ("FR", None):
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
        if region is not None and phonenumbers.is_valid_short_number(number):
            return True
    return False


@custom_check("phone-number-value")
def phone_number(check: CustomCheck) -> Iterator[Finding]:
    """Valid phone numbers, by Google's libphonenumber metadata (phonenumbers): numbering
    plans change, no expression could keep up, so each distinct value is parsed once."""
    return single_column(check, "CUSTOM-PHONE", refused_by(is_phone_number))
