"""Custom checks of the shared schemas, with the semantics of the reference validator.

Each check has passing and failing cases; python-stdnum and phonenumbers are the oracles where
they exist; the official valid examples of the schemas that declare custom checks give none.
"""

from __future__ import annotations

import csv as stdlib_csv
import hashlib
import json
import random
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers
import polars as pl
import pytest
from stdnum.fr import siren, siret

from conftest import GOOD_ROW, REPO, SUBVENTIONS_HEADER
from publisher import SchemaRegistry, load_federation, validate_federation
from publisher.checks.custom import CustomChecksFamily
from publisher.checks.custom.identifiers import siren_problem, siret_problem
from publisher.checks.registry import ResourceContext
from publisher.findings import Finding, Location, Severity
from publisher.read import read_resource
from publisher.schemas import SharedSchema

REFERENCE = REPO.parent / "shared" / "reference" / "schemas"


def check_file(
    folder: Path, schema: dict[str, Any], csv_text: str, name: str = "donnees.csv"
) -> list[Finding]:
    """Run the custom checks family on a CSV against a schema, both written as real files."""
    schema_path = folder / "schema.json"
    schema_path.write_text(json.dumps(schema, ensure_ascii=False), "utf-8")
    data_path = folder / name
    data_path.write_text(csv_text, "utf-8")
    return check_path(schema_path, data_path)


def check_path(schema_path: Path, data_path: Path) -> list[Finding]:
    raw = schema_path.read_bytes()
    shared = SharedSchema(
        "test/schema", "1.0", "essai", "table-schema", "", "", "", hashlib.sha256(raw).hexdigest(),
        schema_path,
    )  # fmt: skip
    where = Location(path=data_path.name)
    read = read_resource(data_path, "csv", None, where)
    assert read.table is not None, read.findings
    context = ResourceContext(None, None, None, read, shared, where)  # type: ignore[arg-type]
    return list(CustomChecksFamily().check_resource(context))


def schema_with(fields: dict[str, str], *checks: tuple[str, dict[str, Any]], **extra: Any):
    """An inline schema: field name → type, and the custom checks as (name, params)."""
    return {
        "fields": [{"name": name, "type": kind} for name, kind in fields.items()],
        "custom_checks": [{"name": name, "params": params} for name, params in checks],
        **extra,
    }


