"""Fingerprints that tell whether two copies of a dataset hold the same thing.

Two kinds, for two questions:

- `content_hash` and `metadata_hash` answer "did anything local change since the last
  verified publication?" from the bytes and settings of the files and from the managed
  metadata: cheap, computed before any call to the portal.
- `table_fingerprint` answers "does the portal serve what the file holds?": the rows of the
  local CSV files and of the portal's CSV export are put in one canonical text form (ODS-like
  field names, trimmed cells, one spelling per number, `lat,lon` pairs), sorted, then hashed,
  so that the order of records and the portal's typing do not matter.

Numbers are compared as `decimal.Decimal`, never as floats: `1e3` is `1000` and `1200.50` is
`1200.5` exactly. A decimal number is kept to the 15 significant digits a double always
returns intact, since the portal stores it as a double and serves it back in its shortest
form: `0.1000000000000000055` in a file is served as `0.1` and is no gap. Integers stay exact,
and one with a leading zero (a postcode, a phone number) is a code, compared as written.
"""

from __future__ import annotations

import decimal
import hashlib
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
NUMBER_CELL = re.compile(NUMBER)
INTEGER = re.compile(r"[+-]?(?:0|[1-9]\d*)")
PAIR = re.compile(rf"\s*({NUMBER})\s*,\s*({NUMBER})\s*")
DOUBLE_DIGITS = decimal.Context(prec=15, rounding=decimal.ROUND_HALF_EVEN)
"""Significant digits any double keeps: decimal → double → decimal gives them back."""
MAX_EXPONENT = 400
"""Beyond any double: such a number is compared as written, never expanded."""
CELL_SEPARATOR = "\x1f"


def field_name(label: str) -> str:
    """ODS-like technical name of a column: `Montant (€) TTC` → `montant_ttc`."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_") or "field"


def field_names(labels: Iterable[str]) -> dict[str, str]:
    """Technical names of a header, made unique with `_2`, `_3`… as the portal does."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for label in labels:
        base = name = field_name(label)
        counter = 2
        while name in taken:
            name, counter = f"{base}_{counter}", counter + 1
        taken.add(name)
        names[label] = name
    return names


def stable_hash(value: Any) -> str:
    """sha256 of a JSON value written with sorted keys: equal values, equal hashes."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def metadata_hash(metadata: Mapping[str, Mapping[str, Any]]) -> str:
    return stable_hash(metadata)


def content_hash(files: Iterable[tuple[str, str, str, Mapping[str, Any]]]) -> str:
    """Hash of (content-addressed upload name, title, extractor, params) of every file."""
    return stable_hash([[name, title, kind, dict(params)] for name, title, kind, params in files])


@dataclass(frozen=True)
class TableFingerprint:
    """Canonical rows of a table: their count, the digest of the sorted rows, the columns."""

    rows: int
    digest: str
    columns: tuple[str, ...]
    lines: tuple[str, ...]

    def difference(self, other: TableFingerprint) -> tuple[int, int]:
        """Rows only in `self` and rows only in `other` (multisets): a content diff."""
        mine, theirs = Counter(self.lines), Counter(other.lines)
        return (mine - theirs).total(), (theirs - mine).total()


def read_csv_text(data: bytes, separator: str, encoding: str = "utf-8") -> pl.DataFrame:
    """A CSV as text columns named after the portal's field names, blank lines dropped.

    Raises `ValueError` when the bytes cannot be read as such a CSV.
    """
    try:
        text = data.decode(encoding).removeprefix("\ufeff")
        frame = pl.read_csv(
            io.StringIO(text), separator=separator, infer_schema=False, raise_if_empty=False
        )
    except (UnicodeDecodeError, LookupError, pl.exceptions.PolarsError) as error:
        raise ValueError(str(error)) from None
    frame = frame.rename(field_names(frame.columns))
    if not frame.columns:
        return frame
    blank = pl.all_horizontal(pl.all().fill_null("").str.strip_chars() == "")
    return frame.filter(~blank)


def table_fingerprint(frames: Iterable[pl.DataFrame]) -> TableFingerprint:
    """Fingerprint of the concatenation of `frames` (columns united by name, as the portal
    concatenates the resources of one dataset)."""
    parts = [frame for frame in frames if frame.width]
    if not parts:
        return TableFingerprint(0, stable_hash([]), (), ())
    frame = pl.concat(parts, how="diagonal")
    columns = tuple(sorted(frame.columns))
    canonical = pl.DataFrame([_canonical(frame[name]) for name in columns])
    lines = sorted(
        canonical.select(pl.concat_str(list(columns), separator=CELL_SEPARATOR)).to_series()
    )
    digest = stable_hash([list(columns), lines])
    return TableFingerprint(len(lines), digest, columns, tuple(lines))


def _canonical(column: pl.Series) -> pl.Series:
    """One spelling per cell: trimmed, numbers and `lat,lon` pairs canonical, anything else
    as written. Each distinct value is spelled once, so long columns stay cheap."""
    text = column.cast(pl.String).fill_null("").str.strip_chars()
    spellings = {cell: canonical_cell(cell) for cell in text.unique().to_list()}
    return text.replace_strict(spellings, return_dtype=pl.String)


def canonical_cell(text: str) -> str:
    """`1e3` → `1000`, `1200.50` → `1200.5`, `44.80 , -0.6` → `44.8,-0.6`; codes such as
    `01000` and any other text unchanged."""
    pair = PAIR.fullmatch(text)
    if pair:
        return f"{_canonical_number(pair[1])},{_canonical_number(pair[2])}"
    return _canonical_number(text)


def _canonical_number(text: str) -> str:
    """The one spelling of a number (see the module docstring), or `text` if it is none."""
    if not NUMBER_CELL.fullmatch(text):
        return text
    digits = text.lstrip("+-")
    if digits.isdigit() and len(digits) > 1 and digits.startswith("0"):
        return text  # a code with a leading zero, not a quantity
    number = decimal.Decimal(text)
    if abs(number.adjusted()) > MAX_EXPONENT:
        return text
    if not INTEGER.fullmatch(text):
        number = DOUBLE_DIGITS.plus(number)
    if number.is_zero():
        return "0"
    return format(number.normalize(decimal.Context(prec=MAX_EXPONENT)), "f")
