"""Every CI format parses with its published schema or reference parser, and stays safe.

Hostile cells (markup, a spreadsheet formula, control characters, a 100 kB value) must come out
escaped and truncated in every format; formula-like cells are also reported as CSV-FORMULA.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from markdown_it import MarkdownIt

from conftest import GOOD_ROW
from publisher import SchemaRegistry, load_federation, validate_federation
from publisher.findings import MAX_SHOWN_VALUE
from publisher.reports import FORMATS, build_document, fails, write_reports
from publisher.reports.github import ANNOTATIONS_PER_LEVEL

SCHEMAS = Path(__file__).parent / "format_schemas"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://exemple.invalid/x","clic")'


def document_for(repo, **options):
    federation = load_federation(repo.root)
    validation = validate_federation(federation, SchemaRegistry.load(federation.schemas_dir))
    return build_document(validation, **options)


@pytest.fixture
def hostile(mini_repo):
    cells = GOOD_ROW.split(";")
    rows = []
    for index in range(30):
        bad = list(cells)
        bad[2] = f"{SCRIPT}\x07{index}"  # dateConvention: a type error showing the cell
        bad[7] = FORMULA  # objet
        rows.append(";".join(bad))
    huge = list(cells)
    huge[8] = "9" * 100_000 + "x"  # montant
    rows.append(";".join(huge))
    mini_repo.dataset("jeu", rows)
    mini_repo.dataset("propre")
    return document_for(mini_repo)


def test_formula_cells_are_flagged_as_csv_injection(hostile):
    formulas = [f for f in hostile["findings"] if f["code"] == "CSV-FORMULA"]
    assert len(formulas) == 30 and formulas[0]["severity"] == "warning"
    assert formulas[0]["column"] == "objet" and formulas[0]["row"] == 2


def test_values_are_truncated_in_the_document(hostile):
    values = [f["value"] for f in hostile["findings"] if f["value"]]
    assert max(len(v) for v in values) <= MAX_SHOWN_VALUE
    assert any(v.endswith("…") and v.startswith("999") for v in values)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_hostile_cells_stay_inert_and_short_in_every_format(hostile, name):
    text = FORMATS[name][0](hostile)
    assert "9" * (MAX_SHOWN_VALUE + 1) not in text
    assert len(text.encode()) < 2_000_000
    if name in ("html", "junit"):
        assert SCRIPT not in text and "&lt;script&gt;" in text
    if name == "markdown":
        rendered = MarkdownIt("commonmark").enable("table").render(text)
        assert "<script" not in rendered and "&lt;script&gt;" in rendered
        assert "HYPERLINK" in rendered and "<a " not in rendered
    if name == "github":
        assert all(line.startswith("::") for line in text.splitlines())


def test_json_follows_its_schema(hostile):
    schema = json.loads(
        (Path(__file__).parents[1] / "src/publisher/reports/report.schema.json").read_text()
    )
    jsonschema.Draft7Validator(schema).validate(json.loads(FORMATS["json"][0](hostile)))


def test_sarif_follows_the_sarif_2_1_0_schema(hostile):
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text("utf-8"))
    log = json.loads(FORMATS["sarif"][0](hostile))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(run["results"]) == len(hostile["findings"])
    result = next(r for r in run["results"] if r["ruleId"] == "SCHEMA-TYPE")
    assert rules[result["ruleIndex"]] == "SCHEMA-TYPE" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("jeu/donnees.csv")
    assert location["region"]["startLine"] == 2


def test_gitlab_code_quality_follows_the_documented_format(hostile):
    schema = json.loads((SCHEMAS / "gitlab-codequality.schema.json").read_text("utf-8"))
    issues = json.loads(FORMATS["gitlab"][0](hostile))
    jsonschema.Draft7Validator(schema).validate(issues)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {"critical", "minor"} <= {i["severity"] for i in issues} <= {"critical", "minor", "info"}


def _junit(document):
    text = FORMATS["junit"][0](document)
    xmlschema.XMLSchema(SCHEMAS / "junit-10.xsd").validate(text)
    return xmlschema.XMLSchema(SCHEMAS / "junit-10.xsd").to_dict(text)


def test_junit_follows_the_junit_xsd_and_warnings_fail_only_when_asked(mini_repo):
    mini_repo.dataset("jeu", [GOOD_ROW.replace("Fonctionnement annuel", "=1+1")])
    relaxed = _junit(document_for(mini_repo))
    strict = _junit(document_for(mini_repo, fail_on="warning"))
    assert relaxed["@failures"] == "0" and strict["@failures"] == "1"
    suite = relaxed["testsuite"][0]
    assert suite["@name"].startswith("Bègles")


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    """The Actions runner's parser: `::name k=v,k=v::data`, values then data unescaped."""

    def unescape(text: str, *, prop: bool) -> str:
        pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else [])
        for escaped, plain in [*pairs, ("%25", "%")]:
            text = text.replace(escaped, plain)
        return text

    assert line.startswith("::")
    end = line.index("::", 2)
    head, data = line[2:end], line[end + 2 :]
    name, _, props = head.partition(" ")
    properties = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value, prop=True)
    return name, properties, unescape(data, prop=False)


