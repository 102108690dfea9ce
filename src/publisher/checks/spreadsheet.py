"""Spreadsheet safety family: cells a spreadsheet would take for a formula (CSV injection).

A cell starting with `=` or `@` (or a tab or carriage return) is run as a formula by common
spreadsheets; one starting with `+` or `-` is too, unless it is a number or a phone number,
so those are flagged only when a function call, a pipe or a `!`/`=` follows. Every column is
tested at once, first by a cheap comparison, then by the pattern; only the columns holding a
formula are then read cell by cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import polars as pl

from publisher.checks.registry import BaseFamily, ResourceContext, register
from publisher.codes import make
from publisher.findings import Finding, shown_value

FORMULA = r"^(?:[=@\t\r]|[+-].*(?:[A-Za-z_]\(|[|!=]))"
_ROW, _COLUMN, _VALUE = "\x00row", "\x00column", "\x00value"


@register
class SpreadsheetSafetyFamily(BaseFamily):
    name = "spreadsheet-safety"
    codes = ("CSV-FORMULA",)

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        table = context.read.table
        if table is None or not table.frame.columns:
            return
        frame = table.frame
        found = _columns_where(frame, _may_start_a_formula(pl.all()))
        if found:
            found = _columns_where(frame.select(found), pl.all().str.contains(FORMULA))
        if not found:
            return
        cells = (
            frame.select(*found)
            .with_columns(table.row_numbers.alias(_ROW))
            .unpivot(index=_ROW, variable_name=_COLUMN, value_name=_VALUE)
            .filter(pl.col(_VALUE).str.contains(FORMULA))
            .sort(_ROW, maintain_order=True)
        )
        for row, column, value in cells.select(_ROW, _COLUMN, _VALUE).iter_rows():
            yield make(
                "CSV-FORMULA",
                replace(context.where, row=row, column=column),
                value=shown_value(value),
                column=column,
                start=_start(value),
            )


def _may_start_a_formula(cell: pl.Expr) -> pl.Expr:
    """Whether a cell starts with a character below « A » other than a digit, which all of
    FORMULA's first characters are: comparing texts costs a fifth of the pattern, which then
    reads only the columns this lets through."""
    return ((cell < "0") & (cell != "")) | ((cell >= ":") & (cell < "A"))


def _columns_where(frame: pl.DataFrame, test: pl.Expr) -> list[str]:
    """The columns of `frame` with a cell passing `test`."""
    hits = frame.select(test.any()).row(0)
    return [column for column, hit in zip(frame.columns, hits, strict=True) if hit]


def _start(value: str) -> str:
    """The sign that makes the cell a formula, named when it is invisible."""
    first = value[0]
    return {"\t": "tabulation", "\r": "retour chariot"}.get(first, first)
