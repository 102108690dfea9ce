"""The report document: one plain, versioned structure that every format renders.

Built from the validation (and, after a push, the publication outcomes) only; renderers never
look at the model or the files. Its shape is `REPORT_VERSION` of `report.schema.json`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from publisher import __version__
from publisher.codes import CODES
from publisher.findings import Finding
from publisher.validation import Validation

REPORT_VERSION = "1.0"


def build_document(
    validation: Validation, publication: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The report as plain data (JSON-ready, deterministic order).

    `publication` is what a push reported (`PublicationSummary.to_dict()`), or None.
    """
    federation = validation.federation
    communes = []
    if federation is not None:
        for commune in federation.communes:
            datasets = []
            for dataset in commune.datasets:
                found = validation.of_dataset(dataset)
                datasets.append(
                    {
                        "name": dataset.name,
                        "portal_id": dataset.portal_id,
                        "title": dataset.title,
                        "descriptor": dataset.relpath,
                        "status": "blocked" if any(f.blocking for f in found) else "publishable",
                        "counts": validation.counts(found),
                        "resources": [
                            {"name": r.name, "path": r.relpath, "schema": r.schema}
                            for r in dataset.resources
                        ],
                    }
                )
            communes.append(
                {
                    "slug": commune.slug,
                    "name": commune.name,
                    "insee": commune.insee,
                    "siren": commune.siren,
                    "counts": validation.counts(validation.of_commune(commune)),
                    "datasets": datasets,
                }
            )
    all_datasets = [d for c in communes for d in c["datasets"]]
    return {
        "report_version": REPORT_VERSION,
        "generated_at": validation.generated_at.isoformat(timespec="seconds"),
        "tool": {"name": "publisher", "version": __version__},
        "scope": {
            "federation": federation.name if federation else None,
            "portal": federation.portal.url if federation else None,
            "files": list(validation.checked_files),
        },
        "schemas": [
            {"ref": s.ref, "title": s.title, "source": s.source, "sha256": s.sha256}
            for s in validation.schemas
        ],
        "summary": {
            "verdict": "blocked" if validation.has_blocking else "ok",
            "communes": len(communes),
            "datasets": len(all_datasets),
            "publishable": sum(d["status"] == "publishable" for d in all_datasets),
            "blocked": sum(d["status"] == "blocked" for d in all_datasets),
            "findings": validation.counts(),
            "by_code": dict(sorted(Counter(f.code for f in validation.findings).items())),
        },
        "communes": communes,
        "publication": publication,
        "findings": [_finding(f) for f in validation.findings],
    }


def _finding(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "severity_label": finding.severity.label,
        "title": CODES[finding.code].title,
        "commune": loc.commune,
        "dataset": loc.dataset,
        "resource": loc.resource,
        "path": loc.path,
        "row": loc.row,
        "column": loc.column,
        "key": loc.key,
        "value": finding.value,
        "message": finding.message,
        "hint": finding.hint,
        "legal_basis": finding.legal_basis,
    }
