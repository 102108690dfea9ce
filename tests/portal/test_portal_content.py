"""Canonical rows: the same numbers spelled differently are one row, true gaps stay gaps."""

from __future__ import annotations

import polars as pl
import pytest

from publisher.portal.content import canonical_cell, table_fingerprint


@pytest.mark.parametrize(
    "file,served",
    [
        ("1e3", "1000"),
        ("1E+3", "1000.0"),
        ("0.1000000000000000055", "0.1"),
        ("0.12345678901234567", "0.12345678901234566"),
        ("0.00001", "1e-05"),
        ("1200.50", "1200.5"),
        ("007.5", "7.5"),
        ("+5", "5"),
        ("-0.0", "0"),
        ("44.80 , -0.6", "44.8, -0.6"),
    ],
)
def test_one_number_spelled_two_ways_is_one_value(file: str, served: str) -> None:
    assert canonical_cell(file) == canonical_cell(served)


@pytest.mark.parametrize(
    "file,served",
    [
        ("0.1", "0.11"),
        ("0.100000000000001", "0.1"),  # the 15th significant digit counts
        ("12345678901234567890", "12345678901234567891"),  # integers stay exact
        ("01000", "1000"),  # a postcode that lost its zero
        ("0612345678", "612345678"),
        ("1e999", "inf"),
    ],
)
def test_real_differences_stay_differences(file: str, served: str) -> None:
    assert canonical_cell(file) != canonical_cell(served)


def test_fingerprints_of_a_file_and_of_its_export_match_whatever_the_spelling() -> None:
    local = pl.DataFrame(
        {"montant": ["1e3", "0.1000000000000000055", "1200.50"], "code": ["01"] * 3}
    )
    served = pl.DataFrame({"code": ["01"] * 3, "montant": ["1200.5", "1000.0", "0.1"]})
    assert table_fingerprint([local]).digest == table_fingerprint([served]).digest
    assert table_fingerprint([local]).lines == ("01\x1f0.1", "01\x1f1000", "01\x1f1200.5")