def csv(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def quote(cell: str) -> str:
    """A CSV cell between double quotes, inner quotes doubled."""
    return '"' + cell.replace('"', '""') + '"'


def located(findings: list[Finding]) -> list[tuple[str, int | None, str | None]]:
    return [(f.code, f.location.row, f.location.column) for f in findings]


def reference(relative: str) -> Path:
    path = REFERENCE / relative
    if not path.is_file():
        pytest.skip(f"schémas de référence absents ({relative})")
    return path


# SIRET and SIREN -------------------------------------------------------------------------------


def _random_digits(rng: random.Random, length: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(length))


def test_vectorised_siret_and_siren_agree_with_stdnum():
    rng = random.Random(20261123)
    values = [_random_digits(rng, 14) for _ in range(3000)]
    values += [siret.compact("356000000" + _random_digits(rng, 5)) for _ in range(500)]
    values += [
        "35600000000048",
        "21330039500109",
        "213 300 395 00109",
        "2133003950010",
        "ABC",
        "21330039500109 ",
    ]
    # make sure valid values are well represented
    values += [v[:13] + str(d) for v in values[:300] for d in range(10)]
    frame = pl.DataFrame({"v": values}).with_columns(
        siret_problem(pl.col("v")).alias("siret"),
        siren_problem(pl.col("v").str.slice(0, 9)).alias("siren"),
    )
    for value, siret_reason, siren_reason in frame.iter_rows():
        assert (siret_reason is None) == siret.is_valid(value), value
        assert (siren_reason is None) == siren.is_valid(value[:9]), value


@pytest.mark.parametrize("name", ["french-siret-value", "siret"])
def test_siret_findings_are_the_cells_stdnum_rejects(tmp_path, name):
    cells = ["21330039500109", "21330039500108", "", "213 300 395 00109", " ", "356000000"]
    cells += ["35600000000048", "35600000012345", "2133003950010A"]
    schema = schema_with({"nom": "string", "id": "string"}, (name, {"column": "id"}))
    findings = check_file(tmp_path, schema, csv("nom,id", *(f"x,{cell}" for cell in cells)))
    expected = [
        ("FR-SIRET", row, "id")
        for row, cell in enumerate(cells, start=2)
        if cell and not siret.is_valid(cell)
    ]
    assert located(findings) == expected
    assert len(expected) == 5  # the wrong key, the blank, the short, La Poste's, the letter
    assert findings[0].value == "21330039500108"
    assert "clé de contrôle fausse" in findings[0].message


@pytest.mark.parametrize("name", ["french-siren-value", "siren"])
def test_siren_findings_are_the_cells_stdnum_rejects(tmp_path, name):
    cells = ["213300395", "213300396", "213 300 395", "21330039", ""]
    schema = schema_with({"nom": "string", "siren": "string"}, (name, {"column": "siren"}))
    findings = check_file(tmp_path, schema, csv("nom,siren", *(f"x,{cell}" for cell in cells)))
    expected = [
        ("FR-SIREN", row, "siren")
        for row, cell in enumerate(cells, start=2)
        if cell and not siren.is_valid(cell)
    ]
    assert located(findings) == expected == [("FR-SIREN", 3, "siren"), ("FR-SIREN", 5, "siren")]


def test_single_column_check_on_an_absent_column_is_skipped(tmp_path):
    schema = schema_with({"a": "string"}, ("french-siret-value", {"column": "id"}))
    assert check_file(tmp_path, schema, csv("a", "x")) == []


# one-of-required -------------------------------------------------------------------------------

ONE_OF = ("one-of-required", {"column1": "siret", "column2": "rna"})


def test_one_of_required_passes_when_either_or_both_are_filled(tmp_path):
    schema = schema_with({"siret": "string", "rna": "string"}, ONE_OF)
    lines = ["siret,rna", "21330039500109,", ",W332001234", "21330039500109,W332001234"]
    assert check_file(tmp_path, schema, csv(*lines)) == []


def test_one_of_required_fails_on_rows_where_both_are_empty(tmp_path):
    fields = {"siret": "string", "rna": "string", "objet": "string"}
    schema = schema_with(fields, ONE_OF, missingValues=["", "NA"])
    lines = ["siret,rna,objet", "21330039500109,,a", ",,b", "NA,NA,c", ",W332001234,d"]
    findings = check_file(tmp_path, schema, csv(*lines))
    assert located(findings) == [
        ("CUSTOM-ONE-OF-REQUIRED", 3, "siret"),
        ("CUSTOM-ONE-OF-REQUIRED", 4, "siret"),
    ]
    assert "les deux sont vides" in findings[0].message
    assert findings[0].severity is Severity.ERROR


def test_one_of_required_with_one_column_absent_needs_the_other_on_every_row(tmp_path):
    schema = schema_with({"siret": "string", "rna": "string"}, ONE_OF)
    findings = check_file(tmp_path, schema, csv("rna,objet", "W332001234,a", ",b"))
    assert located(findings) == [("CUSTOM-ONE-OF-REQUIRED", 3, "rna")]
    assert "« siret » est absente du fichier" in findings[0].message


def test_one_of_required_with_both_columns_absent_is_one_table_finding(tmp_path):
    schema = schema_with({"siret": "string", "rna": "string"}, ONE_OF)
    findings = check_file(tmp_path, schema, csv("objet", "a", "b"))
    assert located(findings) == [("CUSTOM-ONE-OF-COLUMNS", None, None)]
    assert "ni la colonne « siret » ni la colonne « rna »" in findings[0].message


def test_one_of_required_accepts_column_as_the_first_parameter(tmp_path):
    schema = schema_with(
        {"siret": "string", "rna": "string"},
        ("one-of-required", {"column": "siret", "column2": "rna"}),
    )
    findings = check_file(tmp_path, schema, csv("siret,rna,objet", ",,a"))
    assert located(findings) == [("CUSTOM-ONE-OF-REQUIRED", 2, "siret")]


# cohesive-columns-value ------------------------------------------------------------------------

VOTES = {"EFFECTIF": "integer", "POUR": "integer", "CONTRE": "integer"}
COHESIVE = ("cohesive-columns-value", {"column": "EFFECTIF", "othercolumns": ["POUR", "CONTRE"]})


def test_cohesive_columns_all_filled_or_all_empty_pass(tmp_path):
    schema = schema_with(VOTES, COHESIVE)
    assert check_file(tmp_path, schema, csv("EFFECTIF,POUR,CONTRE", "30,25,5", ",,")) == []


def test_cohesive_columns_partly_filled_row_is_reported_with_what_is_missing(tmp_path):
    schema = schema_with(VOTES, COHESIVE)
    lines = ["EFFECTIF,POUR,CONTRE", "30,25,", ",,4", "30,25,5"]
    findings = check_file(tmp_path, schema, csv(*lines))
    assert located(findings) == [
        ("CUSTOM-COHESIVE", 2, "EFFECTIF"),
        ("CUSTOM-COHESIVE", 3, "EFFECTIF"),
    ]
    assert findings[0].params["empty"] == "« CONTRE »"
    assert findings[0].params["filled"] == "« EFFECTIF », « POUR »"
    assert findings[0].value == "EFFECTIF=30 ; POUR=25 ; CONTRE="


def test_cohesive_columns_count_an_unreadable_cell_as_empty(tmp_path):
    """As in the reference validator, which hands the check the typed value (null here)."""
    schema = schema_with(VOTES, COHESIVE)
    findings = check_file(tmp_path, schema, csv("EFFECTIF,POUR,CONTRE", "trente,25,5"))
    assert located(findings) == [("CUSTOM-COHESIVE", 2, "EFFECTIF")]


def test_cohesive_columns_some_absent_is_one_table_finding_all_absent_is_skipped(tmp_path):
    schema = schema_with(VOTES, COHESIVE)
    findings = check_file(tmp_path, schema, csv("EFFECTIF,POUR", "30,25"))
    assert located(findings) == [("CUSTOM-COHESIVE-COLUMNS", None, None)]
    assert findings[0].params["missing"] == "« CONTRE »"
    assert check_file(tmp_path, schema, csv("autre", "x")) == []


# compare-columns-value -------------------------------------------------------------------------


def compare(op: str, first: str = "a", second: str = "b") -> tuple[str, dict[str, Any]]:
    return ("compare-columns-value", {"column": first, "op": op, "column2": second})


@pytest.mark.parametrize(
    ("op", "failing_rows"),
    [(">=", [4]), (">", [3, 4]), ("==", [2, 4]), ("<=", [2]), ("<", [2, 3])],
)
def test_compare_integers_with_each_operator(tmp_path, op, failing_rows):
    schema = schema_with({"a": "integer", "b": "integer"}, compare(op))
    lines = ["a,b", "10,9", "7,7", "8,12"]
    findings = check_file(tmp_path, schema, csv(*lines))
    assert located(findings) == [("CUSTOM-COMPARE", row, "a") for row in failing_rows]


def test_compare_dates_chronologically_and_explains_the_relation(tmp_path):
    schema = schema_with(
        {"PREF_DATE": "date", "DELIB_DATE": "date"}, compare(">=", "PREF_DATE", "DELIB_DATE")
    )
    lines = ["PREF_DATE,DELIB_DATE", "2025-03-20,2025-03-12", "2025-02-28,2025-03-12"]
    findings = check_file(tmp_path, schema, csv(*lines))
    assert located(findings) == [("CUSTOM-COMPARE", 3, "PREF_DATE")]
    assert findings[0].message == (
        "« PREF_DATE » (2025-02-28) devrait être supérieure ou égale à « DELIB_DATE » (2025-03-12)."
    )


def test_compare_texts_lexically_but_numeric_texts_as_numbers(tmp_path):
    schema = schema_with({"a": "string", "b": "string"}, compare(">"))
    lines = ["a,b", "10,9", "b,a", "a,b", "10,b"]
    findings = check_file(tmp_path, schema, csv(*lines))
    # 10 > 9 as numbers; "b" > "a"; "a" > "b" is false; "10" > "b" is false lexically
    assert located(findings) == [("CUSTOM-COMPARE", 4, "a"), ("CUSTOM-COMPARE", 5, "a")]


def test_compare_a_number_with_a_text_cannot_be_done(tmp_path):
    schema = schema_with({"a": "integer", "b": "string"}, compare(">="))
    findings = check_file(tmp_path, schema, csv("a,b", "12,abc", "12,3"))
    assert located(findings) == [("CUSTOM-COMPARE-TYPES", 2, "a")]


def test_compare_skips_empty_and_unreadable_cells_and_absent_columns(tmp_path):
    schema = schema_with({"a": "integer", "b": "integer"}, compare(">="))
    assert check_file(tmp_path, schema, csv("a,b", ",5", "3,", "trois,5")) == []
    assert check_file(tmp_path, schema, csv("a", "1")) == []


def test_compare_with_an_unknown_operator_is_one_schema_finding(tmp_path):
    schema = schema_with({"a": "integer", "b": "integer"}, compare("=>"))
    findings = check_file(tmp_path, schema, csv("a,b", "1,2", "3,4"))
    assert located(findings) == [("SCHEMA-CUSTOM-PARAMS", None, None)]
    assert "opérateur « => » inconnu" in findings[0].message


# sum-columns-value -----------------------------------------------------------------------------

SUM = ("sum-columns-value", {"column": "REEL", "columns": ["POUR", "CONTRE", "ABSTENTION"]})
SUM_FIELDS = {"REEL": "integer", "POUR": "integer", "CONTRE": "integer", "ABSTENTION": "integer"}


def test_sum_columns_pass_and_fail(tmp_path):
    schema = schema_with(SUM_FIELDS, SUM)
    lines = ["REEL,POUR,CONTRE,ABSTENTION", "28,25,2,1", "29,25,2,1", "100,90,10,0"]
    findings = check_file(tmp_path, schema, csv(*lines))
    assert located(findings) == [("CUSTOM-SUM", 3, "REEL")]
    assert findings[0].message == (
        "« REEL » vaut 29 alors que « POUR » (25) + « CONTRE » (2) + « ABSTENTION » (1) font "
        "ensemble 28."
    )


def test_sum_columns_skip_rows_with_an_empty_cell_and_absent_columns(tmp_path):
    schema = schema_with(SUM_FIELDS, SUM)
    assert check_file(tmp_path, schema, csv("REEL,POUR,CONTRE,ABSTENTION", "29,25,2,")) == []
    assert check_file(tmp_path, schema, csv("REEL,POUR,CONTRE", "29,25,2")) == []


def test_sum_of_decimal_numbers_is_exact(tmp_path):
    schema = schema_with(
        {"t": "number", "a": "number", "b": "number"},
        ("sum-columns-value", {"column": "t", "columns": ["a", "b"]}),
    )
    findings = check_file(tmp_path, schema, csv("t,a,b", "0.3,0.1,0.2", "0.35,0.1,0.2"))
    assert located(findings) == [("CUSTOM-SUM", 3, "t")]
    assert findings[0].params["total"] == "0.3"


# year-interval-value ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("allow", "value", "reason"),
    [
        ("yes", "2026", None),
        ("true", "2026", None),
        ("yes", "2025/2026", None),
        ("yes", "2020/2026", None),
        ("yes", "2026/2026", "les deux années sont identiques"),
        ("yes", "2026/2025", "la seconde année précède la première"),
        ("yes", "2025-2026", "format non reconnu"),
        ("yes", "26", "format non reconnu"),
        ("yes", "2025 / 2026", "format non reconnu"),
        ("no", "2026", "format non reconnu"),
        (None, "2026", "format non reconnu"),
        (None, "2025/2026", None),
    ],
)
def test_year_interval(tmp_path, allow, value, reason):
    params = {"column": "BUDGET_ANNEE"} | ({"allow-year-only": allow} if allow else {})
    schema = schema_with({"BUDGET_ANNEE": "string"}, ("year-interval-value", params))
    findings = check_file(tmp_path, schema, csv("BUDGET_ANNEE", value, ""))
    assert [f.params["reason"] for f in findings] == ([reason] if reason else [])
    if findings:
        expected = "une année (AAAA) ou une période" if allow in ("yes", "true") else "une période"
        assert expected in findings[0].message


