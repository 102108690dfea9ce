"""french-siret-value and french-siren-value (named siret and siren in newer schemas).

Same semantics as the reference validator (which calls python-stdnum per cell): spaces and dots
are ignored, a SIRET must pass Luhn on all 14 digits and on its SIREN, La Poste's
establishments (SIREN 356000000, head office excepted) use a digit sum divisible by 5. Here the
whole column is checked at once with polars expressions; tests compare with python-stdnum.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from publisher.checks.custom.base import CustomCheck, custom_check, single_column
from publisher.findings import Finding
from publisher.i18n import N_

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def pair_sum(number: pl.Expr, length: int, table: tuple[int, ...]) -> pl.Expr:
    """The sum, over the digits of `number` (a string of `length` ASCII digits, `as_number`)
    taken two at a time from the right, of `table[pair]`: a checksum weighs each digit by its
    place, and a table of the 100 pairs says both weighings at once. A dozen expressions
    instead of one per digit: polars plans a large expression for milliseconds on every call,
    whatever the number of values. Null where `number` is null."""
    weights = pl.lit(pl.Series(table, dtype=pl.Int64))
    pairs = [weights.gather((number // 100**index) % 100) for index in range((length + 1) // 2)]
    return pl.sum_horizontal(pairs, ignore_nulls=False)


def _luhn_pair(pair: int) -> int:
    """A pair's Luhn weight: its units digit as it is, its tens digit doubled (digits of the
    double added)."""
    doubled = 2 * (pair // 10)
    return pair % 10 + doubled - 9 * (doubled > 9)


LUHN_PAIRS = tuple(_luhn_pair(pair) for pair in range(100))
DIGIT_PAIRS = tuple(pair // 10 + pair % 10 for pair in range(100))


def as_number(text: pl.Expr) -> pl.Expr:
    """The integer a string of digits writes (null if it is not one), for `pair_sum`. Computed
    once into a column by the callers: polars would evaluate it again for every pair."""
    return text.cast(pl.Int64, strict=False)


def luhn_valid(number: pl.Expr, length: int) -> pl.Expr:
    """True where `number` (a string of `length` digits, `as_number`) passes the Luhn
    checksum."""
    return pair_sum(number, length, LUHN_PAIRS) % 10 == 0


def compact(expr: pl.Expr) -> pl.Expr:
    """Drop the spaces (no-break ones included) and dots people type inside identifiers."""
    return expr.str.replace_all(r"[\s.]", "")


def siren_problem(expr: pl.Expr) -> pl.Expr:
    """The French reason a SIREN is invalid, or null when it is valid."""
    return expr.map_batches(_siren_problems, return_dtype=pl.String, is_elementwise=True)


def siret_problem(expr: pl.Expr) -> pl.Expr:
    """The French reason a SIRET is invalid, or null when it is valid."""
    return expr.map_batches(_siret_problems, return_dtype=pl.String, is_elementwise=True)


def _siren_problems(cells: pl.Series) -> pl.Series:
    value, number = pl.col("value"), pl.col("number")
    return (
        _numbered(cells)
        .select(
            pl.when(~value.str.contains(r"^[0-9]{9}$"))
            .then(pl.lit(N_("9 chiffres attendus")))
            .when(~luhn_valid(number, 9))
            .then(pl.lit(N_("clé de contrôle fausse")))
        )
        .to_series()
    )


def _siret_problems(cells: pl.Series) -> pl.Series:
    value, number = pl.col("value"), pl.col("number")
    own_key, siren_key = siret_keys(value, number)
    return (
        _numbered(cells)
        .select(
            pl.when(~value.str.contains(r"^[0-9]{14}$"))
            .then(pl.lit(N_("14 chiffres attendus")))
            .when(~own_key)
            .then(pl.lit(N_("clé de contrôle fausse")))
            .when(~siren_key)
            .then(pl.lit(N_("le SIREN inclus a une clé fausse")))
        )
        .to_series()
    )


def siret_keys(value: pl.Expr, number: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Whether a SIRET of 14 ASCII digits (`value`, and the `number` it writes) has its own
    key right (a digit sum divisible by 5 for La Poste's establishments), and its SIREN's."""
    la_poste = value.str.starts_with(LA_POSTE_SIREN) & (value != LA_POSTE_HEAD_OFFICE)
    own_key = (
        pl.when(la_poste)
        .then(pair_sum(number, 14, DIGIT_PAIRS) % 5 == 0)
        .otherwise(luhn_valid(number, 14))
    )
    return own_key, luhn_valid(number // 10**5, 9)  # the SIREN: its first nine digits


def _numbered(cells: pl.Series) -> pl.DataFrame:
    """The cells compacted (`value`) and the number they write (`number`), each computed
    once: an expression reused in another is evaluated again each time."""
    compacted = pl.DataFrame({"value": cells}).with_columns(compact(pl.col("value")))
    return compacted.with_columns(as_number(pl.col("value")).alias("number"))


@custom_check("french-siret-value", "siret")
def siret_check(check: CustomCheck) -> Iterable[Finding]:
    return single_column(check, "FR-SIRET", lambda column: siret_problem(pl.col(column)))


@custom_check("french-siren-value", "siren")
def siren_check(check: CustomCheck) -> Iterable[Finding]:
    return single_column(check, "FR-SIREN", lambda column: siren_problem(pl.col(column)))
