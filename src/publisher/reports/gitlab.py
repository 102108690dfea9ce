"""GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array of issues.

Severity mapping: error → critical, warning → minor, info → info. Fingerprints are stable
across runs so GitLab tells new findings from fixed ones in a merge request.
"""

from __future__ import annotations

import json
from typing import Any

from publisher.reports.document import descriptor_paths, finding_file, fingerprint

SEVERITIES = {"error": "critical", "warning": "minor", "info": "info"}


def render_gitlab(document: dict[str, Any]) -> str:
    descriptors = descriptor_paths(document)
    issues = []
    seen: set[str] = set()
    for finding in document["findings"]:
        identity = fingerprint(finding)
        if identity in seen:
            continue
        seen.add(identity)
        description = f"[{finding['code']}] {finding['message']}"
        if finding["value"] is not None:
            description += f" « {finding['value']} »"
        issues.append(
            {
                "type": "issue",
                "check_name": finding["code"],
                "description": description,
                "content": {"body": finding["hint"]},
                "categories": ["Compatibility"],
                "severity": SEVERITIES[finding["severity"]],
                "fingerprint": identity,
                "location": {
                    "path": finding_file(finding, descriptors),
                    "lines": {"begin": max(finding["row"] or 1, 1)},
                },
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
