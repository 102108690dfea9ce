"""Public identifiers, run first: whatever matches here is never flagged.

SIREN/SIRET (Luhn, La Poste), TVA, RNA, INSEE and postal codes, BAL `cle_interop`, ACTES ids,
UAI, IRVE ids, UUIDs, EAN-13, amounts, years and web addresses. A cell that *is* one of them
is left out of every family; inside free text, their spans are blanked before detection, so a
SIRET never looks like a phone number and a URL never like a name.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from publisher.checks.custom.identifiers import as_number, luhn_valid, pair_sum, siret_keys

BLANK = " ∅ "

_WHOLE_CELL = (
    r"W\d{9}",  # RNA
    r"(?:\d{5}|2[AB]\d{3})",  # code INSEE, code postal
    r"(?:\d{5}|2[AB]\d{3})_[0-9A-Z]{4}_\d{5}(?:_[0-9A-Z]+)?",  # BAL cle_interop
    r"\d{3}-\d{9}-\d{8}-[0-9A-Z_.\-]+",  # ACTES
    r"\d{7}[A-Z]",  # UAI
    r"FR\*?[0-9A-Z]{3}\*?[EP][0-9A-Z*]+",  # IRVE id_pdc_itinerance / id_station
    r"[0-9A-F]{8}-?[0-9A-F]{4}-?[0-9A-F]{4}-?[0-9A-F]{4}-?[0-9A-F]{12}",  # UUID
    r"(?:18|19|20)\d{2}",  # year
    r"FR[0-9A-Z]{2}\d{9}",  # TVA intracommunautaire
    r"-?\d{1,3}(?:[  ]\d{3})+(?:[.,]\d{1,2})?\s?(?:€|EUR)?",  # amount, thousands spaced
    r"-?(?:0|[1-9]\d{0,7})(?:[.,]\d+)?\s?(?:€|EUR)?",  # number, amount, measure, rate
    r"-?\d+[.,]\d+",  # decimal number (coordinates, ratios)
)
_SHAPES = r"(?i)^\s*(?:" + "|".join(f"(?:{pattern})" for pattern in _WHOLE_CELL) + r")\s*$"
"""A whole cell of one of these shapes, spaces around it allowed, its letters in either case
(case folding, where the values were upper-cased before: the two differ only on a few letters
outside ASCII that no identifier holds, such as the Kelvin sign, a dotless ı or ß)."""
_IN_TEXT = "|".join(
    (
        r"(?i:https?://|www\.)\S+",
        r"\d{3}-\d{9}-\d{8}-[0-9A-Za-z_.\-]+",
        r"(?:\d{5}|2[AB]\d{3})_[0-9A-Za-z]{4}_\d{5}(?:_[0-9A-Za-z]+)?(?-u:\b)",
        r"W\d{9}(?-u:\b)",
        r"(?i:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?-u:\b)",
        r"FR\*[0-9A-Z]{3}\*[EP][0-9A-Z*]+",
        r"(?i:siret|siren|n°\s*siret)\s*:?\s*[\d ]{9,17}",
    )
)
"""Public identifiers inside free text, in one pattern so that the text is read once."""


def compact(expr: pl.Expr) -> pl.Expr:
    """Spaces (no-break ones too), dots and dashes removed, upper case."""
    return expr.str.replace_all(r"[\s.\-]", "").str.to_uppercase()


def public_identifier(cells: pl.DataFrame, column: str) -> pl.Series:
    """True where the whole cell of `column` is a public identifier or a plain number.

    Checksums run only on the cells that are 9, 13 or 14 digits once compacted.
    """
    shaped = pl.col(column).str.contains(_SHAPES)
    packed = pl.col("_packed")
    length = packed.str.len_chars()
    checked = pl.repeat(False, cells.height, dtype=pl.Boolean, eager=True)
    digit_cells = cells.select(pl.int_range(pl.len()).alias("_at"), pl.col(column)).filter(
        pl.col(column).str.contains(r"^[\d\s.\-]{9,}$")  # digits once compacted
    )
    if not digit_cells.is_empty():  # else no pattern compiled for nothing (`detectors.NO_HITS`)
        numbers = (
            digit_cells.select("_at", compact(pl.col(column)).alias("_packed"))
            .with_columns(length.alias("_length"))
            .filter(pl.col("_length").is_in(list(_CHECKSUMS)))  # digits alone, once compacted
            .with_columns(as_number(packed).alias("_number"))
        )
        lengths = numbers.get_column("_length").unique().to_list()
        if lengths:  # each checksum planned only when a number of its length is there
            valid = pl.any_horizontal(
                (pl.col("_length") == size) & _CHECKSUMS[size](packed, pl.col("_number"))
                for size in sorted(lengths)
            )
            checked = checked.scatter(numbers.filter(valid).get_column("_at"), True)
    return cells.select(shaped.fill_null(False) | checked).to_series().alias("public")


def blank_public_spans(text: pl.Expr) -> pl.Expr:
    """Free text with URLs, ACTES ids, `cle_interop`, RNA, UUIDs and SIRETs blanked out."""
    return text.map_batches(_blanked, return_dtype=pl.String)


def _blanked(texts: pl.Series) -> pl.Series:
    """Replacing writes every value anew: only the values that hold a span are replaced."""
    if texts.is_empty():
        return texts
    pattern = rf"(?-u:\b)(?:{_IN_TEXT})"
    holding = texts.str.contains(pattern).fill_null(False).arg_true()
    if holding.len() == 0:
        return texts
    return texts.clone().scatter(holding, texts.gather(holding).str.replace_all(pattern, BLANK))


def _ean13_valid(number: pl.Expr) -> pl.Expr:
    """True where `number` (13 digits, `as_number`) is an EAN-13 with its check digit: the
    twelve digits before it weigh 1 and 3 in turn from the left, so 3 for the last."""
    total = pair_sum(number // 10, 12, _EAN_PAIRS)
    return (10 - total % 10) % 10 == number % 10


_EAN_PAIRS = tuple(pair // 10 + 3 * (pair % 10) for pair in range(100))

_CHECKSUMS: dict[int, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    9: lambda _digits, number: luhn_valid(number, 9),  # SIREN
    13: lambda _digits, number: _ean13_valid(number),
    14: lambda digits, number: pl.all_horizontal(siret_keys(digits, number)),
}
"""The public numbers recognised by their key, by length: (digits, the number they write) →
whether the key is right."""
