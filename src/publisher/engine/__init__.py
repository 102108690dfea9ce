"""The column-wise Table Schema engine: frictionless' cell semantics as polars expressions.

For each field, over the whole column at once: the cell's text → missing (the schema's
`missingValues`, compared before any trimming; a quoted empty cell is the empty string, so it is
missing by default; a cell a short row lacks is always missing) → typed value (`values.py`: a
fast vectorised reader, then frictionless' own reading once per distinct undecided text) →
constraints on the values (`constraints.py`) → keys across rows (`unique`, `primaryKey`,
self-referencing `foreignKeys`). Only the failing rows leave the engine, as one small frame of
errors in frictionless' terms (row, kind, field, cell, constraint), which
`checks/table_schema.py` turns into findings. frictionless itself stays the oracle the tests
compare with (`tests/oracle.py`, `tests/engine/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from publisher.engine.constraints import constraint_failures
from publisher.engine.keys import NO_ERRORS, SeenKeys, error_lines, key_errors
from publisher.engine.values import read_column, reader


@dataclass(frozen=True)
class Records:
    """Every record of a CSV file, blank ones included, as the engine needs them.

    `frame` has one text column per header cell (null = empty or absent), renamed after the
    schema field it holds; `rows` the spreadsheet line of each record; `cells` how many cells
    each record really had (None when every record has exactly the header's width).
    """

    frame: pl.DataFrame
    rows: pl.Series
    cells: pl.Series | None = None


def check_records(
    records: Records,
    fields: list[dict[str, Any]],
    descriptor: dict,
    seen: SeenKeys | None = None,
) -> pl.DataFrame:
    """Every frictionless error of the records against `fields` (those the file holds, by
    column name) and the schema's keys; `descriptor` gives `missingValues` and keys.

    The records are the whole file, or one batch of it when `seen` is given: keys are then
    compared with the batches before, and the self-referencing foreign keys are left to
    `seen.finish()` after the last batch."""
    whole = seen is None
    seen = SeenKeys() if seen is None else seen
    schema_missing = _missing_values(descriptor.get("missingValues", [""]))
    by_name = {field["name"]: field for field in fields}
    errors: list[pl.DataFrame] = []
    values: dict[str, pl.Series] = {}
    blank = pl.repeat(True, records.frame.height, eager=True)
    for position, column in enumerate(records.frame.columns):
        field = by_name.get(column, {})
        raw = records.frame[column].fill_null("")
        missing = _is_missing(raw, _missing_values(field.get("missingValues", schema_missing)))
        if records.cells is not None:
            missing = missing | (records.cells <= position)
        blank = blank & missing  # every column, schema field or not, as frictionless
        if column not in by_name:
            continue
        field_reader = reader(field)
        value, ok = read_column(raw.set(missing, None), field_reader)  # type: ignore[arg-type]
        values[column] = value
        type_error = ~missing & ~ok
        cell = _as_written(raw, records.cells, position)
        errors.append(error_lines(records.rows, type_error, "type-error", column, cell))
        for name, failing in constraint_failures(field, field_reader, value, missing, type_error):
            errors.append(
                error_lines(records.rows, failing, "constraint-error", column, cell, name)
            )
    errors.extend(_shape_errors(records))
    found = pl.concat(errors) if errors else NO_ERRORS
    found = found.filter(~pl.col("row").is_in(records.rows.filter(blank).implode()))
    return pl.concat(
        [
            found,
            error_lines(records.rows, blank, "blank-row", None, None),
            *key_errors(records.rows, descriptor, values, records.frame, seen),
            *(seen.finish() if whole else []),
        ]
    )


def _missing_values(entries: list[Any]) -> list[str]:
    """Table Schema v2 allows {value, label} objects among missingValues."""
    return [str(e["value"]) if isinstance(e, dict) else str(e) for e in entries]


def _is_missing(raw: pl.Series, missing_values: list[str]) -> pl.Series:
    """Where a cell is one of `missing_values`: the usual single value (the empty string) is
    compared directly, five times faster than looking it up in a set."""
    if len(missing_values) == 1:
        return raw == missing_values[0]
    return raw.is_in(pl.Series(missing_values, dtype=pl.String).implode())


def _as_written(raw: pl.Series, cells: pl.Series | None, position: int) -> pl.Series:
    """The cell as frictionless quotes it in an error: its text, "None" when the row lacks it."""
    if cells is None:
        return raw
    return pl.select(pl.when(cells > position).then(raw).otherwise(pl.lit("None"))).to_series()


def _shape_errors(records: Records) -> list[pl.DataFrame]:
    """One error per cell a record has beyond the header, one per header cell it lacks."""
    if records.cells is None:
        return []
    width = records.frame.width
    shape = pl.DataFrame({"row": records.rows, "cells": records.cells}).filter(
        pl.col("cells") != width
    )
    extra = shape.filter(pl.col("cells") > width).select(
        "row", pl.int_ranges(width, pl.col("cells")).alias("position")
    )
    short = shape.filter(pl.col("cells") < width).select(
        "row", pl.int_ranges(pl.col("cells"), width).alias("position")
    )
    return [
        _one_line_per_cell(extra, "extra-cell"),
        _one_line_per_cell(short, "missing-cell"),
    ]


def _one_line_per_cell(shape: pl.DataFrame, kind: str) -> pl.DataFrame:
    cells = shape.explode("position")
    return error_lines(cells["row"], pl.repeat(True, cells.height, eager=True), kind, "", None)
