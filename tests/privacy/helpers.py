"""What the privacy tests share: running the federation, building rows, scanning a table."""

from __future__ import annotations

from datetime import date

import polars as pl

from conftest import GOOD_ROW, SUBVENTIONS_HEADER
from publisher import SchemaRegistry, load_federation, validate_federation
from publisher.privacy.scanner import Hit, ScanOptions, scan

TODAY = date(2026, 11, 23)


def run(repo):
    federation = load_federation(repo.root)
    return validate_federation(federation, SchemaRegistry.load(federation.schemas_dir), today=TODAY)


def privacy(validation):
    """(code, row, column) of the privacy findings."""
    return [
        (f.code, f.location.row, f.location.column)
        for f in validation.findings
        if f.code.startswith("PRIV")
    ]


def row(**changes):
    """A valid subventions row with some cells replaced."""
    cells = dict(zip(SUBVENTIONS_HEADER.split(";"), GOOD_ROW.split(";"), strict=True))
    cells.update(changes)
    return ";".join(cells.values())


def scan_table(columns: dict[str, list[str]], **options) -> list[Hit]:
    """Scan a small table given column by column (rows numbered from 2, as in a spreadsheet)."""
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    rows = pl.Series(range(2, frame.height + 2))
    return scan(frame, rows, ScanOptions(own_domains=("mairie-begles.fr",), today=TODAY, **options))


def found(columns: dict[str, list[str]], **options) -> set[tuple[str, str, str]]:
    """(family, column, grade) of every hit."""
    return {(h.family.value, h.column, h.grade.value) for h in scan_table(columns, **options)}
