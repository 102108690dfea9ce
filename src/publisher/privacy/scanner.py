"""The scanner: a table of text columns in, masked hits grouped by column and family out.

Order matters and is fixed: the whitelist first (public identifiers leave the game), then every
family's detector on each whole column, then the row context (does the row name a person?)
decides the conditional candidates, and only then values are masked, one sample per group.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from itertools import groupby

import polars as pl

from publisher.privacy.detectors import (
    DETECTORS,
    PERSON_SIGNALS,
    Cells,
    Family,
    Strength,
    detect,
    header_flags,
    may_hold,
)
from publisher.privacy.masking import (
    mask_coordinate,
    mask_date,
    mask_digits,
    mask_email,
    mask_iban,
    mask_identifier,
    mask_nir,
    mask_phone,
    mask_words,
)
from publisher.privacy.whitelist import public_identifier


class Grade(StrEnum):
    """`direct`: personal data (blocking unless declared); `review`: to be checked."""

    DIRECT = "direct"
    REVIEW = "review"


SHOWN_ROWS = 5
"""Rows a hit keeps to name (the others are counted)."""


@dataclass(frozen=True)
class Hit:
    """Cells of one column where one family was found: their rows (a scan gives them all, the
    hits of a whole file its first `SHOWN_ROWS`), how many cells, one masked sample."""

    family: Family
    column: str
    grade: Grade
    rows: tuple[int, ...]
    count: int
    sample: str
    detail: str


@dataclass(frozen=True)
class ScanOptions:
    """What the scanner needs to know beyond the cells."""

    own_domains: tuple[str, ...] = ()
    """The commune's e-mail domains: nominative addresses there are its agents'."""
    about_people: bool = False
    """The dataset declares personal data: precise coordinates there locate individuals."""
    k: int = 3
    today: date = field(default_factory=date.today)


MASKS: dict[Family, Callable[[str], str]] = {
    Family.NIR: mask_nir,
    Family.IBAN: mask_iban,
    Family.EMAIL: mask_email,
    Family.PHONE: mask_phone,
    Family.NAME: mask_words,
    Family.BIRTH_DATE: mask_date,
    Family.ADDRESS: mask_words,
    Family.PLATE: mask_digits,
    Family.PARCEL: mask_identifier,
    Family.GEOLOCATION: mask_coordinate,
    Family.IDENTIFIER: mask_identifier,
    Family.SENSITIVE: str,  # the category word, never the cell
    Family.SMALL_COUNT: str,  # a count below k identifies nobody by itself
}


def scan(
    frame: pl.DataFrame,
    row_numbers: pl.Series,
    options: ScanOptions,
    memo: ScanMemo | None = None,
) -> list[Hit]:
    """Every personal-data hit of a table, grouped by (column, family, grade), masked.

    The table is turned once into one line per distinct value of each column, so that each
    family's expressions run once over all the columns together and a value repeated on
    many rows (a category, an association's name) is looked at once; with a `memo`, once
    per file rather than once per batch.
    """
    if frame.height == 0 or frame.width == 0:
        return []
    scanned = _scanned_values(frame, memo.row_by_row if memo else None)
    if memo is None or memo.retired:
        found = _found(scanned, frame.columns, options)
    else:
        fresh, remembered = memo.recall(scanned)
        found = _found(fresh, frame.columns, options)
        memo.keep(fresh, found)
        found = pl.concat([found, remembered])
    if found.is_empty():
        return []
    return _group(_decide(_locate(found, frame), options), row_numbers, frame.columns)


def _found(scanned: pl.DataFrame, columns: list[str], options: ScanOptions) -> pl.DataFrame:
    """What every family finds in the values `scanned` (see `_FOUND`)."""
    values = _values(scanned, header_flags(columns))
    if values.is_empty():
        return pl.DataFrame(schema=_FOUND)
    found = detect(Cells(values, options.own_domains, options.k, options.today))
    cells = values.select(pl.col("column", "raw", "_row").gather(found.get_column("_cell")))
    return pl.concat([cells, found.drop("_cell")], how="horizontal").select(list(_FOUND))


_FOUND = {
    "column": pl.String,
    "raw": pl.String,
    "match": pl.String,
    "detail": pl.String,
    "strength": pl.String,
    "family": pl.String,
    "_row": pl.UInt32,
}
"""A hit before it is located: its value (`column`, `raw`, `_row` as in `_scanned_values`)
and what a family found there."""

MEMO_VALUES = 1_000_000
"""Values a file's memo keeps at most (16 bytes each): looking a batch's values up in it costs
more as it grows; past them, new values are scanned in each batch that holds them."""

MEMO_MIN_SHARE = 0.2
"""A batch in which the memo recalls fewer than this share of the distinct values it looks up
retires it for the rest of the file: looking a value up costs about a fifth of scanning it,
and a file whose values do not come back would pay for nothing."""


@dataclass
class ScanMemo:
    """The distinct values of a file's earlier batches, by column, and what they hit.

    What the families find in a value depends only on the value, its column's header and the
    scan's options, all fixed for a file; so a value scanned once (an association's name, an
    object, a category met again in every batch) is not scanned again, its hits are reused.
    Values of a column scanned row by row are not kept: they rarely come back. The memo is
    filled and read by one batch at a time, in the file's order, and `retired` when it does
    not pay (`MEMO_MIN_SHARE`)."""

    seen: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=_SEEN))
    hits: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=_REMEMBERED))
    retired: bool = False
    by_row: set[str] | None = None

    def row_by_row(self, frame: pl.DataFrame) -> set[str]:
        """The columns scanned row by row, told once, on the file's first large batch: a
        column's share of different values stays from batch to batch (and either way of
        scanning gives the same hits)."""
        if self.by_row is None:
            self.by_row = _row_by_row(frame)
        return self.by_row

    def recall(self, values: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """`values` (see `_scanned_values`) not seen before, and the hits of those seen."""
        if self.seen.is_empty():
            return values, pl.DataFrame(schema=_FOUND)
        by_row = pl.col("_row").is_not_null()
        seen = pl.all_horizontal(
            pl.col(name).is_in(self.seen.get_column(name).implode()) for name in _SEEN
        )
        keyed = values.filter(~by_row).with_columns(*_fingerprint()).with_columns(seen=seen)
        known = keyed.filter("seen").select(*_SEEN, "column", "raw")
        hits = self.hits.join(known, on=list(_SEEN), maintain_order="left")
        if known.height < MEMO_MIN_SHARE * keyed.height:
            self.retired = True
            self.seen, self.hits = self.seen.clear(), self.hits.clear()
        fresh = keyed.filter(~pl.col("seen")).select(values.columns)
        fresh = pl.concat([values.filter(by_row), fresh])
        return fresh, hits.with_columns(pl.lit(None, dtype=pl.UInt32).alias("_row")).select(
            list(_FOUND)
        )

    def keep(self, fresh: pl.DataFrame, found: pl.DataFrame) -> None:
        """Remember the distinct values just scanned (`fresh`) and their hits (`found`)."""
        distinct = fresh.filter(pl.col("_row").is_null())
        if self.retired or self.seen.height + distinct.height > MEMO_VALUES:
            return
        self.seen = pl.concat([self.seen, distinct.select(*_fingerprint())], rechunk=True)
        hits = found.filter(pl.col("_row").is_null()).select(*_fingerprint(), *_REMEMBERED_TEXTS)
        copied = pl.DataFrame(hits.rows(), schema=hits.schema, orient="row")
        self.hits = pl.concat([self.hits, copied])


_SEEN = {"_key": pl.UInt64, "_check": pl.UInt64}
_REMEMBERED_TEXTS = ("match", "detail", "strength", "family")
_REMEMBERED = {**_SEEN, **{name: _FOUND[name] for name in _REMEMBERED_TEXTS}}
"""A remembered hit: what was found, but neither its value nor its column, which the batch that
meets the value again gives back. Its texts are copied out of the batch's: polars shares a
column's buffer between the lines taken from it, so a few hits kept as they are would keep
all of their batch's texts in memory."""


