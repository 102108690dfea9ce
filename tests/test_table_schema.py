"""Table Schema semantics: header matching (fieldsMatch), spreadsheet habits, categories,
foreign keys, JSON Schema (DECP), `publisher fix`, and agreement with frictionless."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GOOD_ROW, REPO, SUBVENTIONS_HEADER
from oracle import (
    CORPUS_SCHEMAS,
    EVERY_FINDING,
    frictionless_cells,
    frictionless_cells_by_name,
    our_cells,
)
from publisher import SchemaRegistry
from publisher.cli import main
from publisher.findings import Location
from publisher.read import read_resource
from publisher.schemas import SharedSchema
from publisher.validation import check_file

REGISTRY = SchemaRegistry.load(REPO / "schemas")


def inline_schema(tmp_path: Path, schema: dict) -> SharedSchema:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema), "utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return SharedSchema("essai/tableau", "1.0.0", "Essai", "table-schema", "", "", "", digest, path)


def check_text(tmp_path: Path, text: str, schema: SharedSchema, name: str = "f.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return check_file(path, schema).findings


def codes_of(findings, *, info: bool = False) -> list[str]:
    return [f.code for f in findings if info or f.severity.value != "info"]


SMALL = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "nom", "type": "string"},
        {"name": "montant", "type": "number"},
    ]
}


def with_match(mode: str) -> dict:
    return {**SMALL, "fieldsMatch": mode}


# --- header ------------------------------------------------------------------------------------


def test_columns_out_of_order_are_one_finding_and_cells_are_checked_by_name(tmp_path):
    schema = inline_schema(tmp_path, SMALL)
    findings = check_text(tmp_path, "nom,montant,id\nA,12.5,1\nB,douze,2\n", schema)
    assert codes_of(findings) == ["FMT-COLUMN-ORDER", "SCHEMA-TYPE"]
    order = findings[0]
    assert "position 1" in order.message and "« id »" in order.message
    bad = findings[1]
    assert (bad.location.row, bad.location.column) == (3, "montant")


def test_duplicate_blank_missing_extra_and_misspelt_headers(tmp_path):
    schema = inline_schema(tmp_path, SMALL)
    findings = check_text(tmp_path, "ID,nom,nom,,remarque\n1,A,A,,x\n", schema)
    by_code = {f.code: f for f in findings}
    assert set(codes_of(findings)) == {
        "FMT-HEADER-LABEL",
        "FMT-HEADER-DUPLICATE",
        "FMT-HEADER-BLANK",
        "FMT-COLUMN-EXTRA",
        "FMT-COLUMN-MISSING",
    }
    assert "« ID »" in by_code["FMT-HEADER-LABEL"].message
    assert "2 et 3" in by_code["FMT-HEADER-DUPLICATE"].message
    assert by_code["FMT-COLUMN-MISSING"].location.column == "montant"
    assert "position 4" in by_code["FMT-HEADER-BLANK"].message


@pytest.mark.parametrize(
    "mode,text,expected",
    [
        ("exact", "id,nom,montant\n1,A,2\n", []),
        ("equal", "montant,id,nom\n2,1,A\n", []),
        ("equal", "montant,id\n2,1\n", ["FMT-COLUMN-MISSING"]),
        ("subset", "id,nom,montant,autre\n1,A,2,x\n", []),
        ("subset", "id,nom\n1,A\n", ["FMT-COLUMN-MISSING"]),
        ("superset", "nom,id\nA,1\n", []),
        ("superset", "id,autre\n1,x\n", ["FMT-COLUMN-EXTRA"]),
        ("partial", "id,autre\n1,x\n", []),
        ("partial", "autre\nx\n", ["FMT-COLUMN-MISSING"] * 3),
    ],
)
def test_fields_match_modes(tmp_path, mode, text, expected):
    schema = inline_schema(tmp_path, with_match(mode))
    assert codes_of(check_text(tmp_path, text, schema)) == expected


def test_ragged_rows_are_named_with_their_line(tmp_path):
    schema = inline_schema(tmp_path, SMALL)
    findings = check_text(tmp_path, "id,nom,montant\n1,A,2\n2,B\n3,C,4,5\n", schema)
    shape = [(f.code, f.location.row) for f in findings if f.code == "FMT-ROW-SHAPE"]
    assert shape == [("FMT-ROW-SHAPE", 3), ("FMT-ROW-SHAPE", 4)]


# --- categories and keys -----------------------------------------------------------------------


def test_categories_which_frictionless_ignores(tmp_path):
    schema = inline_schema(
        tmp_path,
        {
            "fields": [
                {"name": "etat", "type": "string", "categories": ["bon", "moyen", "mauvais"]},
                {
                    "name": "niveau",
                    "type": "integer",
                    "categories": [{"value": 1, "label": "bas"}, {"value": 2, "label": "haut"}],
                },
            ]
        },
    )
    findings = check_text(tmp_path, "etat,niveau\nbon,1\nexcellent,2\nmoyen,3\n,1\n", schema)
    found = [(f.code, f.location.row, f.location.column) for f in findings]
    assert found == [("SCHEMA-CATEGORY", 3, "etat"), ("SCHEMA-CATEGORY", 4, "niveau")]
    assert "« bon »" in findings[0].message


def test_missing_values_count_as_empty_for_required_and_categories(tmp_path):
    schema = inline_schema(
        tmp_path,
        {
            "missingValues": ["", "NA"],
            "fields": [
                {"name": "id", "type": "integer", "constraints": {"required": True}},
                {"name": "etat", "type": "string", "categories": ["bon", "mauvais"]},
            ],
        },
    )
    findings = check_text(tmp_path, "id,etat\nNA,bon\n2,NA\n3,\n", schema)
    assert [(f.code, f.location.row) for f in findings] == [("SCHEMA-REQUIRED", 2)]


def test_primary_key_duplicates_match_frictionless(tmp_path):
    schema = inline_schema(tmp_path, {**SMALL, "primaryKey": ["id"]})
    findings = check_text(tmp_path, "id,nom,montant\n1,A,2\n1,B,3\n", schema)
    assert [(f.code, f.location.row) for f in findings] == [("SCHEMA-UNIQUE", 3)]


def test_foreign_keys_between_resources_of_a_dataset(mini_repo):
    resources = [
        {"name": "equipements", "path": "equipements.csv", "format": "csv"},
        {
            "name": "horaires",
            "path": "horaires.csv",
            "format": "csv",
            "foreignKeys": [
                {"fields": "equipement", "reference": {"resource": "equipements", "fields": "id"}}
            ],
        },
    ]
    folder = mini_repo.dataset("jeu", resources=resources)
    (folder / "equipements.csv").write_text("id,nom\nE1,Piscine\nE2,Stade\n", "utf-8")
    (folder / "horaires.csv").write_text("equipement,jour\nE1,lundi\nE9,mardi\n,jeudi\n", "utf-8")
    from test_checks import run

    found = [f for f in run(mini_repo).findings if f.code.startswith("SCHEMA-")]
    assert [(f.code, f.location.resource, f.location.row) for f in found] == [
        ("SCHEMA-FOREIGN-KEY", "horaires", 3)
    ]
    assert "« equipements »" in found[0].message


def test_foreign_key_towards_an_unknown_resource_is_said(mini_repo):
    resources = [
        {
            "name": "horaires",
            "path": "donnees.csv",
            "format": "csv",
            "foreignKeys": [{"fields": "objet", "reference": {"resource": "x", "fields": "id"}}],
        }
    ]
    mini_repo.dataset("jeu", resources=resources)
    from test_checks import run

    other = [f for f in run(mini_repo).findings if f.code == "SCHEMA-OTHER"]
    assert len(other) == 1 and "« x »" in other[0].message


# --- JSON Schema (DECP) ------------------------------------------------------------------------

DECP = REGISTRY.resolve("format-commande-publique@2.0.2")


def test_official_decp_examples_are_valid():
    assert len(DECP.examples) == 4
    for example in DECP.examples:
        assert check_file(example.path, DECP).findings == (), example.file


def test_broken_decp_document_names_the_key(tmp_path):
    example = next(e for e in DECP.examples if e.file == "marches_concessions.json")
    document = json.loads(example.path.read_text("utf-8"))
    contract = document["marches"]["marche"][0]
    contract.pop("id")
    contract["montant"] = "12 500 €"
    path = tmp_path / "decp.json"
    path.write_text(json.dumps(document), "utf-8")
    findings = check_file(path, DECP).findings
    assert findings and {f.code for f in findings} == {"SCHEMA-JSON"}
    keys = [f.location.key for f in findings]
    assert any(key and key.startswith("marches.marche[0]") for key in keys)
    assert all("document JSON" in f.message for f in findings)


def test_json_file_against_a_table_schema_is_not_tabular(tmp_path):
    path = tmp_path / "f.json"
    path.write_text("[]", "utf-8")
    found = check_file(path, REGISTRY.resolve("subventions")).findings
    assert [f.code for f in found] == ["SCHEMA-NOT-TABULAR"]


# --- official examples -------------------------------------------------------------------------

TABULAR_EXAMPLES = [
    pytest.param(schema, example, id=f"{schema.ref}:{example.file}")
    for schema in REGISTRY
    if schema.is_tabular
    for example in schema.examples
]


@pytest.mark.parametrize("schema,example", TABULAR_EXAMPLES)
def test_official_examples_agree_with_frictionless(schema, example):
    """Valid examples: no file-format or schema finding; invalid ones: at least one. Cell
    findings equal frictionless' with columns matched by name (as ours are); rows of the wrong
    shape and the presence of header problems equal frictionless' own."""
    findings = check_file(example.path, schema).findings
    table = read_resource(example.path, "csv", None, Location()).table
    _, rows, labels = frictionless_cells(table.data, schema.descriptor, table.delimiter)
    ours, our_rows = our_cells(findings)
    assert ours == frictionless_cells_by_name(table, schema.descriptor)
    assert our_rows == rows
    header = [f for f in findings if f.code.startswith(("FMT-COLUMN", "FMT-HEADER"))]
    assert bool(header) == bool(labels)
    blocking = [f for f in findings if f.blocking and f.code.startswith(("FMT-", "SCHEMA-"))]
    assert bool(blocking) == (not example.valid)


