"""What every custom check gets, and the one place where failing rows become findings.

A custom check is a function registered under the names schemas use for it. It receives a
`CustomCheck` (the table read once, the schema's fields, the check's parameters), builds polars
expressions over whole columns, filters the failing rows and hands them to `cell_findings`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from publisher.checks.custom import values
from publisher.codes import make
from publisher.findings import Finding, Location, shown_value
from publisher.read import Table

ROW = "__row"
VALUE = "__value"


class InvalidParams(Exception):
    """The schema declares the check with parameters it cannot run with (reason in French)."""


@dataclass(frozen=True)
class CustomCheck:
    """One `custom_checks` entry of a schema, applied to one table."""

    name: str
    params: Mapping[str, Any]
    table: Table
    schema: Mapping[str, Any]
    schema_ref: str
    where: Location

    # Parameters: a bad declaration raises InvalidParams, reported once for the whole check.

    def column_param(self, *keys: str) -> str:
        """The column named by the first of `keys` present (aliases of one parameter)."""
        for key in keys:
            if key in self.params:
                value = self.params[key]
                if not isinstance(value, str) or not value:
                    raise InvalidParams(f"« {key} » doit être un nom de colonne")
                return value
        raise InvalidParams(f"paramètre « {keys[0]} » absent")

    def columns_param(self, key: str) -> list[str]:
        value = self.params.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise InvalidParams(f"« {key} » doit être une liste de noms de colonnes")
        return value

    def text_param(self, key: str, default: str) -> str:
        value = self.params.get(key, default)
        if not isinstance(value, str):
            raise InvalidParams(f"« {key} » doit être un texte")
        return value

    # Columns, as the Table Schema reads them.

    def present(self, column: str) -> bool:
        return column in self.table.frame.columns

    def raw(self, column: str) -> pl.Expr:
        """The cell text; null for a column the file does not have."""
        if self.present(column):
            return pl.col(column)
        return pl.lit(None, dtype=pl.String)

    def field(self, column: str) -> Mapping[str, Any]:
        for field in self.schema.get("fields", []):
            if isinstance(field, Mapping) and field.get("name") == column:
                return field
        return {"name": column, "type": "string"}

    def empty(self, column: str) -> pl.Expr:
        """True where the cell is empty: blank or one of the schema's missing values."""
        return values.missing(self.raw(column), self.field(column), self.schema)

    def typed(self, column: str) -> pl.Expr:
        """The value the Table Schema reads from the cell; null when empty or unreadable."""
        return values.typed(self.raw(column), self.field(column), self.schema)

    def number(self, column: str) -> pl.Expr:
        """The cell as an exact decimal number; null when empty or not a number."""
        return values.number(self.raw(column), self.field(column), self.schema)

    # Findings.

    def finding(self, code: str, **params: Any) -> Finding:
        """A finding about the whole table (no row)."""
        return make(code, self.where, schema=self.schema_ref, **params)

    def cell_findings(
        self, failing: pl.DataFrame, code: str, column: str | None, **params: Any
    ) -> Iterator[Finding]:
        """One finding per row of `failing` (columns ROW, VALUE and per-row message fields).

        Per-row fields may quote cells: they are bounded and masked like the shown value.
        """
        per_row = [name for name in failing.columns if name not in (ROW, VALUE)]
        for record in failing.iter_rows(named=True):
            yield make(
                code,
                replace(self.where, row=record[ROW], column=column),
                value=shown_value(record[VALUE]),
                column=column,
                **params,
                **{name: shown_value(record[name]) or "" for name in per_row},
            )

    def failing_rows(self, failed: pl.Expr, value: pl.Expr, **fields: pl.Expr) -> pl.DataFrame:
        """The rows where `failed` is true, with the shown value and message fields."""
        return (
            self.table.frame.select(
                failed.fill_null(False).alias("__failed"),
                self.table.row_numbers.alias(ROW),
                value.alias(VALUE),
                *(expr.alias(name) for name, expr in fields.items()),
            )
            .filter(pl.col("__failed"))
            .drop("__failed")
        )


def quoted(columns: Iterable[str]) -> str:
    """Column names as a French list: « a », « b »."""
    return ", ".join(f"« {column} »" for column in columns)


CheckFunction = Callable[[CustomCheck], Iterable[Finding]]
CHECKS: dict[str, CheckFunction] = {}


def custom_check(*names: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check under the names schemas use for it (current and former)."""

    def add(function: CheckFunction) -> CheckFunction:
        for name in names:
            CHECKS[name] = function
        return function

    return add


def single_column(
    check: CustomCheck, code: str, problem: Callable[[str], pl.Expr], **params: Any
) -> Iterator[Finding]:
    """A one-column check: `problem(column)` gives the French reason a cell is wrong, or null.

    Evaluated once per distinct value (a commune's SIRET fills the whole column), then joined
    back to the rows. Skipped when the column is absent and on empty cells, as the reference
    validator does.
    """
    column = check.column_param("column")
    if not check.present(column):
        return
    cells = check.table.frame.select(pl.col(column).alias(VALUE))
    reasons = (
        cells.unique()
        .filter(~values.missing(pl.col(VALUE), check.field(column), check.schema))
        .select(VALUE, problem(VALUE).alias("reason"))
        .filter(pl.col("reason").is_not_null())
    )
    failing = (
        cells.with_columns(check.table.row_numbers.alias(ROW))
        .join(reasons, on=VALUE, how="inner", maintain_order="left")
        .select(ROW, VALUE, "reason")
    )
    yield from check.cell_findings(failing, code, column, **params)


def refused_by(accepts: Callable[[str], bool]) -> Callable[[str], pl.Expr]:
    """A `problem` for checks that need a real parser, not an expression: `single_column`
    evaluates problems over distinct values, so `accepts` runs once per distinct value."""
    return lambda column: pl.when(
        ~pl.col(column).map_elements(accepts, return_dtype=pl.Boolean, skip_nulls=True)
    ).then(pl.lit(""))
