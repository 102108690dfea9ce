"""Checks across rows, on typed values: `unique`, `primaryKey`, self-referencing `foreignKeys`.

As frictionless: a duplicate is reported at every occurrence after the first; values are
compared once read (`01` and `1` are the same integer), cells with a type error or missing are
left out of `unique`; a primary key whose cells are all missing is an error of its own; a NaN
equals nothing. `uniqueKeys` is not checked, as frictionless 5 does not check it either.
"""

from __future__ import annotations

from typing import Any

import polars as pl


def key_errors(
    rows: pl.Series, descriptor: dict[str, Any], values: dict[str, pl.Series], frame: pl.DataFrame
) -> list[pl.DataFrame]:
    """Error lines (same columns as the engine's) of the keys the present fields allow."""
    found = []
    for field in descriptor.get("fields", []):
        name = field["name"]
        if name in values and field.get("constraints", {}).get("unique"):
            value = _comparable(values[name])
            duplicate = value.is_not_null() & ~value.is_first_distinct()
            found.append(
                error_lines(rows, duplicate, "unique-error", name, frame[name].fill_null(""))
            )
    primary = as_list(descriptor.get("primaryKey"))
    if primary and all(name in values for name in primary):
        keys = pl.DataFrame({name: values[name] for name in primary})
        all_missing = keys.select(pl.all_horizontal(pl.all().is_null())).to_series()
        with_nan = pl.repeat(False, keys.height, eager=True)
        for column in keys.select(pl.col(pl.Float64)).columns:
            with_nan = with_nan | keys[column].is_nan().fill_null(False)
        repeated = ~keys.select(pl.struct(pl.all()).is_first_distinct()).to_series() & ~with_nan
        found.append(error_lines(rows, all_missing | repeated, "primary-key", None, None))
    for key in descriptor.get("foreignKeys", []):
        found.extend(_self_reference(rows, key, values))
    return found


def as_list(value: Any) -> list[str]:
    """A key written as one field name or a list of names."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _comparable(value: pl.Series) -> pl.Series:
    """NaN never equals anything (frictionless compares Decimals): treated as no value."""
    if value.dtype.is_float():
        return value.fill_nan(None)
    return value


def _self_reference(
    rows: pl.Series, key: dict[str, Any], values: dict[str, pl.Series]
) -> list[pl.DataFrame]:
    """A foreign key to the resource itself (`reference.resource` empty): each filled key must
    be among the referenced fields' values."""
    reference = key.get("reference", {})
    if reference.get("resource"):
        return []
    fields, targets = as_list(key.get("fields")), as_list(reference.get("fields"))
    if not fields or not all(name in values for name in [*fields, *targets]):
        return []
    source = pl.DataFrame({f"k{i}": values[name] for i, name in enumerate(fields)})
    target = pl.DataFrame({f"k{i}": values[name] for i, name in enumerate(targets)})
    target = target.filter(~pl.all_horizontal(pl.all().is_null())).unique()
    source = source.with_row_index("index").filter(
        ~pl.all_horizontal(pl.exclude("index").is_null())
    )
    missing = source.join(
        target, on=[f"k{i}" for i in range(len(fields))], how="anti", nulls_equal=True
    )
    failing = pl.repeat(False, rows.len(), eager=True).scatter(missing["index"], True)
    shown = missing.select(pl.concat_str(pl.exclude("index").cast(pl.String), separator=", "))
    note = pl.format(
        'for "{}": values "{}" not found in the lookup table "" as "{}"',
        pl.lit(", ".join(fields)),
        pl.col("values"),
        pl.lit(", ".join(targets)),
    )
    lines = error_lines(rows, failing, "foreign-key", None, None)
    return [
        lines.with_columns(shown.to_series().alias("values"))
        .with_columns(note.alias("note"))
        .drop("values")
    ]


def error_lines(
    rows: pl.Series,
    failing: pl.Series,
    kind: str,
    field: str | None,
    cell: pl.Series | None,
    constraint: str | None = None,
) -> pl.DataFrame:
    """The failing rows only, as error lines: row, kind (frictionless' error type), field,
    cell as written, constraint, note."""
    columns: dict[str, pl.Series] = {"row": rows, "failing": failing}
    if cell is not None:
        columns["cell"] = cell
    return (
        pl.DataFrame(columns)
        .filter(pl.col("failing"))
        .select(
            pl.col("row").cast(pl.Int64),
            pl.lit(kind).alias("kind"),
            pl.lit(field, dtype=pl.String).alias("field"),
            (pl.col("cell") if cell is not None else pl.lit(None, dtype=pl.String)).alias("cell"),
            pl.lit(constraint, dtype=pl.String).alias("constraint"),
            pl.lit(None, dtype=pl.String).alias("note"),
        )
    )
