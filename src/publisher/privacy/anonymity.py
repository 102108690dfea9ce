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


def combinations(
    frame: pl.DataFrame, row_numbers: pl.Series, quasi_identifiers: list[str], target: int
) -> pl.DataFrame:
    """The combinations of quasi-identifier values of one batch of rows (empty cells are a
    value like any other): each with its size and its first `target` rows, enough to name the
    rows of any combination still below the target once the batches are added up."""
    keyed = frame.select(
        *(pl.col(column).fill_null("").str.strip_chars() for column in quasi_identifiers),
        row_numbers.cast(pl.Int64).alias("_row"),
    )
    return keyed.group_by(quasi_identifiers).agg(
        pl.col("_row").head(target), pl.len().alias("size")
    )


def merged(
    earlier: pl.DataFrame | None, later: pl.DataFrame, quasi_identifiers: list[str], target: int
) -> pl.DataFrame:
    """The combinations of two parts of a file as those of the whole (sizes added, the first
    `target` rows kept): memory grows with distinct combinations, never with rows."""
    if earlier is None:
        return later
    return (
        pl.concat([earlier, later])
        .group_by(quasi_identifiers, maintain_order=True)
        .agg(pl.col("_row").explode().head(target), pl.col("size").sum())
    )


def k_anonymity(groups: pl.DataFrame, target: int) -> Anonymity:
    """k reached by the combinations of a whole file (`combinations`, `merged`), and the rows
    of those shared by fewer than `target` rows."""
    small = groups.filter(pl.col("size") < target)
    rows = sorted(small.get_column("_row").explode().to_list()) if small.height else []
    return Anonymity(
        k=int(groups.get_column("size").min() or 0),
        small_groups=small.height,
        rows=tuple(rows),
    )
