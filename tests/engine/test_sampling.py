"""Findings beyond the cap are counted, never dropped in silence: the validation, the JSON report
(against its schema), the Markdown and HTML reports all give the full counts."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import REPO
from publisher import SchemaRegistry
from publisher.reports import FORMATS, build_document
from publisher.validation import check_file

SUBVENTIONS = SchemaRegistry.load(REPO / "schemas").resolve("scdl/subventions@2.1.1")
REPORT_SCHEMA = json.loads((REPO / "src/publisher/reports/report.schema.json").read_text("utf-8"))


def subventions_with_bad_amounts(tmp_path: Path, bad: int, good: int) -> Path:
    """The official valid example, its amounts replaced by words on `bad` rows."""
    example = next(e.path for e in SUBVENTIONS.examples if e.file == "exemple_valide.csv")
    header, first, *_ = example.read_text("utf-8").splitlines()
    cells = first.split(",")
    amount = header.split(",").index("montant")
    rows = []
    for index in range(bad + good):
        row = list(cells)
        if index < bad:
            row[amount] = f"environ {index}"
        rows.append(",".join(row))
    path = tmp_path / "subventions.csv"
    path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    return path


def test_a_group_beyond_the_cap_keeps_its_first_rows_and_its_full_count(tmp_path):
    path = subventions_with_bad_amounts(tmp_path, bad=30, good=5)
    validation = check_file(path, SUBVENTIONS, cap=10)
    kept = [f for f in validation.findings if f.code == "SCHEMA-TYPE"]
    assert [f.location.row for f in kept] == list(range(2, 12))
    (group,) = [g for g in validation.sampled if g.code == "SCHEMA-TYPE"]
    assert (group.location.column, group.total, group.shown) == ("montant", 30, 10)
    uncapped = check_file(path, SUBVENTIONS, cap=1_000)
    assert not uncapped.sampled
    assert validation.counts() == uncapped.counts()


def test_reports_say_how_many_findings_exist_and_how_many_are_shown(tmp_path):
    path = subventions_with_bad_amounts(tmp_path, bad=12, good=0)
    document = build_document(check_file(path, SUBVENTIONS, cap=5))
    jsonschema.Draft7Validator(REPORT_SCHEMA).validate(document)
    assert document["summary"]["by_code"]["SCHEMA-TYPE"] == 12
    (group,) = document["sampling"]
    assert (group["code"], group["total"], group["shown"]) == ("SCHEMA-TYPE", 12, 5)
    assert group["message"] == "12 au total, 5 montrés"
    assert "12 au total, 5 montrés" in FORMATS["markdown"][0](document)
    assert "12 au total, 5 montrés" in FORMATS["html"][0](document)
    english = build_document(check_file(path, SUBVENTIONS, cap=5), language="en")
    assert english["sampling"][0]["message"] == "12 in all, 5 shown"
