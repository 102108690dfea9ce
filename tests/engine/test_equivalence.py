"""The engine against frictionless on generated tables and schemas (property-based).

hypothesis builds a schema (types, formats, constraints, missingValues, keys) and a CSV whose
cells come from adversarial alphabets (surrounding spaces, signs, unicode digits, commas,
exponents, NaN, odd dates, empty and quoted empty cells, ragged and blank rows); every error
frictionless reports — as (row, field, kind, constraint), counted — must be the engine's, and
nothing more. Runs are derandomised (no example database) so CI sees the same cases each time.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from pathlib import Path

import polars as pl
from frictionless import Detector, Resource, Schema, formats
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from publisher.engine import check_records
from publisher.findings import Location
from publisher.read import read_resource

EXAMPLES = int(os.environ.get("ENGINE_EXAMPLES", "300"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

NUMBERISH = [
    "1",
    "01",
    "+1",
    "-1",
    "-0",
    " 1",
    "1 ",
    "\u00a01",
    "1_000",
    "1__0",
    "_1",
    "١٢",
    "１",
    "1.5",
    "1,5",
    "1 000",
    "1.000,5",
    "1e3",
    "1E-2",
    ".5",
    "5.",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "0x1F",
    "12345678901234567890",
    "3",
    "10",
    "-7",
    "2.50",
    "99",
]
DATEISH = [
    "2024-02-29",
    "2023-02-29",
    "2024-1-5",
    "2024-01-05 ",
    " 2024-01-05",
    "0000-01-01",
    "12/03/2024",
    "2024-01-05T10:00:00",
    "2024-12-31",
    "٢٠٢٤-٠١-٠٥",
    "2024-06-15",
    "2024",
    "0999",
    "2024-13",
    "2024-12",
    "1-1",
]
TIMEISH = [
    "12:30:00",
    "24:00:00",
    "12:30",
    "12:30:00Z",
    "12:30:00+01:00",
    "2024-01-05T12:30:00",
    "2024-01-05T12:30:00Z",
    "2024-01-05T24:00:00",
    "2024-01-05T12:30:00+0100",
    "12:3:00",
]
TEXTISH = [
    "",
    "",
    " ",
    "a",
    "abc",
    "é",
    "A",
    "a,b",
    'a"b',
    "x\ny",
    "NA",
    "-",
    "true",
    "True",
    "TRUE",
    "yes",
    "0",
    "false",
    "oui",
    "abc\n",
    "ab12",
    "Z9",
]
CELLS = st.sampled_from(NUMBERISH + DATEISH + TIMEISH + TEXTISH) | st.text(
    alphabet=" +-.,0123456789eE_aé\u00a0١", max_size=5
)
TYPES = ["string", "integer", "number", "boolean", "date", "year", "yearmonth", "time", "datetime"]


@st.composite
def fields(draw, name: str) -> dict:
    ftype = draw(st.sampled_from(TYPES))
    field: dict = {"name": name, "type": ftype}
    constraints: dict = {}
    if draw(st.booleans()):
        constraints["required"] = True
    if draw(st.integers(0, 5)) == 0:
        constraints["unique"] = True
    if ftype in ("integer", "number", "year") and draw(st.booleans()):
        constraints[draw(st.sampled_from(["minimum", "maximum"]))] = draw(st.integers(-5, 2030))
    if ftype == "date" and draw(st.booleans()):
        constraints[draw(st.sampled_from(["minimum", "maximum"]))] = "2024-03-01"
    if ftype == "string":
        choice = draw(st.integers(0, 4))
        if choice == 1:
            constraints["pattern"] = draw(st.sampled_from(["[a-z]+", "^[0-9]{2}$", "a|b", r"\w+"]))
        elif choice == 2:
            constraints[draw(st.sampled_from(["minLength", "maxLength"]))] = draw(st.integers(0, 3))
        elif choice == 3:
            constraints["enum"] = ["a", "abc", "A", " "]
    if ftype in ("integer", "number") and draw(st.integers(0, 3)) == 0:
        constraints["enum"] = [1, 3, 10]
    if ftype == "number" and draw(st.integers(0, 3)) == 0:
        field.update(draw(st.sampled_from([{"decimalChar": ","}, {"groupChar": " "}])))
    if ftype in ("integer", "number") and draw(st.integers(0, 4)) == 0:
        field["bareNumber"] = False
    if ftype == "boolean" and draw(st.booleans()):
        field.update({"trueValues": ["oui", "1"], "falseValues": ["non", "0"]})
    if constraints:
        field["constraints"] = constraints
    return field


@st.composite
def tables(draw) -> tuple[dict, str]:
    width = draw(st.integers(2, 4))  # one column leaves the delimiter to guess
    names = [f"c{i}" for i in range(width)]
    schema: dict = {"fields": [draw(fields(name)) for name in names]}
    schema["missingValues"] = draw(st.sampled_from([[""], ["", "NA"], ["-"], ["", " "]]))
    if draw(st.integers(0, 4)) == 0:
        schema["primaryKey"] = names[: draw(st.integers(1, width))]
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        shape = draw(st.integers(0, 9))
        row_width = width + (1 if shape == 0 else -1 if shape == 1 else 0)
        rows.append([draw(CELLS) for _ in range(max(row_width, 0))])
    return schema, _csv(names, rows, quote_empty=draw(st.booleans()))


def _csv(names: list[str], rows: list[list[str]], *, quote_empty: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        if quote_empty:
            line = ",".join('""' if cell == "" else _quoted(cell) for cell in row)
            out.write(line + "\n")
        else:
            writer.writerow(row)
    return out.getvalue()


def _quoted(cell: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([cell])
    return buffer.getvalue()


_CONSTRAINT = re.compile(r'constraint "(\w+)"')


def frictionless_errors(text: str, schema: dict) -> Counter | None:
    """frictionless' row and cell errors; None when it does not take the first line as the
    header the way our reader does (it guesses on very ragged files)."""
    report = Resource(
        data=text.encode("utf-8"),
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(schema),
        control=formats.CsvControl(delimiter=",", skip_initial_space=False),  # never sniffed
        detector=Detector(schema_sync=True),
    ).validate(limit_errors=10_000_000)
    errors = report.tasks[0].errors if report.tasks else []
    if any(not hasattr(e, "row_number") for e in errors):
        return None
    return Counter(
        _key(e.type, e.row_number, getattr(e, "field_name", None), e.note) for e in errors
    )


def engine_errors(path: Path, schema: dict) -> Counter:
    table = read_resource(path, "csv", None, Location()).table
    assert table is not None
    names = {column: column for column in table.frame.columns}
    errors = check_records(table.records(names), schema["fields"], schema)
    return Counter(
        _key(kind, row, field, f'constraint "{constraint}"' if constraint else "")
        for row, kind, field, constraint in errors.select(
            "row", "kind", "field", "constraint"
        ).rows()
    )


def _key(kind: str, row: int, field: str | None, note: str) -> tuple:
    if kind in ("extra-cell", "missing-cell", "blank-row", "primary-key"):
        return (kind, row, None, None)
    found = _CONSTRAINT.search(note or "")
    return (kind, row, field, found[1] if kind == "constraint-error" and found else None)


@SETTINGS
@given(tables())
def test_engine_finds_what_frictionless_finds(tmp_path_factory, generated):
    schema, text = generated
    path = tmp_path_factory.mktemp("table") / "data.csv"
    path.write_text(text, "utf-8")
    expected = frictionless_errors(text, schema)
    assume(expected is not None)
    assert engine_errors(path, schema) == expected, text


PYTHON_WHITESPACE = (
    "\t\x0b\x0c\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What Python's `str.strip()` removes from a cell (line ends aside): polars' own set differs
on \\x1c-\\x1f, which the fast reader leaves to the exact one."""
NUMBER_FIELDS = [
    {"name": "entier", "type": "integer", "constraints": {"maximum": 10}},
    {"name": "nombre", "type": "number", "constraints": {"minimum": 1}},
    {"name": "brut", "type": "number", "bareNumber": False},
]


