"""Custom checks family: the `custom_checks` of shared schemas (SIRET and SIREN so far).

Same semantics as the reference validator (which calls python-stdnum per cell): spaces and dots
are ignored, a SIRET must pass Luhn on all 14 digits and on its SIREN, La Poste's
establishments (SIREN 356000000, head office excepted) use a digit sum divisible by 5. Here the
whole column is checked at once with polars expressions; tests compare with python-stdnum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

import polars as pl

from publisher.checks.registry import BaseFamily, ResourceContext, register
from publisher.codes import make
from publisher.findings import Finding, shown_value
from publisher.read import Table

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
        .then(pl.lit("9 chiffres attendus"))
        .when(~luhn_valid(value, 9))
        .then(pl.lit("clé de contrôle fausse"))
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
        .then(pl.lit("14 chiffres attendus"))
        .when(~checksum_ok)
        .then(pl.lit("clé de contrôle fausse"))
        .when(~luhn_valid(value.str.slice(0, 9), 9))
        .then(pl.lit("le SIREN inclus a une clé fausse"))
    )


_CHECKS = {
    "french-siret-value": ("FR-SIRET", siret_problem),
    "french-siren-value": ("FR-SIREN", siren_problem),
}


@register
class CustomChecksFamily(BaseFamily):
    """The `custom_checks` a shared schema declares; those not implemented yet are said so
    (an `info` finding), never skipped in silence."""

    name = "custom-checks"
    codes = ("FR-SIRET", "FR-SIREN", "SCHEMA-CUSTOM-UNCHECKED")

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        table, schema = context.read.table, context.schema
        if table is None or schema is None:
            return
        for custom in schema.descriptor.get("custom_checks", []):
            params = custom.get("params") or {}
            check = _CHECKS.get(custom.get("name"))
            if check is None:
                shown = ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
                yield make(
                    "SCHEMA-CUSTOM-UNCHECKED",
                    context.where,
                    check=custom.get("name"),
                    params=shown or "sans paramètre",
                    schema=schema.ref,
                )
                continue
            column = params.get("column")
            if column not in table.frame.columns:
                continue  # skipped when the column is absent, as the reference validator does
            code, problem = check
            yield from _cell_findings(context, table, column, code, problem)


def _cell_findings(
    context: ResourceContext,
    table: Table,
    column: str,
    code: str,
    problem: Callable[[pl.Expr], pl.Expr],
) -> Iterable[Finding]:
    """One finding per non-empty cell the column-wide `problem` expression rejects."""
    cell = pl.col(column)
    bad = (
        table.frame.select(
            cell.alias("value"), problem(cell).alias("reason"), table.row_numbers.alias("row")
        )
        .filter(pl.col("value").str.strip_chars() != "")
        .filter(pl.col("reason").is_not_null())
    )
    for value, reason, row in bad.iter_rows():
        yield make(
            code,
            replace(context.where, row=row, column=column),
            value=shown_value(value),
            column=column,
            reason=reason,
        )
