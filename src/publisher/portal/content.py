"""Fingerprints that tell whether two copies of a dataset hold the same thing.

Two kinds, for two questions:

- `content_hash` and `metadata_hash` answer "did anything local change since the last
  verified publication?" from the bytes and settings of the files and from the managed
  metadata: cheap, computed before any call to the portal.
- `table_fingerprint` answers "does the portal serve what the file holds?": the rows of the
  local CSV files and of the portal's CSV export are put in one canonical text form (ODS-like
  field names, trimmed cells, numbers without insignificant zeros, `lat,lon` pairs), sorted,
  then hashed, so that the order of records and the portal's typing do not matter.
"""

from __future__ import annotations

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

NUMBER = r"-?\d+\.\d+"
PAIR = rf"^\s*({NUMBER}|-?\d+)\s*,\s*({NUMBER}|-?\d+)\s*$"
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
    canonical = frame.select(_canonical(pl.col(name)).alias(name) for name in columns)
    lines = sorted(
        canonical.select(pl.concat_str(list(columns), separator=CELL_SEPARATOR)).to_series()
    )
    digest = stable_hash([list(columns), lines])
    return TableFingerprint(len(lines), digest, columns, tuple(lines))


def _canonical(column: pl.Expr) -> pl.Expr:
    """One spelling per value: trimmed, `1200.50` → `1200.5`, `3.0` → `3`, `44.8 , -0.6`
    → `44.8,-0.6`; anything else as written."""
    text = column.cast(pl.String).fill_null("").str.strip_chars()
    pair = text.str.extract_groups(PAIR)
    return (
        pl.when(text.str.contains(f"^{NUMBER}$"))
        .then(_decimal(text))
        .when(text.str.contains(PAIR))
        .then(pl.concat_str([_decimal(pair.struct[0]), _decimal(pair.struct[1])], separator=","))
        .otherwise(text)
    )


def _decimal(text: pl.Expr) -> pl.Expr:
    """Drop the zeros that do not change a decimal number (and a dot left alone)."""
    return (
        text.str.replace(r"^(-?)0+(\d)", "${1}${2}")
        .str.replace(r"(\.\d*?)0+$", "${1}")
        .str.replace(r"\.$", "")
    )
