"""Table Schema family: the data file against its declared shared schema.

The header is matched by name (`header.py`, with `fieldsMatch`); the column-wise engine
(`publisher.engine`) then evaluates the cells of the matched columns with frictionless'
semantics, and its errors are translated by type into our codes with French wording, a type
error caused by a spreadsheet habit (decimal comma, thousands separator, French date) getting
its own FMT code. What frictionless 5 ignores is done here too: `categories`, foreign keys to
sibling resources. The shared schema's extra keys (custom_checks, metadata) are not Table
Schema: the French custom checks live in `checks/custom/`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import polars as pl

from publisher.checks.header import HeaderMatch, match_header
from publisher.checks.registry import BaseFamily, ResourceContext, register
from publisher.codes import make
from publisher.engine import check_records
from publisher.engine.keys import SeenKeys, as_list
from publisher.findings import Finding, Location, group_of, shown_value
from publisher.i18n import N_
from publisher.read import Table
from publisher.schemas import SharedSchema

TYPE_WORDS = {
    "string": N_("un texte"),
    "integer": N_("un nombre entier"),
    "number": N_("un nombre"),
    "boolean": N_("un booléen"),
    "date": N_("une date"),
    "datetime": N_("une date et heure"),
    "time": N_("une heure"),
    "year": N_("une année"),
    "yearmonth": N_("une année et un mois"),
    "geopoint": N_("un point géographique"),
    "geojson": N_("un objet GeoJSON"),
    "object": N_("un objet JSON"),
    "array": N_("une liste JSON"),
    "duration": N_("une durée ISO 8601"),
}

_TYPE_FIXES = {
    "integer": N_(
        "Écrivez un nombre entier sans espace, sans décimale ni unité (par exemple 1250)."
    ),
    "number": N_(
        "Écrivez le nombre avec un point décimal, sans espace ni symbole € "
        "(par exemple 24500.50) : dans un tableur français, format de cellule « Standard »."
    ),
    "date": N_(
        "Écrivez la date au format AAAA-MM-JJ (par exemple 2026-03-12 pour le 12 mars 2026)."
    ),
    "datetime": N_("Écrivez la date et l'heure au format AAAA-MM-JJTHH:MM:SS."),
    "year": N_("Écrivez l'année sur quatre chiffres (par exemple 2026)."),
}


@register
class TableSchemaFamily(BaseFamily):
    name = "table-schema"
    codes = (
        "FMT-HEADER-LABEL",
        "FMT-COLUMN-MISSING",
        "FMT-COLUMN-EXTRA",
        "FMT-COLUMN-ORDER",
        "FMT-HEADER-DUPLICATE",
        "FMT-HEADER-BLANK",
        "FMT-ROW-SHAPE",
        "FMT-DECIMAL-COMMA",
        "FMT-THOUSANDS",
        "FMT-DATE-FR",
        "SCHEMA-TYPE",
        "SCHEMA-REQUIRED",
        "SCHEMA-CONSTRAINT",
        "SCHEMA-UNIQUE",
        "SCHEMA-CATEGORY",
        "SCHEMA-FOREIGN-KEY",
        "SCHEMA-OTHER",
        "SCHEMA-NOT-TABULAR",
    )

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        table, schema = context.read.table, context.schema
        if schema is None or not schema.is_tabular:
            if table is None or not context.resource.foreign_keys:
                return []
            same_names = HeaderMatch({column: column for column in table.frame.columns})
            return _foreign_key_findings(context, table, same_names, context.resource.foreign_keys)
        if table is None:
            if context.read.json_document is None:
                return []  # unreadable: the reader already said why
            return [make("SCHEMA-NOT-TABULAR", context.where, schema=schema.ref)]
        fields = {f["name"]: f for f in schema.descriptor.get("fields", [])}
        match = match_header(
            table.header,
            table.frame.columns,
            list(fields),
            schema.descriptor.get("fieldsMatch", "exact"),
            schema.ref,
            context.where,
        )
        foreign_keys = [
            *context.resource.foreign_keys,
            *(k for k in schema.descriptor.get("foreignKeys", []) if _target(k)),
        ]
        return [
            *match.findings,
            *_cell_findings(context, _checked(context, table, schema, match), fields),
            *_category_findings(
                table, fields, match, schema.descriptor.get("missingValues", [""]), context.where
            ),
            *_foreign_key_findings(context, table, match, foreign_keys),
        ]

    def finish_resource(self, context: ResourceContext) -> Iterable[Finding]:
        """The foreign keys to the resource itself, once every batch is read."""
        seen: SeenKeys | None = context.carry.get(self.name)
        schema = context.schema
        if seen is None or schema is None:
            return []
        references = seen.finish()
        if not references:
            return []
        fields = {f["name"]: f for f in schema.descriptor.get("fields", [])}
        return _cell_findings(context, pl.concat(references), fields)


def _checked(
    context: ResourceContext, table: Table, schema: SharedSchema, match: HeaderMatch
) -> pl.DataFrame | Finding:
    """The engine's errors on the cells of the matched columns, each under its field's name
    (only the failing cells come back); the keys met in earlier batches are in `carry`."""
    part = _present_part(schema.descriptor, match.present_fields)
    seen = context.carry.setdefault(TableSchemaFamily.name, SeenKeys())
    try:
        return check_records(table.records(match.fields_by_column), part["fields"], part, seen)
    except (re.error, pl.exceptions.PolarsError) as error:
        return make("SCHEMA-OTHER", context.where, detail=str(error), schema=schema.ref)


def _cell_findings(
    context: ResourceContext, errors: pl.DataFrame | Finding, fields: dict[str, dict]
) -> list[Finding]:
    """Engine errors as findings: only the first `context.cap` of each (code, column) over
    the batches so far become findings; the running count of every group goes to
    `context.totals`, so those cut are counted in full."""
    if isinstance(errors, Finding):
        return [errors]
    where = context.where
    schema_ref = context.schema.ref if context.schema is not None else "?"
    errors = _with_codes(errors, fields).sort("row", maintain_order=True)
    group = ["code", "column"]
    budgets = []
    for code, column, count in errors.group_by(group).len().iter_rows():
        key = group_of(code, replace(where, column=column))
        before = context.totals.get(key, 0)
        context.totals[key] = before + count
        budgets.append((code, column, max(context.cap - before, 0)))
    budget = pl.DataFrame(
        budgets, schema={"code": pl.String, "column": pl.String, "budget": pl.Int64}, orient="row"
    )
    shown = (
        errors.with_columns(pl.int_range(pl.len()).over(group).alias("rank"))
        .join(budget, on=group, nulls_equal=True, maintain_order="left")
        .filter(pl.col("rank") < pl.col("budget"))
    )
    return [_translate(error, fields, schema_ref, where) for error in shown.iter_rows(named=True)]


def _present_part(descriptor: dict[str, Any], present: set[str]) -> dict[str, Any]:
    """The Table Schema keys the engine checks, limited to the fields the file has (a missing
    column is one finding of its own, not a cascade)."""
    part: dict[str, Any] = {
        "fields": [f for f in descriptor.get("fields", []) if f["name"] in present]
    }
    if "missingValues" in descriptor:
        part["missingValues"] = descriptor["missingValues"]
    primary = as_list(descriptor.get("primaryKey"))
    if primary and set(primary) <= present:
        part["primaryKey"] = primary
    unique_keys = [k for k in descriptor.get("uniqueKeys", []) if set(as_list(k)) <= present]
    if unique_keys:
        part["uniqueKeys"] = unique_keys
    self_references = [
        key
        for key in descriptor.get("foreignKeys", [])
        if not key.get("reference", {}).get("resource")
        and set(as_list(key.get("fields"))) | set(as_list(key["reference"].get("fields")))
        <= present
    ]
    if self_references:
        part["foreignKeys"] = self_references
    return part


_NUMBER_TYPES = ("number", "integer")
_THOUSANDS = r"^\s*[-+]?\d{1,3}([ .\u00a0\u202f]\d{3})+([.,]\d+)?\s*$"
_DECIMAL_COMMA = r"^\s*[-+]?\d*,\d+\s*$"
_FRENCH_DATE = r"^\s*\d{1,2}/\d{1,2}/\d{4}\s*$"


_ROW_KINDS = ("extra-cell", "missing-cell", "blank-row")


def _with_codes(errors: pl.DataFrame, fields: dict[str, dict]) -> pl.DataFrame:
    """Each error's code and the column its finding names, computed over all errors at once: a
    type error explained by a spreadsheet habit (decimal comma, thousands separator, French
    date) gets that habit's FMT code."""
    types = {name: field.get("type", "string") for name, field in fields.items()}
    ftype = pl.col("field").replace_strict(types, default="string", return_dtype=pl.String)
    cell = pl.col("cell").fill_null("")
    numeric = ftype.is_in(_NUMBER_TYPES)
    kind = pl.col("kind")
    code = (
        pl.when(kind.is_in(_ROW_KINDS))
        .then(pl.lit("FMT-ROW-SHAPE"))
        .when(kind.is_in(["unique-error", "primary-key"]))
        .then(pl.lit("SCHEMA-UNIQUE"))
        .when((kind == "constraint-error") & (pl.col("constraint") == "required"))
        .then(pl.lit("SCHEMA-REQUIRED"))
        .when(kind == "constraint-error")
        .then(pl.lit("SCHEMA-CONSTRAINT"))
        .when(kind == "foreign-key")
        .then(pl.lit("SCHEMA-OTHER"))
        .when(numeric & cell.str.contains(_THOUSANDS))
        .then(pl.lit("FMT-THOUSANDS"))
        .when(numeric & cell.str.contains(_DECIMAL_COMMA))
        .then(pl.lit("FMT-DECIMAL-COMMA"))
        .when((ftype == "date") & cell.str.contains(_FRENCH_DATE))
        .then(pl.lit("FMT-DATE-FR"))
        .otherwise(pl.lit("SCHEMA-TYPE"))
    )
    column = pl.when(kind.is_in(_ROW_KINDS)).then(None).otherwise(pl.col("field"))
    return errors.with_columns(code.alias("code"), column.replace("", None).alias("column"))


