"""frictionless as the oracle: its errors and ours, put in the same terms to compare them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from frictionless import Detector, Resource, Schema, formats

from publisher.checks.header import HeaderMatch, match_header
from publisher.findings import Finding, Location

EVERY_FINDING = 10**9
"""A cap no file reaches: comparisons with frictionless need every finding, not a sample."""
CELL_ERRORS = {"type-error": "type", "constraint-error": "constraint", "unique-error": "unique"}
ROW_ERRORS = ("extra-cell", "missing-cell", "blank-row")
# The shared schema each corpus file is meant to follow, by path prefix in the corpus.
CORPUS_SCHEMAS = {
    "subventions/": "scdl/subventions",
    "montpellier/montpellier_subventions": "scdl/subventions",
    "deliberations/": "scdl/deliberations",
    "montpellier/montpellier_deliberations.csv": "scdl/deliberations",
    "montpellier/montpellier_budget": "scdl/budget",
    "montpellier/montpellier_arbres": "NaturalSolutions/schema-arbre",
    "other-schemas/irve": "etalab/schema-irve-statique",
    "bordeaux-metropole/st_park": "etalab/schema-stationnement",
    "ods-catalog/": "scdl/catalogue",
    "marches-publics/decp": "139bercy/format-commande-publique",
    "marches-publics/saint-etienne": "etalab/schema-decp-dpa",
}

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
        (e.row_number, e.field_name, CELL_ERRORS[e.type]) for e in errors if e.type in CELL_ERRORS
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


def renamed_header(table: Any, match: HeaderMatch) -> bytes:
    """The file with its first line naming each matched column after its field."""
    line = io.StringIO()
    labels = [match.fields_by_column.get(column, column) for column in table.frame.columns]
    csv.writer(line, delimiter=table.delimiter, lineterminator="\n").writerow(labels)
    text = table.data.decode("utf-8")
    reader = csv.reader(io.StringIO(text), delimiter=table.delimiter)
    next(reader, None)  # the header, which may span lines
    rest = text.split("\n", reader.line_num)[-1] if text.count("\n") >= reader.line_num else ""
    return line.getvalue().encode("utf-8") + rest.encode("utf-8")


def frictionless_cells_by_name(table: Any, schema: dict[str, Any]) -> set[tuple[int, str, str]]:
    """frictionless' cell errors on the same decoded text, its columns matched by name as ours
    are (`Detector(schema_sync=True)`, misspelt labels renamed as our header matching does),
    the fields absent from the file left out."""
    names = [field["name"] for field in schema.get("fields", [])]
    match = match_header(table.header, table.frame.columns, names, "exact", "", Location())
    data = renamed_header(table, match)
    part = table_schema_part(schema)
    labels = set(match.present_fields)
    part["fields"] = [f for f in part["fields"] if f["name"] in labels]
    if not part["fields"]:
        return set()
    primary = part.get("primaryKey", [])
    if not all(name in labels for name in ([primary] if isinstance(primary, str) else primary)):
        del part["primaryKey"]
    report = Resource(
        data=data,
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(part),
        control=formats.CsvControl(delimiter=table.delimiter),
        detector=Detector(schema_sync=True),
    ).validate(limit_errors=10_000_000)
    return {
        (e.row_number, e.field_name, CELL_ERRORS[e.type])
        for e in report.tasks[0].errors
        if e.type in CELL_ERRORS
    }