def test_year_interval_with_a_non_text_option_is_a_schema_finding(tmp_path):
    params = {"column": "BUDGET_ANNEE", "allow-year-only": True}
    schema = schema_with({"BUDGET_ANNEE": "string"}, ("year-interval-value", params))
    findings = check_file(tmp_path, schema, csv("BUDGET_ANNEE", "2026"))
    assert located(findings) == [("SCHEMA-CUSTOM-PARAMS", None, None)]


# nomenclature-actes-value ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Urbanisme/Droit d'occupation des sols", None),
        ("URBANISME/PERMIS", None),
        ("Libertes publiques et pouvoirs de police/Police municipale", None),
        ("domaines de COMPÉTENCES par thèmes/Culture", None),
        ("Finances locales/Décisions budgétaires/Subventions", None),
        ("Commande publique/", None),
        ("COMMANDE PUBLIQUE", "barre oblique « / » absente"),
        ("Urbanismex", "barre oblique « / » absente"),
        ("Urbanisme /Permis", "pas d'espace avant ni après la barre oblique"),
        ("Urbanisme/ Permis", "pas d'espace avant ni après la barre oblique"),
        ("Voirie/ Entretien", "pas d'espace avant ni après la barre oblique"),
        ("Voirie/Entretien", "famille « Voirie » inconnue"),
        (" Urbanisme/Permis", "espace en trop au début de la cellule"),
    ],
)
def test_nomenclature_actes(tmp_path, value, reason):
    schema = schema_with(
        {"DELIB_MATIERE_NOM": "string"},
        ("nomenclature-actes-value", {"column": "DELIB_MATIERE_NOM"}),
    )
    findings = check_file(tmp_path, schema, csv("DELIB_MATIERE_NOM", quote(value)))
    assert [(f.code, f.params["reason"]) for f in findings] == (
        [("FR-ACTES", reason)] if reason else []
    )


