"""Checks across the columns of a row: one-of-required, cohesive-columns-value,
compare-columns-value and sum-columns-value.

Semantics of the reference validator (validata-core custom checks): a cell counts as empty
when the Table Schema reads no value from it (blank, a missing value, or unreadable as its
type); compare and sum skip a row where one of their cells is empty or a column is absent,
one-of-required and cohesive exist to catch empty cells and never skip them.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from publisher.checks.custom import values
from publisher.checks.custom.base import VALUE, CustomCheck, InvalidParams, custom_check, quoted
from publisher.findings import Finding
from publisher.i18n import N_


@custom_check("one-of-required")
def one_of_required(check: CustomCheck) -> Iterator[Finding]:
    """At least one of two cells filled on every row; both columns absent is one table finding.

    The schemas write `column1`; the reference validator's documentation writes `column`:
    both are accepted.
    """
    first, second = check.column_param("column1", "column"), check.column_param("column2")
    present = [column for column in (first, second) if check.present(column)]
    if check.table.row_count == 0:
        return
    if not present:
        yield check.finding("CUSTOM-ONE-OF-COLUMNS", column1=first, column2=second)
        return
    absent = [column for column in (first, second) if column not in present]
    detail = (
        f"la colonne « {absent[0]} » est absente du fichier et « {present[0]} » est vide"
        if absent
        else N_("les deux sont vides")
    )
    both_empty = check.typed(first).is_null() & check.typed(second).is_null()
    failing = check.failing_rows(both_empty, pl.lit(None, dtype=pl.String))
    yield from check.cell_findings(
        failing, "CUSTOM-ONE-OF-REQUIRED", present[0], column1=first, column2=second, detail=detail
    )


@custom_check("cohesive-columns-value")
def cohesive_columns(check: CustomCheck) -> Iterator[Finding]:
    """The listed cells of a row are all filled or all empty; some columns absent (but not all)
    is one table finding, as in the reference validator."""
    columns = [check.column_param("column"), *check.columns_param("othercolumns")]
    missing = [column for column in columns if not check.present(column)]
    if check.table.row_count == 0 or len(missing) == len(columns):
        return
    if missing:
        yield check.finding(
            "CUSTOM-COHESIVE-COLUMNS", columns=quoted(columns), missing=quoted(missing)
        )
        return
    empty = [check.typed(column).is_null() for column in columns]
    partial = pl.any_horizontal(empty) & ~pl.all_horizontal(empty)
    failing = check.failing_rows(
        partial,
        _named_cells(check, columns),
        empty=_names_where(columns, empty, True),
        filled=_names_where(columns, empty, False),
    )
    yield from check.cell_findings(failing, "CUSTOM-COHESIVE", columns[0], columns=quoted(columns))


OPERATORS = {
    "<": (N_("inférieure"), pl.Expr.lt),
    "<=": (N_("inférieure ou égale"), pl.Expr.le),
    "==": (N_("égale"), pl.Expr.eq),
    ">=": (N_("supérieure ou égale"), pl.Expr.ge),
    ">": (N_("supérieure"), pl.Expr.gt),
}


@custom_check("compare-columns-value")
def compare_columns(check: CustomCheck) -> Iterator[Finding]:
    """`column op column2` on rows where both are filled.

    As in the reference validator: two numbers (or numeric texts) compare as numbers, two
    values of the same kind (texts, dates…) in their own order (ISO dates chronologically),
    a number against anything else cannot be compared.
    """
    first, second = check.column_param("column"), check.column_param("column2")
    operator = check.text_param("op", "")
    if operator not in OPERATORS:
        raise InvalidParams(f"opérateur « {operator} » inconnu (attendus : {', '.join(OPERATORS)})")
    relation, compare = OPERATORS[operator]
    if not (check.present(first) and check.present(second)):
        return
    number1, number2 = check.number(first), check.number(second)
    kind1, kind2 = (values.kind(check.field(first)), values.kind(check.field(second)))
    both_numbers = number1.is_not_null() & number2.is_not_null()
    if kind1 == kind2:
        same_kind = compare(check.typed(first), check.typed(second))
        holds = pl.when(both_numbers).then(compare(number1, number2)).otherwise(same_kind)
        comparable = pl.lit(True)
    else:
        holds = compare(number1, number2)
        comparable = both_numbers
    filled = check.typed(first).is_not_null() & check.typed(second).is_not_null()
    shown = {"value1": check.raw(first), "value2": check.raw(second)}
    for code, failed in (
        ("CUSTOM-COMPARE-TYPES", filled & ~comparable),
        ("CUSTOM-COMPARE", filled & comparable & ~holds),
    ):
        failing = check.failing_rows(failed, check.raw(first), **shown)
        yield from check.cell_findings(failing, code, first, column2=second, relation=relation)


@custom_check("sum-columns-value")
def sum_columns(check: CustomCheck) -> Iterator[Finding]:
    """`column` equals the sum of `columns`, on rows where all of them are filled numbers."""
    total_column = check.column_param("column")
    addends = check.columns_param("columns")
    involved = [total_column, *addends]
    if not all(check.present(column) for column in involved):
        return
    numbers = [check.number(column) for column in involved]
    total = pl.sum_horizontal(numbers[1:])
    failed = pl.all_horizontal([n.is_not_null() for n in numbers]) & (numbers[0] != total)
    failing = check.failing_rows(
        failed,
        check.raw(total_column),
        total=total.cast(pl.String),
        columns=pl.concat_str(
            [
                pl.format("« {} » ({})", pl.lit(name), check.raw(name).str.strip_chars())
                for name in addends
            ],
            separator=" + ",
        ),
    )
    failing = failing.with_columns(
        pl.col("total").str.replace(r"(\.\d*?)0+$", "${1}").str.replace(r"\.$", ""),
        pl.col(VALUE).alias("found"),
    )
    yield from check.cell_findings(failing, "CUSTOM-SUM", total_column)


def _named_cells(check: CustomCheck, columns: list[str]) -> pl.Expr:
    """`name=value` for each cell, the value shown to the officer."""
    return pl.concat_str(
        [pl.format("{}={}", pl.lit(name), check.raw(name).fill_null("")) for name in columns],
        separator=" ; ",
    )


def _names_where(columns: list[str], empty: list[pl.Expr], wanted: bool) -> pl.Expr:
    """The quoted names of the columns whose emptiness is `wanted`, on each row."""
    return pl.concat_str(
        [
            pl.when(is_empty == wanted).then(pl.lit(f"« {name} »"))
            for name, is_empty in zip(columns, empty, strict=True)
        ],
        separator=", ",
        ignore_nulls=True,
    )
