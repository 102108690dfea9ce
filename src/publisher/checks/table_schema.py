"""Table Schema family: the data file against its declared shared schema.

frictionless evaluates Table Schema semantics here; its errors are translated by type into our
codes with French wording. The shared schema's extra keys (custom_checks, metadata with spaces
in names) are left out of what frictionless sees: the French custom checks live in `french.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from frictionless import FrictionlessException, Resource, Schema, formats

from publisher.checks.registry import BaseFamily, ResourceContext, register
from publisher.codes import make
from publisher.findings import Finding, Location, shown_value

_SCHEMA_KEYS = ("fields", "missingValues", "primaryKey", "foreignKeys", "uniqueKeys")
_NO_LIMIT = 10_000_000

_TYPE_WORDS = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "un booléen",
    "date": "une date",
    "datetime": "une date et heure",
    "time": "une heure",
    "year": "une année",
    "yearmonth": "une année et un mois",
    "geopoint": "un point géographique",
    "geojson": "un objet GeoJSON",
    "object": "un objet JSON",
    "array": "une liste JSON",
    "duration": "une durée ISO 8601",
}

_TYPE_FIXES = {
    "integer": "Écrivez un nombre entier sans espace, sans décimale ni unité (par exemple 1250).",
    "number": "Écrivez le nombre avec un point décimal, sans espace ni symbole € "
    "(par exemple 24500.50) : dans un tableur français, format de cellule « Standard ».",
    "date": "Écrivez la date au format AAAA-MM-JJ (par exemple 2026-03-12 pour le 12 mars 2026).",
    "datetime": "Écrivez la date et l'heure au format AAAA-MM-JJTHH:MM:SS.",
    "year": "Écrivez l'année sur quatre chiffres (par exemple 2026).",
}


@register
class TableSchemaFamily(BaseFamily):
    name = "table-schema"
    codes = (
        "SCHEMA-MISSING-COLUMN",
        "SCHEMA-EXTRA-COLUMN",
        "SCHEMA-HEADER",
        "SCHEMA-ROW-SHAPE",
        "SCHEMA-TYPE",
        "SCHEMA-REQUIRED",
        "SCHEMA-CONSTRAINT",
        "SCHEMA-UNIQUE",
        "SCHEMA-OTHER",
        "SCHEMA-NOT-TABULAR",
    )

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        table, schema = context.read.table, context.schema
        if schema is None or schema.kind != "table-schema":
            return []
        if table is None:
            if context.read.json_document is None:
                return []  # unreadable: the reader already said why
            return [make("SCHEMA-NOT-TABULAR", context.where, schema=schema.ref)]
        descriptor = {k: v for k, v in schema.descriptor.items() if k in _SCHEMA_KEYS}
        fields = {f["name"]: f for f in descriptor.get("fields", [])}
        try:
            resource = Resource(
                data=table.data,
                format="csv",
                encoding="utf-8",
                schema=Schema.from_descriptor(descriptor),
                control=formats.CsvControl(delimiter=table.delimiter),
            )
            report = resource.validate(limit_errors=_NO_LIMIT)
        except FrictionlessException as error:
            return [
                make(
                    "SCHEMA-OTHER",
                    context.where,
                    detail=str(error.error.message),
                    schema=schema.ref,
                )
            ]
        return [
            _translate(error.to_dict(), fields, schema.ref, context.where)
            for task in report.tasks
            for error in task.errors
        ]


def _translate(
    error: dict[str, Any], fields: dict[str, dict], ref: str, where: Location
) -> Finding:
    kind = error["type"]
    column = error.get("fieldName")
    position = error.get("fieldNumber")
    row = error.get("rowNumber")
    at = replace(where, row=row, column=column)
    value = shown_value(error.get("cell")) if error.get("cell") not in (None, "None") else None
    field = fields.get(column or "", {})
    if kind == "missing-label":
        return make(
            "SCHEMA-MISSING-COLUMN",
            replace(where, column=column),
            column=column,
            schema=ref,
            position=position,
        )
    if kind == "extra-label":
        label = error.get("label") or ""
        return make(
            "SCHEMA-EXTRA-COLUMN",
            replace(where, column=label or None),
            label=label,
            position=position,
            schema=ref,
        )
    if kind in ("incorrect-label", "duplicate-label", "blank-label"):
        label = error.get("label") or "(vide)"
        return make(
            "SCHEMA-HEADER",
            replace(where, column=column),
            label=label,
            column=column,
            position=position,
            schema=ref,
            value=shown_value(label),
        )
    if kind in ("extra-cell", "missing-cell", "blank-row"):
        detail = {
            "extra-cell": "a plus de cellules que l'en-tête",
            "missing-cell": "a moins de cellules que l'en-tête",
            "blank-row": "est vide",
        }[kind]
        return make("SCHEMA-ROW-SHAPE", replace(at, column=None), row=row, detail=detail)
    if kind == "type-error":
        ftype = field.get("type", "string")
        return make(
            "SCHEMA-TYPE",
            at,
            value=value,
            column=column,
            expected=_expected(field),
            fix=_type_fix(field, ftype),
        )
    if kind == "constraint-error":
        constraint, rule_value = _constraint(error.get("note", ""))
        if constraint == "required":
            return make("SCHEMA-REQUIRED", at, column=column)
        rule, fix = _constraint_words(constraint, rule_value, field)
        return make(
            "SCHEMA-CONSTRAINT",
            at,
            value=value,
            column=column,
            constraint=constraint,
            rule=rule,
            fix=fix,
        )
    if kind in ("unique-error", "primary-key"):
        return make("SCHEMA-UNIQUE", at, value=value, column=column or "clé primaire")
    return make("SCHEMA-OTHER", at, value=value, detail=error.get("message", kind), schema=ref)


def _expected(field: dict) -> str:
    ftype = field.get("type", "string")
    word = _TYPE_WORDS.get(ftype, ftype)
    if ftype == "boolean":
        trues = field.get("trueValues", ["true", "True", "TRUE", "1"])
        falses = field.get("falseValues", ["false", "False", "FALSE", "0"])
        word += f" ({' / '.join(trues[:2])} ou {' / '.join(falses[:2])})"
    elif ftype == "date" and field.get("format") not in (None, "default", "any"):
        word += f" au format {field['format']}"
    return word


def _type_fix(field: dict, ftype: str) -> str:
    if ftype == "boolean":
        trues = ", ".join(field.get("trueValues", ["true", "True", "TRUE", "1"]))
        falses = ", ".join(field.get("falseValues", ["false", "False", "FALSE", "0"]))
        return f"Valeurs admises : {trues} pour vrai ; {falses} pour faux."
    return _TYPE_FIXES.get(ftype, f"Écrivez {_TYPE_WORDS.get(ftype, ftype)}.")


_NOTE = re.compile(r'constraint "(?P<name>\w+)" is "(?P<value>.*)"', re.DOTALL)


def _constraint(note: str) -> tuple[str, str]:
    match = _NOTE.search(note)
    return (match["name"], match["value"]) if match else ("inconnue", note)


def _constraint_words(constraint: str, value: str, field: dict) -> tuple[str, str]:
    """The rule in plain French, and how to fix the cell."""
    constraints = field.get("constraints", {})
    description = (field.get("description") or "").strip()
    if constraint == "enum":
        allowed = " ; ".join(f"« {v} »" for v in constraints.get("enum", []))
        return (
            f"valeurs admises : {allowed}",
            "Choisissez exactement l'une des valeurs admises "
            "(mêmes accents, majuscules et espaces).",
        )
    if constraint == "pattern":
        fix = "Corrigez la valeur selon le format du schéma."
        if description:
            fix += f" Le schéma précise : {shown_value(description)}"
        return f"format attendu {value}", fix
    if constraint in ("minimum", "exclusiveMinimum"):
        return f"valeur minimale {value}", f"Indiquez une valeur d'au moins {value}."
    if constraint in ("maximum", "exclusiveMaximum"):
        return f"valeur maximale {value}", f"Indiquez une valeur d'au plus {value}."
    if constraint == "minLength":
        return f"au moins {value} caractères", "Complétez la valeur."
    if constraint == "maxLength":
        return f"au plus {value} caractères", "Raccourcissez la valeur."
    return f"{constraint} = {value}", "Corrigez la valeur selon le schéma."
