"""Match a file's header with a schema's fields, as Table Schema v2 `fieldsMatch` says.

frictionless 5 compares labels by position only, so one column out of place becomes a cascade
of label and type errors. Here columns are matched to fields by name (then by a name that differs
only by case, accents or punctuation), so a misplaced or misspelt column is one finding and its
cells are still checked as the field they hold. The header is a handful of labels: plain Python.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace

from publisher.codes import make
from publisher.findings import Finding, Location, shown_value

FIELDS_MATCH = ("exact", "equal", "subset", "superset", "partial")
"""exact: same fields, same order (the default); equal: same fields, any order; subset: every
schema field, extra columns allowed; superset: only schema fields, some may be absent; partial:
at least one schema field."""


@dataclass(frozen=True)
class HeaderMatch:
    """Which file column holds which schema field, and what is wrong with the header."""

    fields_by_column: dict[str, str]
    findings: list[Finding] = field(default_factory=list)

    @property
    def present_fields(self) -> set[str]:
        return set(self.fields_by_column.values())


def comparable(label: str) -> str:
    """A label reduced to lowercase letters and digits without accents, to spot misspellings."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def match_header(
    header: tuple[str, ...],
    columns: list[str],
    fields: list[str],
    fields_match: str,
    schema_ref: str,
    where: Location,
) -> HeaderMatch:
    """Map the file's columns (`columns` are the unique names of `header`) to `fields`."""
    findings = _label_problems(header, where)
    fields_by_column: dict[str, str] = {}
    field_names = set(fields)
    for label, column in zip(header, columns, strict=True):
        if label in field_names and label not in fields_by_column.values():
            fields_by_column[column] = label
    unmatched = {comparable(name): name for name in fields if name not in fields_by_column.values()}
    seen_labels: set[str] = set()
    for position, (label, column) in enumerate(zip(header, columns, strict=True), start=1):
        duplicate = label in seen_labels
        seen_labels.add(label)
        if column in fields_by_column or not label.strip() or duplicate:
            continue
        near = unmatched.pop(comparable(label), None) if comparable(label) else None
        if near is not None:
            fields_by_column[column] = near
            findings.append(
                make(
                    "FMT-HEADER-LABEL",
                    replace(where, column=label),
                    value=shown_value(label),
                    label=label,
                    column=near,
                    position=position,
                    schema=schema_ref,
                )
            )
        elif fields_match not in ("subset", "partial"):
            findings.append(
                make(
                    "FMT-COLUMN-EXTRA",
                    replace(where, column=label),
                    label=label,
                    position=position,
                    schema=schema_ref,
                )
            )
    present = set(fields_by_column.values())
    missing = [name for name in fields if name not in present]
    if fields_match in ("exact", "equal", "subset") or (fields_match == "partial" and not present):
        findings.extend(
            make(
                "FMT-COLUMN-MISSING",
                replace(where, column=name),
                column=name,
                position=fields.index(name) + 1,
                schema=schema_ref,
            )
            for name in missing
        )
    if fields_match == "exact":
        findings.extend(
            _order_problem(header, columns, fields, fields_by_column, schema_ref, where)
        )
    return HeaderMatch(fields_by_column, findings)


def _label_problems(header: tuple[str, ...], where: Location) -> list[Finding]:
    positions: dict[str, list[int]] = defaultdict(list)
    for position, label in enumerate(header, start=1):
        positions[label].append(position)
    findings = []
    for label, at in positions.items():
        if not label.strip():
            findings.extend(make("FMT-HEADER-BLANK", where, position=p) for p in at)
        elif len(at) > 1:
            shown = ", ".join(str(p) for p in at[:-1]) + f" et {at[-1]}"
            findings.append(
                make(
                    "FMT-HEADER-DUPLICATE",
                    replace(where, column=label),
                    label=label,
                    positions=shown,
                )
            )
    return findings


def _order_problem(
    header: tuple[str, ...],
    columns: list[str],
    fields: list[str],
    fields_by_column: dict[str, str],
    schema_ref: str,
    where: Location,
) -> list[Finding]:
    """One finding at the first column that is not where the schema puts it."""
    in_file = [
        (position, label, fields_by_column[column])
        for position, (label, column) in enumerate(zip(header, columns, strict=True), start=1)
        if column in fields_by_column
    ]
    expected = [name for name in fields if name in fields_by_column.values()]
    for (position, label, name), wanted in zip(in_file, expected, strict=True):
        if name != wanted:
            return [
                make(
                    "FMT-COLUMN-ORDER",
                    replace(where, column=label),
                    schema=schema_ref,
                    position=position,
                    label=label,
                    column=wanted,
                )
            ]
    return []