def _padded_numbers(spaces: str) -> list[list[str]]:
    return [
        [f"{space}{whole}{space}", f"{space}{decimal}", f"{space}{decimal} €{space}"]
        for space in spaces
        for whole, decimal in (("7", "0.5"), ("12", "12.5"), ("x", "1,5"))
    ]


def test_numbers_in_any_python_whitespace_read_as_the_exact_reader_reads_them():
    from publisher.engine.values import INVALID, read_column, reader

    for position, field in enumerate(NUMBER_FIELDS):
        cells = [row[position] for row in _padded_numbers(PYTHON_WHITESPACE)]
        field_reader = reader(field)
        value, ok = read_column(pl.Series(cells, dtype=pl.String), field_reader)
        exact = [field_reader.exact(cell) for cell in cells]
        assert ok.to_list() == [result is not INVALID for result in exact], field["name"]
        assert value.to_list() == [None if r is INVALID else r for r in exact], field["name"]


def test_numbers_in_spaces_a_text_file_holds_read_as_frictionless_reads_them(tmp_path):
    schema = {"fields": NUMBER_FIELDS}
    text = _csv(
        [f["name"] for f in NUMBER_FIELDS],
        _padded_numbers(" \t\xa0\u2000\u202f\u3000"),
        quote_empty=False,
    )
    path = tmp_path / "data.csv"
    path.write_text(text, "utf-8")
    expected = frictionless_errors(text, schema)
    assert expected is not None and sum(expected.values()) >= 18
    assert engine_errors(path, schema) == expected
