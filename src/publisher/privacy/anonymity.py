"""k-anonymity on the quasi-identifiers a dataset declares (CNIL criteria, individualisation).

Each combination of quasi-identifier values must be shared by at least k rows; the rows of a
smaller combination single their people out.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Anonymity:
    """`k` reached by the table and the rows of the combinations below the target."""

    k: int
    small_groups: int
    rows: tuple[int, ...]


def k_anonymity(
    frame: pl.DataFrame, row_numbers: pl.Series, quasi_identifiers: list[str], target: int
) -> Anonymity:
    """Group the rows by their quasi-identifiers (empty cells are a value like any other)."""
    keyed = frame.select(
        *(pl.col(column).fill_null("").str.strip_chars() for column in quasi_identifiers),
        row_numbers.alias("_row"),
    )
    groups = keyed.group_by(quasi_identifiers).agg(pl.col("_row"), pl.len().alias("size"))
    small = groups.filter(pl.col("size") < target)
    rows = sorted(small.get_column("_row").explode().to_list()) if small.height else []
    return Anonymity(
        k=int(groups.get_column("size").min() or 0),
        small_groups=small.height,
        rows=tuple(rows),
    )