def _category_findings(
    table: Table,
    fields: dict[str, dict],
    match: HeaderMatch,
    missing_values: list[str],
    where: Location,
) -> list[Finding]:
    """Data Package v2 `categories`, which frictionless 5 ignores: each filled cell (not one of
    the schema's `missingValues`) must be one of the listed values (plain values or
    {value, label} objects)."""
    findings: list[Finding] = []
    for column, name in match.fields_by_column.items():
        categories = fields[name].get("categories")
        if not categories:
            continue
        allowed = [str(c["value"] if isinstance(c, dict) else c) for c in categories]
        cells = pl.col(column).str.strip_chars()
        if fields[name].get("type") == "integer":
            cells = cells.cast(pl.Int64, strict=False).cast(pl.String)
            allowed = [str(int(value)) for value in allowed]
        bad = (
            table.frame.select(
                pl.col(column).alias("value"), cells.alias("cell"), table.row_numbers.alias("row")
            )
            .filter(pl.col("cell").is_not_null() & ~pl.col("value").is_in(missing_values))
            .filter(pl.col("cell") != "")
            .filter(~pl.col("cell").is_in(allowed))
        )
        shown = ", ".join(f"« {value} »" for value in allowed[:12])
        shown += " …" if len(allowed) > 12 else ""
        findings.extend(
            make(
                "SCHEMA-CATEGORY",
                replace(where, row=row, column=name),
                value=shown_value(value),
                column=name,
                allowed=shown,
            )
            for value, _, row in bad.iter_rows()
        )
    return findings


