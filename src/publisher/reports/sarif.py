"""SARIF 2.1.0 for code scanning tools (GitHub code scanning, IDEs, auditors' tools).

One run; its rules are the codes met, with their explanation, fix and legal basis; each
finding is a result pointing at the data file (or descriptor) and its spreadsheet line.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from publisher.reports.document import descriptor_paths, finding_file, fingerprint

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}


def render_sarif(document: dict[str, Any]) -> str:
    codes = list(document["rules"])
    rules = []
    for code in codes:
        rule = document["rules"][code]
        help_text = rule["hint"]
        rules.append(
            {
                "id": code,
                "name": code.replace("-", ""),
                "shortDescription": {"text": rule["title"]},
                "fullDescription": {"text": rule["example"]},
                "help": {"text": help_text},
                "defaultConfiguration": {"level": LEVELS[rule["severity"]]},
                "properties": {
                    "tags": ["open-data", rule["severity"]],
                    "legalBasis": rule["legal_basis"],
                    "documentation": rule["doc"],
                },
            }
        )
    descriptors = descriptor_paths(document)
    results = []
    for finding in document["findings"]:
        location: dict[str, Any] = {
            "artifactLocation": {"uri": finding_file(finding, descriptors), "uriBaseId": "SRCROOT"}
        }
        if finding["row"] is not None and finding["row"] >= 1:
            location["region"] = {"startLine": finding["row"]}
        text = finding["message"]
        if finding["value"] is not None:
            text += f" « {finding['value']} »"
        results.append(
            {
                "ruleId": finding["code"],
                "ruleIndex": codes.index(finding["code"]),
                "level": LEVELS[finding["severity"]],
                "message": {"text": f"{text} → {finding['hint']}"},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"publisherFinding/v1": fingerprint(finding)},
                "properties": {
                    key: finding[key]
                    for key in ("commune", "dataset", "column", "key")
                    if finding[key] is not None
                },
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "publisher",
                        "version": document["tool"]["version"],
                        "language": _LANGUAGES[document["language"]],
                        "rules": rules,
                    }
                },
                "language": _LANGUAGES[document["language"]],
                "originalUriBaseIds": {"SRCROOT": {"description": {"text": "data repository"}}},
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "endTimeUtc": _utc(document["generated_at"]),
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _utc(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