# opening-hours-value ---------------------------------------------------------------------------


def test_opening_hours_parsed_once_per_distinct_value_and_reported_on_every_row(tmp_path):
    schema = schema_with({"horaires": "string"}, ("opening-hours-value", {"column": "horaires"}))
    cells = [
        "Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00",
        "24/7",
        "Lundi-Vendredi 8h30-17h",
        "Tu,Th 14:00-18:00; PH off",
        "",
        "Lundi-Vendredi 8h30-17h",
        "Mo-Fr 08:30-12:00 13:30-17:00",
    ]
    findings = check_file(tmp_path, schema, csv("horaires", *map(quote, cells)))
    assert located(findings) == [
        ("CUSTOM-OPENING-HOURS", 4, "horaires"),
        ("CUSTOM-OPENING-HOURS", 7, "horaires"),
        ("CUSTOM-OPENING-HOURS", 8, "horaires"),
    ]


# phone-number-value ----------------------------------------------------------------------------

VALID_PHONES = [
    "05 56 00 00 00",
    "0556000000",
    "05.56.00.00.00",
    "+33 5 56 00 00 00",
    "0033556000000",
    "06 12 34 56 78",
    "3939",
    "115",
    "+1 650 253 0000",
    "+44 20 7946 0958",
]
INVALID_PHONES = ["0556", "05 56 00 00 0", "bonjour", "05 56 00 00 00 / 06 12 34 56 78"]