def test_github_annotations_parse_and_stop_at_the_cap(hostile):
    commands = [parse_workflow_command(line) for line in FORMATS["github"][0](hostile).splitlines()]
    names = [name for name, _, _ in commands]
    assert names.count("error") == ANNOTATIONS_PER_LEVEL
    assert names.count("warning") == ANNOTATIONS_PER_LEVEL
    assert names[-1] == "notice" and "bloquants" in commands[-1][2]
    _name, properties, message = commands[0]
    assert properties["file"].endswith("jeu/donnees.csv") and properties["line"] == "2"
    assert properties["title"].startswith("SCHEMA-TYPE")
    assert "Comment corriger" in message.splitlines()[1]


def test_markdown_summary_parses_into_tables(hostile):
    tokens = MarkdownIt("commonmark").enable("table").parse(FORMATS["markdown"][0](hostile))
    assert sum(t.type == "table_open" for t in tokens) == 4  # counts, communes, rules, findings
    widths: list[int] = []
    for token in tokens:
        if token.type == "tr_open":
            widths.append(0)
        elif token.type in ("th_open", "td_open"):
            widths[-1] += 1
    assert widths.count(7) == 50 + 1  # the first 50 findings, no cell split by the data
    assert set(widths) == {4, 5, 7}


def test_a_10_000_finding_report_stays_readable(mini_repo):
    cells = GOOD_ROW.split(";")
    rows = []
    for index in range(10_000):
        bad = list(cells)
        bad[2] = f"{index}/01/2025"
        rows.append(";".join(bad))
    mini_repo.dataset("gros", rows)
    document = document_for(mini_repo)
    assert document["summary"]["findings"]["error"] == 10_000
    html = FORMATS["html"][0](document)
    assert html.count("<tr>") < 200  # grouped, with samples
    assert "10\u202f000" in html and "figurent dans le rapport JSON" in html
    report = json.loads(FORMATS["json"][0](document))  # capped per code and column, all counted
    hidden = sum(group["total"] - group["shown"] for group in report["sampling"])
    assert report["sampling"] and len(report["findings"]) + hidden == 10_000


def test_history_feeds_the_compliance_chart(mini_repo, tmp_path):
    mini_repo.dataset("jeu")
    folder = tmp_path / "rapports"
    first = document_for(mini_repo)
    write_reports({**first, "generated_at": "2026-01-05T10:00:00+01:00"}, folder)
    (folder / "historique" / "autre.json").write_text("pas du JSON", "utf-8")
    written = write_reports(document_for(mini_repo), folder, ["markdown"])
    html = (folder / "rapport.html").read_text("utf-8")
    assert "Évolution de la conformité" in html and "5 janvier 2026" in html
    assert (folder / "rapport.md") in written
    assert len(json.loads((folder / "rapport.json").read_text("utf-8"))["history"]) == 1


def test_fail_on_warning(mini_repo):
    mini_repo.dataset("jeu", [GOOD_ROW.replace("Fonctionnement annuel", "@SUM(1)")])
    assert not fails(document_for(mini_repo))
    assert fails(document_for(mini_repo, fail_on="warning"))


def test_english_reports_translate_by_code_and_keep_codes(mini_repo):
    mini_repo.dataset("jeu", [GOOD_ROW.replace("Fonctionnement annuel", "=1+1")])
    document = document_for(mini_repo, language="en")
    finding = next(f for f in document["findings"] if f["code"] == "CSV-FORMULA")
    assert finding["message"].startswith("A cell of the column “objet” starts with “=”")
    assert finding["severity_label"] == "warning" and finding["title"].startswith("Cell read")
    html = FORMATS["html"][0](document)
    assert '<html lang="en">' in html and "How to fix" in html
    assert re.search(r"Produced on \d+ \w+ \d{4}", html)