def _target(key: dict[str, Any]) -> str:
    return str(key.get("reference", {}).get("resource") or "")


def _foreign_key_findings(
    context: ResourceContext, table: Table, match: HeaderMatch, keys: list[dict[str, Any]]
) -> list[Finding]:
    """Foreign keys towards another resource of the same dataset (frictionless checks them only
    inside a package it reads itself): an anti-join of the key columns on the target's."""
    columns_of = {name: column for column, name in match.fields_by_column.items()}
    findings: list[Finding] = []
    for key in keys:
        fields, target_fields = as_list(key["fields"]), as_list(key["reference"]["fields"])
        target_name = _target(key)
        source_columns = [columns_of.get(name) for name in fields]
        targets = _target_keys(context, target_name, target_fields)
        if isinstance(targets, str):
            detail = f"la ressource « {target_name} » référencée par {', '.join(fields)} "
            findings.append(
                make("SCHEMA-OTHER", context.where, detail=detail + targets, schema="du jeu")
            )
            continue
        if None in source_columns or targets is None:
            continue  # a missing column is already a finding of its own
        keys_frame = table.frame.select(
            *(_key(c).alias(f"k{i}") for i, c in enumerate(source_columns)),
            table.row_numbers.alias("row"),
        ).filter(pl.all_horizontal(pl.col(f"k{i}").fill_null("") != "" for i in range(len(fields))))
        missing = keys_frame.join(targets, on=[f"k{i}" for i in range(len(fields))], how="anti")
        for values in missing.sort("row").iter_rows():
            findings.append(
                make(
                    "SCHEMA-FOREIGN-KEY",
                    replace(context.where, row=values[-1], column=fields[0]),
                    value=shown_value(", ".join(values[:-1])),
                    column=", ".join(fields),
                    target=", ".join(target_fields),
                    resource=target_name,
                )
            )
    return findings