def test_examples_are_vendored_byte_for_byte():
    for schema in REGISTRY:
        for example in schema.examples:
            digest = hashlib.sha256(example.path.read_bytes()).hexdigest()
            assert digest == example.sha256, example.path


# --- the corpus --------------------------------------------------------------------------------



def corpus_schema(relative: str) -> SharedSchema | None:
    for prefix, name in CORPUS_SCHEMAS.items():
        if relative.startswith(prefix):
            return REGISTRY.resolve(name)
    return None


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "SOURCES.md")


def test_every_corpus_file_is_checked_without_a_traceback(corpus):
    for path in corpus_files(corpus):
        relative = path.relative_to(corpus).as_posix()
        schema = corpus_schema(relative)
        findings = check_file(path, schema).findings
        for finding in findings:
            assert finding.message and finding.hint, (relative, finding.code)


def test_corpus_cells_agree_with_frictionless(corpus):
    """On every CSV of the corpus, our cell findings equal frictionless' on the same decoded
    text, with its columns matched by name as ours are (Detector(schema_sync=True))."""
    compared = 0
    for path in corpus_files(corpus):
        relative = path.relative_to(corpus).as_posix()
        schema = corpus_schema(relative)
        if schema is None or not schema.is_tabular or path.suffix != ".csv":
            continue
        table = read_resource(path, "csv", None, Location()).table
        if table is None:
            continue
        findings = check_file(path, schema, cap=EVERY_FINDING).findings
        ours, _ = our_cells(findings)
        expected = frictionless_cells_by_name(table, schema.descriptor)
        assert ours == expected, relative
        compared += 1
    assert compared >= 20


