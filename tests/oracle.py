"""frictionless as the oracle: its errors and ours, put in the same terms to compare them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from frictionless import Resource, Schema, formats

from publisher.findings import Finding

CELL_ERRORS = {"type-error": "type", "constraint-error": "constraint", "unique-error": "unique"}
ROW_ERRORS = ("extra-cell", "missing-cell", "blank-row")
OUR_CELL_CODES = {
    "SCHEMA-TYPE": "type",
    "FMT-DECIMAL-COMMA": "type",
    "FMT-THOUSANDS": "type",
    "FMT-DATE-FR": "type",
    "SCHEMA-REQUIRED": "constraint",
    "SCHEMA-CONSTRAINT": "constraint",
    "SCHEMA-UNIQUE": "unique",
}


def table_schema_part(schema: dict[str, Any]) -> dict[str, Any]:
    keys = ("fields", "missingValues", "primaryKey", "uniqueKeys")
    return {key: schema[key] for key in keys if key in schema}


def frictionless_cells(
    data: bytes, schema: dict[str, Any], delimiter: str
) -> tuple[set[tuple[int, str, str]], set[int], set[str]]:
    """What frictionless says of a UTF-8 CSV: cell errors as (row, field, kind), rows with a
    shape error, and the kinds of label errors."""
    report = Resource(
        data=data,
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(table_schema_part(schema)),
        control=formats.CsvControl(delimiter=delimiter),
    ).validate(limit_errors=10_000_000)
    errors = report.tasks[0].errors if report.tasks else []
    cells = {
        (e.row_number, e.field_name, CELL_ERRORS[e.type])
        for e in errors
        if e.type in CELL_ERRORS
    }
    cells |= {(e.row_number, "clé primaire", "unique") for e in errors if e.type == "primary-key"}
    rows = {e.row_number for e in errors if e.type in ROW_ERRORS}
    labels = {e.type for e in errors if e.type.endswith("-label")}
    return cells, rows, labels


def our_cells(findings: Iterable[Finding]) -> tuple[set[tuple[int, str, str]], set[int]]:
    """Our findings in the oracle's terms: cell findings as (row, field, kind), shape rows."""
    cells = {
        (f.location.row, f.location.column, OUR_CELL_CODES[f.code])
        for f in findings
        if f.code in OUR_CELL_CODES
    }
    rows = {f.location.row for f in findings if f.code == "FMT-ROW-SHAPE"}
    return cells, rows