def _key(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars()


def _target_keys(
    context: ResourceContext, name: str, fields: list[str]
) -> pl.DataFrame | str | None:
    """The distinct key values of a sibling resource, read once per file checked (batch by
    batch, only the key columns kept); None when it lacks one of the columns, or why it
    cannot serve (absent from the dataset, unreadable)."""
    known = context.carry.setdefault("table-schema-targets", {})
    if (name, *fields) in known:
        return known[name, *fields]
    target = context.package.get(name)
    found: pl.DataFrame | str | None = "n'existe pas dans le jeu" if target is None else None
    if target is not None:
        parts = []
        for read in target.batches():
            if read.table is None:
                found = "n'a pas pu être lue"
                break
            if not set(fields) <= set(read.table.frame.columns):
                break
            parts.append(
                read.table.frame.select(
                    *(_key(c).alias(f"k{i}") for i, c in enumerate(fields))
                ).unique()
            )
        else:
            found = pl.concat(parts).unique() if parts else None
    known[name, *fields] = found
    return found


def _translate(
    error: dict[str, Any], fields: dict[str, dict], ref: str, where: Location
) -> Finding:
    """One engine error line, its code already chosen, as a finding."""
    code, column, row = error["code"], error["column"], error["row"]
    at = replace(where, row=row, column=column)
    value = shown_value(error["cell"]) if error["cell"] not in (None, "None") else None
    field = fields.get(column or "", {})
    if code == "FMT-ROW-SHAPE":
        detail = {
            "extra-cell": N_("a plus de cellules que l'en-tête"),
            "missing-cell": N_("a moins de cellules que l'en-tête"),
            "blank-row": N_("est vide"),
        }[error["kind"]]
        return make(code, at, row=row, detail=detail)
    if code in ("FMT-THOUSANDS", "FMT-DECIMAL-COMMA", "FMT-DATE-FR"):
        expected = field.get("format", "default")
        expected = N_("AAAA-MM-JJ") if expected in ("default", "any") else expected
        return make(code, at, value=value, column=column, expected=expected)
    if code == "SCHEMA-TYPE":
        return make(
            code,
            at,
            value=value,
            column=column,
            expected=_expected(field),
            fix=_type_fix(field, field.get("type", "string")),
        )
    if code == "SCHEMA-REQUIRED":
        return make(code, at, column=column)
    if code == "SCHEMA-CONSTRAINT":
        constraint = error["constraint"]
        rule_value = str(field.get("constraints", {}).get(constraint))
        rule, fix = _constraint_words(constraint, rule_value, field)
        return make(code, at, value=value, column=column, constraint=constraint, rule=rule, fix=fix)
    if code == "SCHEMA-UNIQUE":
        return make(code, at, value=value, column=column or "clé primaire")
    message = f'Row at position "{row}" violates the foreign key: {error["note"]}'
    return make(code, at, value=value, detail=message, schema=ref)


def _expected(field: dict) -> str:
    ftype = field.get("type", "string")
    word = TYPE_WORDS.get(ftype, ftype)
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
    return _TYPE_FIXES.get(ftype, f"Écrivez {TYPE_WORDS.get(ftype, ftype)}.")


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
