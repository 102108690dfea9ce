"""Cell text → typed value, for every Table Schema type, with frictionless' semantics.

Each type has two readers. `fast` is a polars expression over a whole column that accepts only
cells it is sure of (plain ASCII forms: `1250`, `24500.50`, `2026-03-12`…) and gives their
value; anything else is null. `exact` is frictionless' reading of one cell in plain Python
(`int()`, `Decimal()`, `strptime`, the same validators), run once per distinct text the fast
reader left undecided: signs, unicode digits, underscores, exponents, NaN, odd dates, formats.
The fast reader accepts a subset of what the exact one accepts, with the same value, so the
pair reads every column exactly as frictionless does while the common cells never reach Python.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl

INVALID = object()
"""What an exact reader returns for a cell that is not of its type."""

DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]
_ASCII_INTEGER = r"^[+-]?[0-9]{1,18}$"
_ASCII_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?$"
_NOT_BARE = (r"^[^-\d]*", r"\D*$")  # frictionless' pattern for bareNumber: false
_NOT_BARE_PY = re.compile(r"((^[^-\d]*)|(\D*$))")


@dataclass(frozen=True)
class Reader:
    """How one field's cells are read: `dtype` of the values, the two readers."""

    dtype: pl.DataType
    fast: Callable[[pl.Expr], pl.Expr] | None
    exact: Callable[[str], Any]


def reader(field: dict[str, Any]) -> Reader:
    """The reader of a Table Schema field (an unknown type reads as text, as frictionless)."""
    ftype, fmt = field.get("type", "any"), field.get("format", "default")
    if ftype == "integer":
        return _integer(field)
    if ftype == "number":
        return _number(field)
    if ftype == "boolean":
        trues = field.get("trueValues", DEFAULT_TRUE)
        falses = field.get("falseValues", DEFAULT_FALSE)
        mapping = {**dict.fromkeys(trues, True), **dict.fromkeys(falses, False)}
        return Reader(
            pl.Boolean,
            lambda text: text.replace_strict(mapping, default=None, return_dtype=pl.Boolean),
            lambda cell: mapping.get(cell, INVALID),
        )
    if ftype == "date":
        return _date(fmt)
    if ftype == "year":
        return Reader(
            pl.Int64,
            lambda text: pl.when(text.str.contains(r"^[0-9]{4}$")).then(
                text.str.to_integer(strict=False)
            ),
            _exact_year,
        )
    if ftype == "yearmonth":
        return Reader(pl.Int64, None, _exact_yearmonth)
    if ftype == "string" and fmt in _STRING_FORMATS:
        return Reader(pl.String, None, _STRING_FORMATS[fmt])
    if ftype in _OTHER_TYPES:
        return Reader(pl.String, None, _OTHER_TYPES[ftype](fmt))
    return Reader(pl.String, _as_text, lambda cell: cell)


def _as_text(text: pl.Expr) -> pl.Expr:
    """The fast reader of plain text: every cell is its own value."""
    return text


def _integer(field: dict[str, Any]) -> Reader:
    bare = field.get("bareNumber", True)

    def prepare(text: pl.Expr) -> pl.Expr:
        text = _stripped(text)
        if not bare:
            text = text.str.replace(_NOT_BARE[0], "").str.replace(_NOT_BARE[1], "")
        return text

    def exact(cell: str) -> Any:
        cell = cell.strip()
        if not bare:
            cell = _NOT_BARE_PY.sub("", cell)
        try:
            value = int(cell)
        except ValueError:
            return INVALID
        return max(_INT128[0], min(value, _INT128[1]))  # beyond 38 digits: clamped

    def fast(text: pl.Expr) -> pl.Expr:
        text = prepare(text)
        return pl.when(text.str.contains(_ASCII_INTEGER)).then(text.str.to_integer(strict=False))

    return Reader(pl.Int128, fast, exact)


_INT128 = (-(2**127), 2**127 - 1)


def _stripped(text: pl.Expr) -> pl.Expr:
    """The cell without surrounding whitespace as polars knows it, which is what Python's
    `str.strip()` removes but \\x1c-\\x1f: a number ending in one of those keeps it, fails the
    fast pattern and is read by the exact reader. Stripping Python's own list of characters
    instead costs a test against each of them at both ends of every cell."""
    return text.str.strip_chars()