def test_phone_numbers_french_short_and_international(tmp_path):
    schema = schema_with({"tel": "string"}, ("phone-number-value", {"column": "tel"}))
    cells = VALID_PHONES + INVALID_PHONES
    findings = check_file(tmp_path, schema, csv("tel", *cells))
    rows = [f.location.row for f in findings]
    assert rows == [cells.index(c) + 2 for c in INVALID_PHONES]
    for cell in VALID_PHONES:  # phonenumbers itself, as oracle
        number = phonenumbers.parse(cell, "FR")
        assert phonenumbers.is_valid_number(number) or phonenumbers.is_valid_short_number(number)


# french-gps-coordinates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "cells"),
    [
        ("array", ["[-0.58, 44.84]", "[44.84, -0.58]", "[-74.0, 40.7]", "[55.45, -20.9]"]),
        ("default", ["-0.58, 44.84", "44.84,-0.58", "-74.0,40.7", "55.45, -20.9"]),
        (
            "object",
            [
                '{"lon": -0.58, "lat": 44.84}',
                '{"lon": 44.84, "lat": -0.58}',
                '{"lon": -74.0, "lat": 40.7}',
                '{"lat": -20.9, "lon": 55.45}',
            ],
        ),
    ],
)
def test_french_gps_coordinates(tmp_path, fmt, cells):
    """Bordeaux, Bordeaux reversed, New York, La Réunion."""
    schema = {
        "fields": [{"name": "xy", "type": "geopoint", "format": fmt}],
        "custom_checks": [{"name": "french-gps-coordinates", "params": {"column": "xy"}}],
    }
    findings = check_file(tmp_path, schema, csv("xy", *map(quote, cells)))
    assert located(findings) == [("FR-GPS-REVERSED", 3, "xy"), ("FR-GPS", 4, "xy")]


