"""The report document: one plain, versioned structure that every format renders.

Built from the validation (and, after a push, the publication outcomes) only; renderers never
look at the model or the files. Its shape is `REPORT_VERSION` of `report.schema.json`. The
document is written in one language: finding texts are translated by their code's French
template (`publisher.i18n`), codes and keys never change.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from publisher import __version__
from publisher.codes import CODES
from publisher.findings import Finding, Sampled, Severity, shown_value
from publisher.i18n import SOURCE_LANGUAGE, Translator, current, translator
from publisher.reports.rules import rule_entry
from publisher.validation import Validation

REPORT_VERSION = "1.2"
FAIL_ON = ("error", "warning")
"""Lowest severity that fails a run (`--fail-on`)."""


def build_document(
    validation: Validation,
    publication: dict[str, Any] | None = None,
    *,
    language: str | None = None,
    fail_on: str = "error",
    history: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The report as plain data (JSON-ready, deterministic order).

    `publication` is what a push reported (`PublicationSummary.to_dict()`), or None;
    `history` the summary points of earlier reports (see `publisher.reports.history`);
    `language` defaults to the one chosen for the command line (French unless told).
    """
    tr = translator(language) if language else current()
    federation = validation.federation
    communes = []
    if federation is not None:
        for commune in federation.communes:
            datasets = []
            for dataset in commune.datasets:
                found = validation.of_dataset(dataset)
                cut = validation.sampled_in(commune.slug, dataset.name)
                datasets.append(
                    {
                        "name": dataset.name,
                        "portal_id": dataset.portal_id,
                        "title": dataset.title,
                        "descriptor": dataset.relpath,
                        "status": "blocked" if any(f.blocking for f in found) else "publishable",
                        "counts": validation.counts(found, cut),
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
                    "counts": validation.counts(
                        validation.of_commune(commune), validation.sampled_in(commune.slug)
                    ),
                    "datasets": datasets,
                }
            )
    all_datasets = [d for c in communes for d in c["datasets"]]
    by_code = Counter(f.code for f in validation.findings)
    for group in validation.sampled:
        by_code[group.code] += group.hidden
    by_code = dict(sorted(by_code.items()))
    return {
        "report_version": REPORT_VERSION,
        "language": tr.language,
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
            "fail_on": fail_on,
            "communes": len(communes),
            "datasets": len(all_datasets),
            "publishable": sum(d["status"] == "publishable" for d in all_datasets),
            "blocked": sum(d["status"] == "blocked" for d in all_datasets),
            "findings": validation.counts(),
            "by_code": by_code,
        },
        "communes": communes,
        "publication": publication,
        "history": list(history),
        "rules": {code: rule_entry(CODES[code], tr) for code in by_code},
        "findings": [_finding(f, tr) for f in validation.findings],
        "sampling": [_sampled(group, tr) for group in validation.sampled],
    }


def fails(document: dict[str, Any]) -> bool:
    """True when the run must fail: a finding at or above the `fail_on` severity."""
    counts = document["summary"]["findings"]
    if document["summary"]["fail_on"] == "warning":
        return bool(counts["error"] or counts["warning"])
    return bool(counts["error"])


def severity_label(severity: str, tr: Translator) -> str:
    return tr.gettext(Severity(severity).label)


def _finding(finding: Finding, tr: Translator) -> dict[str, Any]:
    loc = finding.location
    code = CODES[finding.code]
    translated = tr.language != SOURCE_LANGUAGE
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "severity_label": severity_label(finding.severity.value, tr),
        "title": tr.gettext(code.title),
        "commune": loc.commune,
        "dataset": loc.dataset,
        "resource": loc.resource,
        "path": loc.path,
        "row": loc.row,
        "column": loc.column,
        "key": loc.key,
        "value": shown_value(finding.value),
        "message": tr.template(code.message, finding.params) if translated else finding.message,
        "hint": tr.template(code.hint, finding.params) if translated else finding.hint,
        "legal_basis": finding.legal_basis,
    }


def _sampled(group: Sampled, tr: Translator) -> dict[str, Any]:
    """A group of findings kept only up to the cap: how many exist, how many are listed."""
    loc = group.location
    return {
        "code": group.code,
        "severity": group.severity.value,
        "commune": loc.commune,
        "dataset": loc.dataset,
        "resource": loc.resource,
        "path": loc.path,
        "column": loc.column,
        "total": group.total,
        "shown": group.shown,
        "message": tr.gettext("{total} au total, {shown} montrés").format(
            total=tr.number(group.total), shown=tr.number(group.shown)
        ),
    }


def descriptor_paths(document: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(commune, dataset) → descriptor path, so a dataset-level finding points at a file."""
    return {
        (commune["slug"], dataset["name"]): dataset["descriptor"]
        for commune in document["communes"]
        for dataset in commune["datasets"]
    }


def finding_file(finding: dict[str, Any], descriptors: dict[tuple[str, str], str]) -> str:
    """The repository file a CI annotation points at: the data file, else the descriptor."""
    if finding["path"]:
        return finding["path"]
    return descriptors.get((finding["commune"], finding["dataset"]), "federation.yaml")


def fingerprint(finding: dict[str, Any]) -> str:
    """Stable identity of a finding across runs (CI tools track fixed and new ones by it)."""
    parts = [finding[key] for key in ("code", "commune", "dataset", "path", "row", "column", "key")]
    parts.append(finding["value"])
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