def _number(field: dict[str, Any]) -> Reader:
    """frictionless reads numbers as `Decimal`; values are kept as floats for the constraints,
    which holds for the 15 significant digits a double carries."""
    bare = field.get("bareNumber", True)
    group, decimal_char = field.get("groupChar", ""), field.get("decimalChar", ".")
    processed = any(key in field for key in ("bareNumber", "groupChar", "decimalChar"))

    def exact(cell: str) -> Any:
        cell = cell.strip()
        if processed:
            if not bare:
                cell = _NOT_BARE_PY.sub("", cell)
            cell = cell.replace(group, "")
            if decimal_char != "." and "." in cell:
                return INVALID
            cell = cell.replace(decimal_char, ".")
        try:
            return float(Decimal(cell))
        except ArithmeticError:
            return INVALID
        except ValueError:  # a Decimal too large for a float is still a number
            return None

    def fast(text: pl.Expr) -> pl.Expr:
        text = _stripped(text)
        if processed:
            if not bare:
                text = text.str.replace(_NOT_BARE[0], "").str.replace(_NOT_BARE[1], "")
            if group:
                text = text.str.replace_all(group, "", literal=True)
            if decimal_char != ".":
                text = pl.when(~text.str.contains(".", literal=True)).then(
                    text.str.replace_all(decimal_char, ".", literal=True)
                )
        return pl.when(text.str.contains(_ASCII_NUMBER)).then(text.cast(pl.Float64, strict=False))

    return Reader(pl.Float64, fast, exact)


def _date(fmt: str) -> Reader:
    pattern = "%Y-%m-%d" if fmt == "default" else fmt

    def exact(cell: str) -> Any:
        try:
            if fmt == "any":
                from dateutil import parser

                return parser.parse(cell).date()
            return datetime.strptime(cell, pattern).date()
        except Exception:  # frictionless treats every failure as a type error
            return INVALID

    def fast(text: pl.Expr) -> pl.Expr:
        iso = text.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$") & ~text.str.starts_with("0000")
        return pl.when(iso).then(text.str.to_date("%Y-%m-%d", strict=False))

    return Reader(pl.Date, fast if pattern == "%Y-%m-%d" else None, exact)


def _exact_year(cell: str) -> Any:
    if len(cell) != 4:
        return INVALID
    try:
        value = int(cell)
    except ValueError:
        return INVALID
    return value if 0 <= value <= 9999 else INVALID


def _exact_yearmonth(cell: str) -> Any:
    try:
        year, month = cell.split("-")
        year_value, month_value = int(year), int(month)
    except ValueError:
        return INVALID
    if month_value < 1 or month_value > 12:
        return INVALID
    return year_value * 12 + month_value


def _email(cell: str) -> Any:
    import validators

    return cell if validators.email(cell) is True else INVALID


def _uuid(cell: str) -> Any:
    import validators

    return cell if validators.uuid(cell) is True else INVALID


def _uri(cell: str) -> Any:
    from rfc3986 import exceptions, uri_reference, validators

    checker = validators.Validator().require_presence_of("scheme")
    try:
        checker.validate(uri_reference(cell))
    except exceptions.ValidationError:
        return INVALID
    return cell


def _binary(cell: str) -> Any:
    try:
        base64.b64decode(cell)
    except (binascii.Error, ValueError):
        return INVALID
    return cell


_STRING_FORMATS: dict[str, Callable[[str], Any]] = {
    "email": _email,
    "uuid": _uuid,
    "uri": _uri,
    "binary": _binary,
}


