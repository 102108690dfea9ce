"""JUnit XML for CI test panels (GitLab `artifacts:reports:junit`, Jenkins, Azure).

One test suite per dataset (or per file checked alone), one test case per rule and column
that has findings, and one passing case for a dataset without any. Errors are failures;
warnings too with `--fail-on warning`, otherwise they are listed in the case's output; info
never fails. The findings of a case are listed in its text, at most `SHOWN_PER_CASE`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import Any

from publisher.i18n import Translator, translator

SHOWN_PER_CASE = 50
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: object) -> str:
    """Text XML 1.0 can carry: the control characters a cell may hold become U+FFFD."""
    return _NOT_XML.sub("\ufffd", "" if text is None else str(text))


def _suites(document: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(suite name, classname, findings) for each dataset and file, in report order."""
    by_place: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for finding in document["findings"]:
        by_place[(finding["commune"], finding["dataset"] or finding["path"])].append(finding)
    suites = []
    for commune in document["communes"]:
        for dataset in commune["datasets"]:
            found = by_place.get((commune["slug"], dataset["name"]), [])
            suites.append((f"{commune['name']} — {dataset['title']}", dataset["portal_id"], found))
    for path in document["scope"]["files"]:
        suites.append((path, path, by_place.get((None, path), [])))
    return suites


def render_junit(document: dict[str, Any]) -> str:
    tr = translator(document["language"])
    _ = tr.gettext
    failing = {"error", "warning"} if document["summary"]["fail_on"] == "warning" else {"error"}
    root = ET.Element("testsuites", name="publisher")
    total_tests = total_failures = 0
    for suite_name, classname, findings in _suites(document):
        suite = ET.SubElement(root, "testsuite", name=xml_text(suite_name))
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for finding in findings:
            groups[(finding["code"], finding["column"] or finding["key"] or "")].append(finding)
        failures = 0
        if not groups:
            ET.SubElement(suite, "testcase", name=_("Aucun constat"), classname=classname)
        for (code, column), items in groups.items():
            first = items[0]
            name = f"{code} — {first['title']}" + (f" — « {column} »" if column else "")
            case = ET.SubElement(suite, "testcase", name=xml_text(name), classname=classname)
            listing = "\n".join(_line(item, tr) for item in items[:SHOWN_PER_CASE])
            if len(items) > SHOWN_PER_CASE:
                listing += "\n" + _("… et {count} autres : voir le rapport JSON.").format(
                    count=tr.number(len(items) - SHOWN_PER_CASE)
                )
            if first["severity"] in failing:
                failures += 1
                message = tr.count(len(items), "%(num)s constat", "%(num)s constats")
                failure = ET.SubElement(
                    case, "failure", type=code, message=xml_text(f"{message} : {first['title']}")
                )
                failure.text = xml_text(listing)
            else:
                ET.SubElement(case, "system-out").text = xml_text(listing)
        tests = max(len(groups), 1)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        total_tests += tests
        total_failures += failures
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _line(finding: dict[str, Any], tr: Translator) -> str:
    _ = tr.gettext
    where = [finding["path"] or ""]
    if finding["row"] is not None:
        where.append(_("ligne {row}").format(row=finding["row"]))
    if finding["value"] is not None:
        where.append(_("valeur « {value} »").format(value=finding["value"]))
    return (
        f"[{finding['severity_label']}] {', '.join(w for w in where if w)} : "
        f"{finding['message']} → {finding['hint']}"
    )