def test_french_gps_skips_unreadable_points(tmp_path):
    schema = {
        "fields": [{"name": "xy", "type": "geopoint", "format": "array"}],
        "custom_checks": [{"name": "french-gps-coordinates", "params": {"column": "xy"}}],
    }
    assert check_file(tmp_path, schema, csv("xy", '"[200, 44]"', "n/a", "")) == []


def test_official_irve_example_is_in_france(tmp_path):
    """IRVE declared french-gps-coordinates on coordonneesXY before 2.3; its example still
    passes it."""
    schema = json.loads(reference("irve/statique/schema-statique.json").read_text("utf-8"))
    schema["custom_checks"] = [
        {"name": "french-gps-coordinates", "params": {"column": "coordonneesXY"}}
    ]
    schema_path = tmp_path / "schema.json"
    schema_path.write_text(json.dumps(schema), "utf-8")
    example = reference("irve/statique/exemple-valide-statique.csv")
    assert check_path(schema_path, example) == []


# Declarations and official examples ------------------------------------------------------------


def test_unknown_check_is_a_warning_and_known_ones_are_not_reported(tmp_path):
    schema = schema_with(
        {"cp": "string", "id": "string"},
        ("code-postal", {"column": "cp"}),
        ("siret", {"column": "id"}),
    )
    findings = check_file(tmp_path, schema, csv("cp,id", "33130,21330039500109"))
    assert [(f.code, f.severity) for f in findings] == [
        ("SCHEMA-CUSTOM-UNCHECKED", Severity.WARNING)
    ]
    assert "« code-postal » (column=cp)" in findings[0].message


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"name": "french-siret-value", "params": {}}, "paramètre « column » absent"),
        ({"name": "french-siret-value"}, "paramètre « column » absent"),
        (
            {"name": "cohesive-columns-value", "params": {"column": "a", "othercolumns": "b"}},
            "« othercolumns » doit être une liste de noms de colonnes",
        ),
        ({"params": {"column": "a"}}, "entrée sans nom de contrôle (« name »)"),
        ("french-siret-value", "entrée sans nom de contrôle (« name »)"),
    ],
)
def test_unusable_declarations_are_one_schema_finding_each(tmp_path, entry, reason):
    schema = {"fields": [{"name": "a", "type": "string"}], "custom_checks": [entry]}
    findings = check_file(tmp_path, schema, csv("a", "x", "y"))
    assert [(f.code, f.params["reason"]) for f in findings] == [("SCHEMA-CUSTOM-PARAMS", reason)]
    assert findings[0].severity is Severity.ERROR