def _as_key(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """A reader whose values are compared (unique, enum) by their canonical text."""

    def read(cell: str) -> Any:
        try:
            value = parse(cell)
        except Exception:  # frictionless treats every failure as a type error
            return INVALID
        return INVALID if value is None else repr(value)

    return read


def _datetime(fmt: str) -> Callable[[str], Any]:
    def parse(cell: str) -> Any:
        from dateutil import parser

        if fmt == "default":
            if cell[16] != ":" or len(cell) < 19:
                return None
            return parser.isoparse(cell)
        if fmt == "any":
            return parser.parse(cell)
        return datetime.strptime(cell, fmt)

    return _as_key(parse)


def _time(fmt: str) -> Callable[[str], Any]:
    def parse(cell: str) -> Any:
        from dateutil import parser

        if fmt == "default":
            if cell[5] != ":" or len(cell) < 8:
                return None
            return parser.isoparse(f"2000-01-01T{cell}").timetz()
        if fmt == "any":
            return parser.parse(cell).timetz()
        return datetime.strptime(cell, fmt).timetz()

    return _as_key(parse)


def _geopoint(fmt: str) -> Callable[[str], Any]:
    def parse(cell: str) -> Any:
        if fmt == "array":
            lon, lat = json.loads(cell)
        elif fmt == "object":
            document = json.loads(cell)
            if len(document) != 2:
                return None
            lon, lat = document["lon"], document["lat"]
        else:
            lon, lat = (part.strip() for part in cell.split(","))
        point = (Decimal(lon), Decimal(lat))
        return point if -180 <= point[0] <= 180 and -90 <= point[1] <= 90 else None

    return _as_key(parse)


def _json_of(kind: type) -> Callable[[str], Callable[[str], Any]]:
    def for_format(_fmt: str) -> Callable[[str], Any]:
        def parse(cell: str) -> Any:
            value = json.loads(cell)
            return value if isinstance(value, kind) else None

        return _as_key(parse)

    return for_format


def _duration(_fmt: str) -> Callable[[str], Any]:
    def parse(cell: str) -> Any:
        import isodate

        return isodate.parse_duration(cell)

    return _as_key(parse)


_OTHER_TYPES: dict[str, Callable[[str], Callable[[str], Any]]] = {
    "datetime": _datetime,
    "time": _time,
    "geopoint": _geopoint,
    "object": _json_of(dict),
    "array": _json_of(list),
    "geojson": _json_of(dict),
    "duration": _duration,
}


def read_column(text: pl.Series, field_reader: Reader) -> tuple[pl.Series, pl.Series]:
    """(value, ok) for every cell of a column of non-missing texts (null = missing): the fast
    reader first, then the exact one once per distinct text it left undecided, whose results
    are put back at the undecided cells only."""
    if field_reader.fast is _as_text:  # nothing to compute
        return text, text.is_not_null()
    if field_reader.fast is None:
        value = pl.repeat(None, text.len(), dtype=field_reader.dtype, eager=True)
    else:
        fast = field_reader.fast(pl.col("text")).cast(field_reader.dtype)
        value = text.to_frame("text").select(fast).to_series()
    undecided = value.is_null() & text.is_not_null()
    ok = text.is_not_null() & value.is_not_null()
    if not undecided.any():
        return value, ok
    at = undecided.arg_true()
    texts = text.gather(at)
    distinct = texts.unique().to_list()
    results = [field_reader.exact(cell) for cell in distinct]
    looked_up = pl.DataFrame(
        {
            "text": distinct,
            "exact": [None if r is INVALID else r for r in results],
            "valid": [r is not INVALID for r in results],
        },
        schema={"text": pl.String, "exact": field_reader.dtype, "valid": pl.Boolean},
    )
    exact = texts.to_frame("text").join(looked_up, on="text", how="left", maintain_order="left")
    return value.scatter(at, exact["exact"]), ok.scatter(at, exact["valid"])


def enum_values(field: dict[str, Any], field_reader: Reader) -> pl.Series:
    """The `enum` constraint's values read as the field reads its cells (frictionless)."""
    read = []
    for item in field.get("constraints", {}).get("enum", []):
        if isinstance(item, str):
            value = field_reader.exact(item)
        elif field_reader.dtype == pl.String:
            value = INVALID
        else:
            value = item
        read.append(None if value is INVALID else value)
    return pl.Series(read, dtype=field_reader.dtype, strict=False)


def bound(field_reader: Reader, constraint: Any) -> Any:
    """A minimum/maximum read as the field reads cells (a date bound is written as text)."""
    if isinstance(constraint, str):
        value = field_reader.exact(constraint)
        return None if value is INVALID else value
    if isinstance(constraint, bool):
        return None
    return constraint