# --- publisher fix -----------------------------------------------------------------------------


def test_fix_writes_a_corrected_copy_and_never_touches_the_original(tmp_path):
    header = SUBVENTIONS_HEADER.split(";")
    order = [header[8], *header[:8], *header[9:]]  # montant first: out of order
    cells = dict(zip(header, GOOD_ROW.split(";"), strict=True))
    cells.update(montant="24 500,50", dateConvention="11/02/2025", objet="  Fonctionnement ")
    lines = [";".join(order), ";".join(cells[name] for name in order)]
    original = tmp_path / "subventions.csv"
    original.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    before = original.read_bytes()
    result = CliRunner().invoke(
        main, ["fix", str(original), "--schema", "subventions", "--repo", str(REPO)]
    )
    assert result.exit_code == 0, result.output
    assert original.read_bytes() == before
    copy = tmp_path / "subventions-corrige.csv"
    assert "montant : 1 séparateur(s) de milliers retiré(s)" in result.output
    assert "dateConvention : 1 date(s) JJ/MM/AAAA → AAAA-MM-JJ" in result.output
    assert "colonnes remises dans l'ordre du schéma" in result.output
    text = copy.read_text("utf-8")
    assert text.splitlines()[0] == ",".join(header)
    assert "24500.50" in text and "2025-02-11" in text and ",Fonctionnement," in text
    checked = check_file(copy, REGISTRY.resolve("subventions")).findings
    assert [f.code for f in checked if f.severity.value != "info"] == []


def test_fix_leaves_ambiguous_values_alone(tmp_path):
    schema = inline_schema(
        tmp_path, {"fields": [{"name": "d", "type": "date"}, {"name": "n", "type": "number"}]}
    )
    path = tmp_path / "f.csv"
    path.write_text("d,n\n03/04/2025,1.500\n04/13/2025,2\n", "utf-8")
    from publisher.fix import fix_table

    result = fix_table(path, schema)
    assert result.data.decode().splitlines()[1:] == ["03/04/2025,1.500", "04/13/2025,2"]
    assert any("ambigus" in change for change in result.changes)


def test_fix_refuses_ragged_rows_rather_than_lose_values(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("id,nom,montant\n1,A,25 000,00\n", "utf-8")
    result = CliRunner().invoke(
        main, ["fix", str(path), "--schema", "subventions", "--repo", str(REPO)]
    )
    assert result.exit_code == 2
    assert "lignes 2" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "f-corrige.csv").exists()


