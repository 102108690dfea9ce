"""Checks across rows, on typed values: `unique`, `primaryKey`, self-referencing `foreignKeys`.

As frictionless: a duplicate is reported at every occurrence after the first; values are
compared once read (`01` and `1` are the same integer), cells with a type error or missing are
left out of `unique`; a primary key whose cells are all missing is an error of its own; a NaN
equals nothing. `uniqueKeys` is not checked, as frictionless 5 does not check it either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl


@dataclass
class SeenKeys:
    """What the keys of a file read in batches need from the batches before: the distinct
    values of each unique field and of the primary key met so far, and for each
    self-referencing foreign key its distinct targets and the sources none of them matches
    yet, decided once every batch is read (a target may come later). Memory grows with
    distinct key values, as any exact check of uniqueness needs."""

    unique: dict[str, pl.Series] = field(default_factory=dict)
    references: dict[int, tuple[pl.DataFrame, pl.DataFrame]] = field(default_factory=dict)
    descriptor: dict[str, Any] = field(default_factory=dict)

    def repeated(self, name: str, value: pl.Series) -> pl.Series:
        """True where `value` was met earlier, in this batch or a previous one; remembers it."""
        earlier = self.unique.get(name)
        repeated = ~value.is_first_distinct()
        if earlier is not None:
            repeated = repeated | value.is_in(earlier.implode())
        distinct = value.drop_nulls().unique()
        self.unique[name] = distinct if earlier is None else pl.concat([earlier, distinct])
        return repeated

    def finish(self) -> list[pl.DataFrame]:
        """Error lines of the self-referencing foreign keys, over every batch."""
        found = []
        for index, key in enumerate(self.descriptor.get("foreignKeys", [])):
            if index in self.references:
                found.append(_missing_references(key, *self.references[index]))
        return found


def key_errors(
    rows: pl.Series,
    descriptor: dict[str, Any],
    values: dict[str, pl.Series],
    frame: pl.DataFrame,
    seen: SeenKeys,
) -> list[pl.DataFrame]:
    """Error lines (same columns as the engine's) of the keys the present fields allow; the
    self-referencing foreign keys wait in `seen` for `SeenKeys.finish`."""
    found = []
    for field_ in descriptor.get("fields", []):
        name = field_["name"]
        if name in values and field_.get("constraints", {}).get("unique"):
            value = _comparable(values[name])
            duplicate = value.is_not_null() & seen.repeated(name, value)
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
        struct = keys.select(pl.struct(pl.all()).alias("key")).to_series()
        repeated = seen.repeated("\x00primary key", struct) & ~with_nan
        found.append(error_lines(rows, all_missing | repeated, "primary-key", None, None))
    seen.descriptor = descriptor
    for index, key in enumerate(descriptor.get("foreignKeys", [])):
        _remember_references(index, rows, key, values, seen)
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


def _remember_references(
    index: int, rows: pl.Series, key: dict[str, Any], values: dict[str, pl.Series], seen: SeenKeys
) -> None:
    """The distinct targets of a foreign key to the resource itself (`reference.resource`
    empty) and its filled sources (with their row) no target matches so far, for
    `SeenKeys.finish`."""
    reference = key.get("reference", {})
    if reference.get("resource"):
        return
    fields, targets = as_list(key.get("fields")), as_list(reference.get("fields"))
    if not fields or not all(name in values for name in [*fields, *targets]):
        return
    source = pl.DataFrame({f"k{i}": values[name] for i, name in enumerate(fields)})
    target = pl.DataFrame({f"k{i}": values[name] for i, name in enumerate(targets)})
    target = target.filter(~pl.all_horizontal(pl.all().is_null())).unique()
    source = source.with_columns(rows.cast(pl.Int64).alias("row")).filter(
        ~pl.all_horizontal(pl.exclude("row").is_null())
    )
    if index in seen.references:
        unresolved, known = seen.references[index]
        source, target = pl.concat([unresolved, source]), pl.concat([known, target]).unique()
    columns = [f"k{i}" for i in range(len(fields))]
    unresolved = source.join(target, on=columns, how="anti", nulls_equal=True)
    seen.references[index] = (unresolved, target)


def _missing_references(
    key: dict[str, Any], source: pl.DataFrame, target: pl.DataFrame
) -> pl.DataFrame:
    """Error lines of the sources no target matches (each filled source key must be among the
    referenced fields' values)."""
    fields = as_list(key.get("fields"))
    targets = as_list(key.get("reference", {}).get("fields"))
    columns = [f"k{i}" for i in range(len(fields))]
    missing = source.join(target, on=columns, how="anti", nulls_equal=True)
    note = pl.format(
        'for "{}": values "{}" not found in the lookup table "" as "{}"',
        pl.lit(", ".join(fields)),
        pl.concat_str(pl.col(columns).cast(pl.String), separator=", "),
        pl.lit(", ".join(targets)),
    )
    return missing.sort("row").select(
        pl.col("row"),
        pl.lit("foreign-key").alias("kind"),
        pl.lit(None, dtype=pl.String).alias("field"),
        pl.lit(None, dtype=pl.String).alias("cell"),
        pl.lit(None, dtype=pl.String).alias("constraint"),
        note.alias("note"),
    )


NO_ERRORS = pl.DataFrame(
    schema={
        "row": pl.Int64,
        "kind": pl.String,
        "field": pl.String,
        "cell": pl.String,
        "constraint": pl.String,
        "note": pl.String,
    }
)
"""The engine's errors, none yet: one line per error, kind being frictionless' error type
(type-error, constraint-error, unique-error, primary-key, foreign-key, extra-cell,
missing-cell, blank-row), `cell` the text as written ("None" when absent)."""


def error_lines(
    rows: pl.Series,
    failing: pl.Series,
    kind: str,
    field: str | None,
    cell: pl.Series | None,
    constraint: str | None = None,
) -> pl.DataFrame:
    """The failing rows only, as error lines: row, kind (frictionless' error type), field,
    cell as written, constraint, note. Most columns pass: nothing is built for them."""
    if not failing.any():
        return NO_ERRORS
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
