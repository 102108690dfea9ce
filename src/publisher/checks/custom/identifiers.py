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


def _digit(expr: pl.Expr, index: int) -> pl.Expr:
    return expr.str.slice(index, 1).cast(pl.Int32, strict=False)


def luhn_valid(expr: pl.Expr, length: int) -> pl.Expr:
    """True where the `length`-digit string passes the Luhn checksum."""
    total = pl.lit(0, dtype=pl.Int32)
    for index in range(length):
        digit = _digit(expr, index)
        if (length - 1 - index) % 2 == 1:
            digit = digit * 2
            digit = pl.when(digit > 9).then(digit - 9).otherwise(digit)
        total = total + digit
    return (total % 10) == 0


def digit_sum(expr: pl.Expr, length: int) -> pl.Expr:
    total = pl.lit(0, dtype=pl.Int32)
    for index in range(length):
        total = total + _digit(expr, index)
    return total


def compact(expr: pl.Expr) -> pl.Expr:
    """Drop the spaces (no-break ones included) and dots people type inside identifiers."""
    return expr.str.replace_all(r"[\s.]", "")


def siren_problem(expr: pl.Expr) -> pl.Expr:
    """The French reason a SIREN is invalid, or null when it is valid."""
    value = compact(expr)
    return (
        pl.when(~value.str.contains(r"^[0-9]{9}$"))
        .then(pl.lit(N_("9 chiffres attendus")))
        .when(~luhn_valid(value, 9))
        .then(pl.lit(N_("clé de contrôle fausse")))
    )


def siret_problem(expr: pl.Expr) -> pl.Expr:
    """The French reason a SIRET is invalid, or null when it is valid."""
    value = compact(expr)
    la_poste = value.str.starts_with(LA_POSTE_SIREN) & (value != LA_POSTE_HEAD_OFFICE)
    checksum_ok = (
        pl.when(la_poste).then(digit_sum(value, 14) % 5 == 0).otherwise(luhn_valid(value, 14))
    )
    return (
        pl.when(~value.str.contains(r"^[0-9]{14}$"))
        .then(pl.lit(N_("14 chiffres attendus")))
        .when(~checksum_ok)
        .then(pl.lit(N_("clé de contrôle fausse")))
        .when(~luhn_valid(value.str.slice(0, 9), 9))
        .then(pl.lit(N_("le SIREN inclus a une clé fausse")))
    )


@custom_check("french-siret-value", "siret")
def siret_check(check: CustomCheck) -> Iterable[Finding]:
    return single_column(check, "FR-SIRET", lambda column: siret_problem(pl.col(column)))


@custom_check("french-siren-value", "siren")
def siren_check(check: CustomCheck) -> Iterable[Finding]:
    return single_column(check, "FR-SIREN", lambda column: siren_problem(pl.col(column)))
