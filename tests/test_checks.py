"""Check families: schema (against frictionless), French identifiers, legal.

The privacy family has its own tests in tests/privacy/.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from conftest import GOOD_ROW, SUBVENTIONS_HEADER
from oracle import frictionless_cells, our_cells
from publisher import SchemaRegistry, load_federation, validate_federation
from publisher.checks import FAMILIES, families
from publisher.codes import CODES
from publisher.codes import publishing as publishing_codes


def run(repo, today=date(2026, 11, 23)):
    federation = load_federation(repo.root)
    return validate_federation(federation, SchemaRegistry.load(federation.schemas_dir), today=today)


def flatten(validation, *codes):
    """Findings that ask for action (info ones, such as unchecked custom checks, left out)."""
    return [
        (f.code, f.location.row, f.location.column)
        for f in validation.findings
        if (not codes or f.code in codes) and f.severity.value != "info"
    ]


def row(**changes):
    cells = dict(zip(SUBVENTIONS_HEADER.split(";"), GOOD_ROW.split(";"), strict=True))
    cells.update(changes)
    return ";".join(cells.values())


def test_every_code_a_family_declares_is_catalogued():
    families()
    declared = {code for family in FAMILIES.values() for code in family.codes}
    published = {code.code for code in publishing_codes.CODES}  # emitted by publishing, not checks
    assert declared <= set(CODES)
    assert set(CODES) - declared == published


def test_clean_dataset_has_no_finding(mini_repo):
    mini_repo.dataset("jeu")
    assert run(mini_repo).findings == ()


def test_schema_findings_match_frictionless(mini_repo):
    rows = [
        row(dateConvention="12/03/2025"),
        row(montant="24 500,50"),
        row(nature="subvention"),
        row(objet=""),
        row(notificationUE="peut-être"),
        row(pourcentageSubvention="1.5"),
        row(montant="1500,5"),
        GOOD_ROW,
    ]
    folder = mini_repo.dataset("jeu", rows)
    validation = run(mini_repo)
    schema = SchemaRegistry.load(mini_repo.root / "schemas").resolve("subventions").descriptor
    expected, _, _ = frictionless_cells((folder / "donnees.csv").read_bytes(), schema, ";")
    ours, _ = our_cells(validation.findings)
    assert ours == expected
    assert len(ours) == 7
    codes = {code for code, _, _ in flatten(validation)}
    assert {"SCHEMA-TYPE", "SCHEMA-CONSTRAINT", "SCHEMA-REQUIRED"} <= codes
    assert {"FMT-DATE-FR", "FMT-THOUSANDS", "FMT-DECIMAL-COMMA"} <= codes
    date_finding = next(f for f in validation.findings if f.location.column == "dateConvention")
    assert (date_finding.code, date_finding.location.row) == ("FMT-DATE-FR", 2)
    assert date_finding.value == "12/03/2025"
    assert "AAAA-MM-JJ" in date_finding.hint


def test_header_problems_are_named(mini_repo):
    header = SUBVENTIONS_HEADER.replace("montant", "Montant (€)")
    data = (header + "\n" + GOOD_ROW + "\n").encode("utf-8")
    mini_repo.dataset("jeu", data=data)
    finding = next(f for f in run(mini_repo).findings if f.code == "FMT-HEADER-LABEL")
    assert "Montant (€)" in finding.message and "« montant »" in finding.message


def test_cp1252_file_is_flagged_and_still_checked(mini_repo):
    data = ("\n".join([SUBVENTIONS_HEADER, row(montant="douze")]) + "\n").encode(
        "cp1252"
    )
    mini_repo.dataset("jeu", data=data)
    codes = [code for code, _, _ in flatten(run(mini_repo))]
    assert codes.count("FMT-ENCODING") == 1
    assert "SCHEMA-TYPE" in codes  # the content was read despite the encoding


@pytest.mark.parametrize(
    "content,code",
    [
        (b"", "FMT-EMPTY"),
        (SUBVENTIONS_HEADER.encode() + b"\n", "FMT-HEADER-ONLY"),
        (b"PK\x03\x04binary", "FMT-01"),
    ],
)
def test_empty_header_only_and_binary_files(mini_repo, content, code):
    mini_repo.dataset("jeu", data=content)
    assert code in [c for c, _, _ in flatten(run(mini_repo))]


_RANDOM = random.Random(7).randbytes(6000)


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (_RANDOM, "octets binaires"),
        (b"%PDF-1.7\n" + _RANDOM, "document PDF"),
        (b"PK\x03\x04" + _RANDOM, "XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _RANDOM, "XLS"),
        (b"\x89PNG\r\n\x1a\n" + _RANDOM, "image PNG"),
        (b"\xff\xd8\xff\xe0" + _RANDOM, "image JPEG"),
        (b"GIF89a" + _RANDOM, "image GIF"),
        (SUBVENTIONS_HEADER.encode() + b"\n\x00\x00\x01\x02\n", "octets binaires"),
        (b"a;b\n\x01\x02\x03\x04\x05;\x06\x07\x08\x0e\x0f\n", "octets binaires"),
    ],
)
@pytest.mark.parametrize("name", ["jeu", "jeu-json"])
def test_a_binary_file_is_one_finding_saying_it_is_not_text(mini_repo, content, kind, name):
    if name == "jeu-json":
        folder = mini_repo.dataset(name, data=b"")
        (folder / "donnees.csv").unlink()
        descriptor = (folder / "datapackage.yaml").read_text("utf-8")
        descriptor = descriptor.replace("donnees.csv", "donnees.json")
        (folder / "datapackage.yaml").write_text(descriptor.replace("format: csv", "format: json"))
        (folder / "donnees.json").write_bytes(content)
    else:
        mini_repo.dataset(name, data=content)
    findings = [f for f in run(mini_repo).findings if f.location.path.startswith("communes")]
    findings = [f for f in findings if f.code.startswith(("FMT", "SCHEMA", "CUSTOM"))]
    assert [f.code for f in findings] == ["FMT-01"], [(f.code, f.message) for f in findings]
    [finding] = findings
    assert "Ce n'est pas un fichier texte (CSV ou JSON)" in finding.message
    assert kind in finding.message
    assert "CSV UTF-8" in finding.hint
    assert all(char.isprintable() for char in finding.message + finding.hint)


def test_utf16_text_with_its_byte_order_mark_is_still_read(mini_repo):
    text = "\n".join([SUBVENTIONS_HEADER, GOOD_ROW]) + "\n"
    mini_repo.dataset("jeu", data=text.encode("utf-16"))
    codes = [c for c, _, _ in flatten(run(mini_repo))]
    assert "FMT-ENCODING" in codes and "FMT-01" not in codes


def test_delimiter_declared_wrong_is_a_warning_and_data_still_read(mini_repo):
    data = ("\n".join([SUBVENTIONS_HEADER, GOOD_ROW]) + "\n").replace(";", ",").encode()
    mini_repo.dataset(
        "jeu", data=data.replace(b"aide en num\xc3\xa9raire", b"aide en num\xc3\xa9raire")
    )
    codes = [c for c, _, _ in flatten(run(mini_repo))]
    assert "FMT-DELIMITER" in codes


def test_broken_siret_is_found(mini_repo):
    mini_repo.dataset("jeu", [row(idBeneficiaire="78012958100011"), GOOD_ROW])
    found = [f for f in run(mini_repo).findings if f.code == "FR-SIRET"]
    assert [(f.location.row, f.location.column) for f in found] == [(2, "idBeneficiaire")]
    assert "clé de contrôle" in found[0].message




def test_licence_rules(mini_repo):
    mini_repo.dataset("a", licenses=[{"name": "CC-BY-NC-4.0"}])
    mini_repo.dataset("b", licenses=[{"name": "etalab-1.0"}])
    mini_repo.dataset(
        "c", licenses=[{"name": "CC-BY-4.0", "homologation": "arrêté du 1er janvier 2030"}]
    )
    mini_repo.dataset("d", licenses=[{"name": "ODbL-1.0"}])
    found = {
        (f.location.dataset, f.code) for f in run(mini_repo).findings if f.severity.value != "info"
    }
    assert found == {("a", "LIC-01"), ("b", "LIC-01-LEGACY")}


def test_freshness_and_impossible_dates(mini_repo):
    mini_repo.dataset("stale", frequency="monthly", modified="2024-10-01")
    mini_repo.dataset("fresh", frequency="monthly", modified="2026-11-01")
    mini_repo.dataset("future", modified="2027-01-01")
    mini_repo.dataset("impossible", modified="2026-02-30")
    found = {
        (f.location.dataset, f.code, f.severity.value)
        for f in run(mini_repo).findings
        if f.severity.value != "info"
    }
    assert found == {
        ("stale", "PUB-03", "warning"),
        ("future", "PUB-03-FUTURE", "error"),
        ("impossible", "DESC-DATE", "error"),
    }


def test_json_file_declared_with_a_table_schema_is_refused(mini_repo):
    folder = mini_repo.dataset(
        "jeu",
        resources=[
            {
                "name": "donnees",
                "path": "donnees.json",
                "format": "json",
                "schema": "scdl/subventions@2.1.1",
            }
        ],
    )
    (folder / "donnees.json").write_text('[{"montant": 1}]', "utf-8")
    assert [c for c, _, _ in flatten(run(mini_repo))] == ["SCHEMA-NOT-TABULAR"]


def test_unclosed_quote_is_a_french_finding(mini_repo):
    mini_repo.dataset("jeu", data=b'a;b\n"pas ferme;x\n\n')
    (finding,) = [f for f in run(mini_repo).findings if f.code == "FMT-01"]
    assert "Guillemet" in finding.message and finding.location.row == 2