def test_a_date_format_that_cannot_be_read_is_a_schema_finding_not_a_crash(tmp_path):
    schema = schema_with({"a": "date", "b": "date"}, compare(">="))
    schema["fields"][0]["format"] = "%Y-%m-%dT%H"
    findings = check_file(tmp_path, schema, csv("a,b", "2025-01-01T10,2025-01-01"))
    assert [(f.code, f.params["reason"]) for f in findings] == [
        ("SCHEMA-CUSTOM-PARAMS", "le format déclaré d'une de ses colonnes ne peut pas être lu")
    ]


@pytest.mark.parametrize(
    ("schema", "example"),
    [
        ("subventions/schema.json", "subventions/exemples/exemple_valide.csv"),
        ("stationnement/schema.json", "stationnement/exemple-valide.csv"),
        ("catalogue-etalab/schema.json", "catalogue-etalab/exemple-valide.csv"),
    ],
)
def test_official_valid_examples_have_no_custom_finding(schema, example):
    schema_path = reference(schema)
    assert json.loads(schema_path.read_text("utf-8"))["custom_checks"]
    assert check_path(schema_path, reference(example)) == []


def test_official_invalid_subventions_example_against_stdnum_and_the_csv_module():
    """The official invalid example uses made-up SIRETs: every cell python-stdnum rejects is a
    finding, and so is every row with neither a SIRET nor an RNA number."""
    example = reference("subventions/exemples/exemple_invalide_erreurs_cellules.csv")
    findings = check_path(reference("subventions/schema.json"), example)
    with example.open(encoding="utf-8", newline="") as lines:
        rows = list(stdlib_csv.DictReader(lines))
    expected = [
        ("FR-SIRET", row, column)
        for row, cells in enumerate(rows, start=2)
        for column in ("idAttribuant", "idBeneficiaire")
        if cells[column] and not siret.is_valid(cells[column])
    ] + [
        ("CUSTOM-ONE-OF-REQUIRED", row, "idBeneficiaire")
        for row, cells in enumerate(rows, start=2)
        if not cells["idBeneficiaire"] and not cells["rnaBeneficiaire"]
    ]
    assert sorted(located(findings)) == sorted(expected)
    assert Counter(code for code, _, _ in expected) == {"FR-SIRET": 49, "CUSTOM-ONE-OF-REQUIRED": 1}


def test_deliberations_of_a_real_metropole(corpus):
    """Saint-Étienne Métropole's délibérations: votes that do not add up, matières without the
    ACTES family, budget years without a budget name."""
    findings = check_path(
        reference("deliberations/schema.json"),
        corpus / "deliberations" / "saint-etienne-metropole_deliberations_extra-col.csv",
    )
    counts = Counter(f.code for f in findings)
    assert set(counts) == {"CUSTOM-SUM", "CUSTOM-COMPARE", "FR-ACTES", "CUSTOM-COHESIVE"}
    first_sum = next(f for f in findings if f.code == "CUSTOM-SUM")
    assert (first_sum.location.row, first_sum.location.column) == (2, "VOTE_REEL")
    assert first_sum.params["total"] == "105" and first_sum.params["found"] == "89"


# Through the whole validation ------------------------------------------------------------------


def test_subvention_without_siret_nor_rna_blocks_the_dataset(mini_repo):
    cells = dict(zip(SUBVENTIONS_HEADER.split(";"), GOOD_ROW.split(";"), strict=True))
    cells["rnaBeneficiaire"] = ""
    mini_repo.dataset("jeu", [";".join(cells.values()), GOOD_ROW])
    federation = load_federation(mini_repo.root)
    validation = validate_federation(
        federation, SchemaRegistry.load(federation.schemas_dir), today=date(2026, 11, 23)
    )
    assert [
        (f.code, f.location.row, f.location.column, f.severity.label) for f in validation.findings
    ] == [("CUSTOM-ONE-OF-REQUIRED", 2, "idBeneficiaire", "bloquant")]
