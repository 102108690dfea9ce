"""Cell values as the Table Schema reads them, for the custom checks that need more than text.

The reference validator hands its checks the values frictionless has read: missing values become
null, numbers and dates are parsed, and a cell that cannot be read as its field's type also
becomes null (its type error is reported by the Table Schema family). These expressions do the
same over whole columns, for the types the custom checks compare or add up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

NUMBER = pl.Decimal(38, 9)
"""Exact decimals, as frictionless reads numbers (Python Decimal): sums compare exactly."""

NUMERIC_TYPES = ("integer", "number", "year")
TEMPORAL_TYPES = ("date", "datetime", "time")
_DEFAULT_FORMATS = {"date": "%Y-%m-%d", "time": "%H:%M:%S"}


def missing(cell: pl.Expr, field: Mapping[str, Any], schema: Mapping[str, Any]) -> pl.Expr:
    """True where the cell is one of the field's missing values ("" unless the schema says)."""
    values = field.get("missingValues", schema.get("missingValues", [""]))
    markers = [v for v in values if isinstance(v, str)] if isinstance(values, list) else [""]
    return cell.is_null() | cell.is_in(markers)


def kind(field: Mapping[str, Any]) -> str:
    """How a field's values compare: as numbers, as dates or times, as booleans, or as text."""
    field_type = field.get("type", "string")
    if field_type in NUMERIC_TYPES:
        return "number"
    if field_type in (*TEMPORAL_TYPES, "boolean"):
        return field_type
    return "text"


def number(cell: pl.Expr, field: Mapping[str, Any], schema: Mapping[str, Any]) -> pl.Expr:
    """The cell as an exact decimal, read with the field's number options; null if it is not.

    A text field gives the number its cell spells, if any (the reference validator compares two
    numeric strings as numbers); a date or boolean field gives none.
    """
    if kind(field) not in ("number", "text"):
        return pl.lit(None, dtype=NUMBER)
    text = cell.str.strip_chars()
    if field.get("bareNumber", True) is False:
        text = text.str.replace(r"^[^-\d]*", "").str.replace(r"\D*$", "")
    group = field.get("groupChar")
    if isinstance(group, str) and group:
        text = text.str.replace_all(group, "", literal=True)
    decimal = field.get("decimalChar", ".")
    if isinstance(decimal, str) and decimal not in ("", "."):
        text = (
            pl.when(text.str.contains(".", literal=True))
            .then(None)
            .otherwise(text.str.replace_all(decimal, ".", literal=True))
        )
    if field.get("type") in ("integer", "year"):
        value = text.cast(pl.Int64, strict=False).cast(NUMBER)
    else:
        value = text.cast(NUMBER, strict=False)
    return pl.when(missing(cell, field, schema)).then(None).otherwise(value)


def typed(cell: pl.Expr, field: Mapping[str, Any], schema: Mapping[str, Any]) -> pl.Expr:
    """The value frictionless would hand a check: parsed per the field's type, null when the
    cell is missing or cannot be read (other types are kept as their text)."""
    field_kind = kind(field)
    if field_kind == "number":
        return number(cell, field, schema)
    fmt = field.get("format", "default")
    if fmt == "default":
        fmt = _DEFAULT_FORMATS.get(field_kind)
    elif fmt == "any" or not isinstance(fmt, str):
        fmt = None
    if field_kind == "date":
        value = cell.str.to_date(fmt, strict=False)
    elif field_kind == "datetime":
        value = cell.str.to_datetime(fmt, strict=False, time_unit="us")
    elif field_kind == "time":
        value = cell.str.to_time(fmt, strict=False)
    elif field_kind == "boolean":
        true_values = field.get("trueValues", ["true", "True", "TRUE", "1"])
        false_values = field.get("falseValues", ["false", "False", "FALSE", "0"])
        value = pl.when(cell.is_in(true_values)).then(True).when(cell.is_in(false_values))
        value = value.then(False)
    else:
        value = cell
    return pl.when(missing(cell, field, schema)).then(None).otherwise(value)