def _fingerprint() -> tuple[pl.Expr, pl.Expr]:
    """Two 64-bit hashes of a value and its column, under two seeds (`_key`, `_check`): the
    memo keeps 16 bytes per value instead of its text, and a value is taken for one already
    seen when each of its hashes is among theirs: with `MEMO_VALUES` kept, a new value passes
    for a seen one with a chance of (10⁶ ÷ 2⁶⁴)² ≈ 3·10⁻²⁷, 3·10⁻²⁰ over ten million values."""
    return tuple(
        (pl.col("raw").hash(seed) ^ pl.col("column").hash(seed)).alias(name)
        for seed, name in ((0x5EED, "_key"), (0xC0FFEE, "_check"))
    )


def _locate(found: pl.DataFrame, frame: pl.DataFrame) -> pl.DataFrame:
    """Each hit on every row holding its value (`_idx`); only the columns with a hit are
    read again."""
    return pl.concat(
        _rows_holding(found.filter(pl.col("column") == column), frame, column)
        for column in found.get_column("column").unique(maintain_order=True)
    )


def _rows_holding(hits: pl.DataFrame, frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """The hits of one column on the rows (`_idx`) holding their value.

    A column kept row by row gives its rows directly. Otherwise, rows are matched on a hash
    of the value, then the values themselves are compared: joining on numbers costs half of
    joining on text, and the comparison drops any collision."""
    if hits.get_column("_row").is_not_null().all():
        return hits.rename({"_row": "_idx"})
    return (
        hits.drop("_row")
        .with_columns(pl.col("raw").hash().alias("_hash"))
        .join(
            frame.select(
                pl.int_range(pl.len(), dtype=pl.UInt32).alias("_idx"),
                pl.col(column).cast(pl.String).alias("_row_raw"),
                pl.col(column).cast(pl.String).hash().alias("_hash"),
            ),
            on="_hash",
            maintain_order="left",
        )
        .filter(pl.col("raw") == pl.col("_row_raw"))
        .drop("_hash", "_row_raw")
    )


def _values(scanned: pl.DataFrame, headers: pl.DataFrame) -> pl.DataFrame:
    """One line per value to scan: `_cell` (its id), `column`, `raw`, `_row` (see
    `_scanned_values`), `public` (whitelisted) and the header's flags; the values no family
    can hit (`may_hold`) are left out."""
    values = scanned.filter(may_hold(pl.col("raw"), headers)).with_row_index("_cell")
    return values.with_columns(public_identifier(values, "raw").alias("public")).join(
        headers, on="column", how="left", maintain_order="left"
    )


SMALL_TABLE_CELLS = 200_000
"""Up to this many cells, every column is made distinct without looking for columns of
nearly all different values (sampling them costs more than it saves on a small table)."""

SAMPLED_ROWS = 10_000
ROW_BY_ROW = 0.9
"""A column holding at least this share of different values (an identifier, a name per
beneficiary) is scanned row by row rather than made distinct: told by `SAMPLED_ROWS` rows
spread over the table, then confirmed on the whole column by an estimate (HyperLogLog)."""


def _scanned_values(
    frame: pl.DataFrame, row_by_row: Callable[[pl.DataFrame], set[str]] | None = None
) -> pl.DataFrame:
    """`column`, `raw`, `_row`: each column's distinct filled values (`_row` null), or, for a
    column of nearly all different values (`row_by_row` tells them in a large table), its
    filled cells with their row (`_row`): making such a column distinct costs more than the
    few repeats it saves, and its hits need no join to find their rows again. Columns in the
    table's order; a column without a filled cell (typed cells blanked whole) is left out
    before anything is made distinct."""
    no_row = pl.lit(None, dtype=pl.UInt32).alias("_row")
    nulls = frame.null_count().row(0)
    frame = frame.select(c for c, n in zip(frame.columns, nulls, strict=True) if n < frame.height)
    if not frame.width:
        return pl.DataFrame(schema={"column": pl.String, "raw": pl.String, "_row": pl.UInt32})
    if frame.height * frame.width <= SMALL_TABLE_CELLS:
        return _distinct(frame, frame.columns).with_columns(no_row)
    by_row = (row_by_row or _row_by_row)(frame)
    parts = []
    for one_by_one, run in groupby(frame.columns, key=by_row.__contains__):
        if one_by_one:
            parts.extend(_cells(frame, column) for column in run)
        else:
            parts.append(_distinct(frame, list(run)).with_columns(no_row))
    return pl.concat(parts)


def _row_by_row(frame: pl.DataFrame) -> set[str]:
    """The columns of a large table holding at least `ROW_BY_ROW` of different values."""
    step = max(1, frame.height // SAMPLED_ROWS)
    sampled = pl.all().gather_every(step)
    counts = frame.select(sampled.n_unique()).row(0)
    sample_height = (frame.height + step - 1) // step
    varied = [
        column
        for column, count in zip(frame.columns, counts, strict=True)
        if count >= ROW_BY_ROW * sample_height
    ]
    estimates = frame.select(pl.col(varied).approx_n_unique()).row(0) if varied else ()
    return {
        column
        for column, count in zip(varied, estimates, strict=True)
        if count >= ROW_BY_ROW * frame.height
    }


def _distinct(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """`column`, `raw`: each filled value once per column of `columns`, columns in order,
    values in the order they first appear. Each column is made distinct alone (cheaper than
    making (column, value) pairs distinct), all of them in one query; a column named
    `column` or `raw` is numbered inside it, not to clash with the result's names."""
    clash = bool({"column", "raw"} & set(columns))
    names = {str(index) if clash else column: column for index, column in enumerate(columns)}
    lists = frame.select(
        pl.col(column).cast(pl.String).unique(maintain_order=True).implode().alias(name)
        for name, column in names.items()
    )
    values = (
        lists.unpivot(variable_name="column", value_name="raw")
        .explode("raw")
        .filter(_filled(pl.col("raw")))
    )
    return values.with_columns(pl.col("column").replace_strict(names)) if clash else values


def _cells(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    return frame.select(
        pl.lit(column).alias("column"),
        pl.col(column).cast(pl.String).alias("raw"),
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
    ).filter(_filled(pl.col("raw")))


def _filled(cell: pl.Expr) -> pl.Expr:
    return cell.is_not_null() & (cell.str.strip_chars() != "")


def _decide(candidates: pl.DataFrame, options: ScanOptions) -> pl.DataFrame:
    """Turn strengths into grades with the row context: a row names a person when any of its
    cells holds a direct person signal (name, personal e-mail, birth date, NIR…)."""
    signals = [family.value for family in PERSON_SIGNALS]
    person_rows = (
        candidates.filter(
            pl.col("family").is_in(signals) & (pl.col("strength") == Strength.DIRECT.value)
        )
        .get_column("_idx")
        .unique()
    )
    person = pl.col("_idx").is_in(person_rows.implode()) | pl.lit(options.about_people)
    strength = pl.col("strength")
    grade = (
        pl.when(strength == Strength.DIRECT.value)
        .then(pl.lit(Grade.DIRECT.value))
        .when(strength == Strength.REVIEW.value)
        .then(pl.lit(Grade.REVIEW.value))
        .when(strength == Strength.DIRECT_IF_PERSON.value)
        .then(
            pl.when(person).then(pl.lit(Grade.DIRECT.value)).otherwise(pl.lit(Grade.REVIEW.value))
        )
        .when(strength == Strength.IF_PERSON.value)
        .then(pl.when(person).then(pl.lit(Grade.DIRECT.value)))
        .when(strength == Strength.REVIEW_IF_PERSON.value)
        .then(pl.when(person).then(pl.lit(Grade.REVIEW.value)))
    )
    return candidates.with_columns(grade.alias("grade")).drop_nulls("grade")


def _group(decided: pl.DataFrame, row_numbers: pl.Series, columns: list[str]) -> list[Hit]:
    """One hit per (column, family, grade): its rows in order, and as sample the first match
    of its first row, in the order the cell reads (joins and sort keep it, so that a report
    written twice shows the same sample)."""
    rows = pl.DataFrame(
        {"_idx": pl.int_range(0, len(row_numbers), eager=True, dtype=pl.UInt32), "row": row_numbers}
    )
    grouped = (
        decided.join(rows, on="_idx", maintain_order="left")
        .sort("row", maintain_order=True)
        .group_by("column", "family", "grade", maintain_order=True)
        .agg(
            pl.col("row").unique(maintain_order=True),
            pl.col("match").first(),
            pl.col("detail").first(),
        )
    )
    hits = [
        Hit(
            family=Family(family),
            column=column,
            grade=Grade(grade),
            rows=tuple(found_rows),
            count=len(found_rows),
            sample=MASKS[Family(family)](match),
            detail=detail,
        )
        for column, family, grade, found_rows, match, detail in grouped.iter_rows()
    ]
    return _ordered(hits, columns)


def merge_hits(earlier: list[Hit], later: list[Hit], columns: list[str]) -> list[Hit]:
    """The hits of a file's batches together: one per (column, family, grade), its first
    `SHOWN_ROWS` rows and sample from the first batch that had it, its cells counted over
    all; in column, then family order."""
    merged = {(hit.column, hit.family, hit.grade): hit for hit in earlier}
    for hit in later:
        key = (hit.column, hit.family, hit.grade)
        first = merged.get(key, replace(hit, rows=(), count=0))
        rows = (*first.rows, *hit.rows)[:SHOWN_ROWS]
        merged[key] = replace(first, rows=rows, count=first.count + hit.count)
    return _ordered(merged.values(), columns)


def _ordered(hits: Iterable[Hit], columns: list[str]) -> list[Hit]:
    """Hits in the order of the columns, then of the families."""
    order = {family: position for position, family in enumerate(DETECTORS)}
    position = {column: index for index, column in enumerate(columns)}
    return sorted(hits, key=lambda hit: (position[hit.column], order[hit.family]))
