"""Table Schema constraints over a column of typed values, as frictionless checks them.

frictionless checks a cell's constraints only when it has no type error, in the order of the
type's supported constraints; a missing cell fails only `required`. Bounds and `enum` values
are read as the field reads its cells; NaN fails every bound; `pattern` must match the whole
cell with Python's semantics (`re.match("^…$")`), which the Rust regex reproduces with `\\A`
and a `$` that tolerates one final newline, or Python itself once per distinct value when the
pattern uses syntax the Rust engine lacks (look-arounds, back-references).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl

from publisher.engine.values import Reader, bound, enum_values

_SUPPORTED = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "boolean": ("required", "enum"),
    "any": ("required", "enum"),
    "geopoint": ("required", "enum"),
    "geojson": ("required", "enum"),
    "duration": ("required", "enum"),
    "array": ("required", "enum"),
    "object": ("required", "enum"),
    "datetime": ("required", "enum"),
    "time": ("required", "enum"),
}
"""What the engine evaluates per type; every other type (integer, number, date, year,
yearmonth) supports required, the four bounds and enum. Lengths of arrays and objects and
bounds of times are not evaluated (no shared schema uses them)."""
_ORDERED = ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum")
_BOUNDS: dict[str, Callable[[Any, Any], Any]] = {
    "minimum": operator.lt,
    "maximum": operator.gt,
    "exclusiveMinimum": operator.le,
    "exclusiveMaximum": operator.ge,
}
"""A value fails a bound when `compare(value, bound)` holds."""


def constraint_failures(
    field: dict[str, Any],
    field_reader: Reader,
    value: pl.Series,
    missing: pl.Series,
    type_error: pl.Series,
) -> Iterator[tuple[str, pl.Series]]:
    """(constraint name, failing cells) for each constraint the field declares."""
    constraints = field.get("constraints", {})
    checked = ~type_error
    present = checked & ~missing
    for name in _SUPPORTED.get(field.get("type", "any"), _ORDERED):
        rule = constraints.get(name)
        if rule is None:
            continue
        if name == "required":
            if rule:
                yield name, checked & missing
        elif name in _BOUNDS:
            limit = bound(field_reader, rule)
            if limit is None:
                continue
            fails = _BOUNDS[name](value, limit)
            if value.dtype.is_float():
                fails = fails | value.is_nan()
            yield name, present & fails.fill_null(False)
        elif name == "minLength":
            yield name, present & (value.str.len_chars() < rule).fill_null(False)
        elif name == "maxLength":
            yield name, present & (value.str.len_chars() > rule).fill_null(False)
        elif name == "pattern":
            yield name, present & ~_full_match(value, rule)
        elif name == "enum":
            yield name, present & ~value.is_in(enum_values(field, field_reader).implode())


def _full_match(text: pl.Series, pattern: str) -> pl.Series:
    """`re.match("^" + pattern + "$", cell)` for every cell (null cells match)."""
    try:
        return text.str.contains(rf"\A(?:^{_python_ends(pattern)}{_END})").fill_null(True)
    except pl.exceptions.ComputeError:
        compiled = re.compile(f"^{pattern}$")
        distinct = text.drop_nulls().unique()
        matches = [compiled.match(cell) is not None for cell in distinct.to_list()]
        lookup = dict(zip(distinct.to_list(), matches, strict=True))
        return text.replace_strict(lookup, default=True, return_dtype=pl.Boolean)


_END = r"(?:\n?\z)"
"""Python's `$`: the end, or just before a final newline."""


def _python_ends(pattern: str) -> str:
    """The pattern with each `$` outside a character class meaning what it means in Python."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            out.append(_END)
            continue
        out.append(char)
    return "".join(out)