def test_schemas_show_describes_in_french():
    result = CliRunner().invoke(main, ["schemas", "show", "deliberations", "--repo", str(REPO)])
    assert result.exit_code == 0, result.output
    assert "scdl/deliberations@2.1.5" in result.output
    assert "obligatoire" in result.output and "compare-columns-value" in result.output


def test_every_schema_the_issue_names_is_vendored():
    names = {schema.name for schema in REGISTRY}
    assert {
        "scdl/subventions",
        "scdl/deliberations",
        "scdl/equipements",
        "scdl/catalogue",
        "scdl/budget",
        "139bercy/format-commande-publique",
        "etalab/schema-hautes-remunerations",
        "etalab/schema-stationnement",
        "etalab/schema-irve-statique",
        "NaturalSolutions/schema-arbre",
        "scdl/prenoms",
    } <= names


def test_utf16_file_is_decoded_and_flagged(tmp_path):
    schema = inline_schema(tmp_path, SMALL)
    path = tmp_path / "f.csv"
    path.write_bytes("id,nom,montant\n1,Étang,2\n".encode("utf-16"))
    findings = check_file(path, schema).findings
    assert [f.code for f in findings] == ["FMT-ENCODING"]
    assert "UTF-16" in findings[0].message


INVALID_EXAMPLES = {
    ("etalab/schema-stationnement", "exemple-invalide.csv"): {"SCHEMA-CONSTRAINT": 2},
    ("scdl/prenoms", "prenoms-nouveaux-nes_exemple-invalide.csv"): {"SCHEMA-CONSTRAINT": 7},
    ("scdl/subventions", "exemple_invalide_erreurs_cellules.csv"): {
        "FMT-COLUMN-MISSING": 1,
        "FMT-DATE-FR": 1,
        "FMT-DECIMAL-COMMA": 2,
        "SCHEMA-CONSTRAINT": 9,
        "SCHEMA-REQUIRED": 1,
        "SCHEMA-TYPE": 2,
    },
    ("scdl/subventions", "exemple_invalide_erreurs_colonnes.csv"): {
        "FMT-COLUMN-MISSING": 1,
        "FMT-COLUMN-ORDER": 1,
        "FMT-HEADER-LABEL": 1,
        "FMT-DATE-FR": 1,
        "FMT-DECIMAL-COMMA": 2,
        "SCHEMA-CONSTRAINT": 9,
        "SCHEMA-REQUIRED": 1,
        "SCHEMA-TYPE": 2,
    },
    ("scdl/subventions", "exemple-duplicate-column.csv"): {
        "FMT-COLUMN-MISSING": 2,
        "FMT-ENCODING": 1,
        "FMT-HEADER-DUPLICATE": 1,
    },
}


@pytest.mark.parametrize("schema_name,file", list(INVALID_EXAMPLES))
def test_official_invalid_examples_give_the_expected_errors(schema_name, file):
    """Counts as published with the examples (SOURCES of the reference schemas): e.g. the
    subventions cell example has 10 constraint, 5 type and 1 missing-label errors."""
    schema = REGISTRY.resolve(schema_name)
    example = next(e for e in schema.examples if e.file == file)
    findings = check_file(example.path, schema).findings
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.code.startswith(("FMT-", "SCHEMA-")) and finding.severity.value != "info":
            counts[finding.code] = counts.get(finding.code, 0) + 1
    assert counts == INVALID_EXAMPLES[(schema_name, file)]
    assert len(INVALID_EXAMPLES) == sum(not e.valid for s in REGISTRY for e in s.examples)


# Mistakes in the schemas' own field examples, kept as found upstream.
UPSTREAM_EXAMPLE_MISTAKES = {
    "etalab/schema-stationnement": {("FR-SIRET", "num_siret")},
    "scdl/deliberations": {("CUSTOM-COMPARE", "PREF_DATE"), ("FR-ACTES", "DELIB_MATIERE_NOM")},
}


@pytest.mark.parametrize(
    "schema",
    [
        pytest.param(s, id=s.ref)
        for s in REGISTRY
        if s.is_tabular and all("example" in f for f in s.descriptor["fields"])
    ],
)
def test_a_row_of_each_schemas_field_examples_is_valid(tmp_path, schema):
    """Schemas without official example files (délibérations, équipements, catalogue…) are
    still checked end to end: one row made of each field's `example` passes, but for the
    upstream mistakes listed above."""
    fields = schema.descriptor["fields"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f["name"] for f in fields])
    writer.writerow([str(f["example"]) for f in fields])
    path = tmp_path / "exemple.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    found = {
        (f.code, f.location.column)
        for f in check_file(path, schema).findings
        if f.blocking and not f.code.startswith("PRIV-")
    }
    assert found == UPSTREAM_EXAMPLE_MISTAKES.get(schema.name, set())
