"""The audit's renderers, pure functions of the audit document: an accessible French HTML page
(the compliance report's look, from its own stylesheet and macros) and the JSON record of
`audit.schema.json`; and where they are written."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from jinja2 import Environment

from publisher.audit.document import STATUS_LABELS, STATUSES, AuditDocument
from publisher.i18n import N_, translator
from publisher.reports import write_all
from publisher.reports.document import severity_label
from publisher.reports.html import template_environment

FEDERATION_STEM = "audit"
SHOWN = 10
"""Locations and rows shown per item in the HTML page; the JSON keeps them all."""
COVERAGE_LABELS = {
    "present": N_("présent"),
    "missing": N_("absent"),
    "stale": N_("en retard"),
    "not_applicable": N_("non applicable"),
}
ATTESTATION_LABELS = {
    "valid": N_("valable"),
    "expired": N_("expirée, comptée comme absente"),
    "not_yet_valid": N_("pas encore valable"),
}


@cache
def _environment() -> Environment:
    return template_environment("publisher.audit")


def render_audit_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_audit_html(document: dict[str, Any]) -> str:
    tr = translator(document["language"])
    _ = tr.gettext
    communes = document["communes"]
    title = (
        _("Audit de {commune}").format(commune=communes[0]["name"])
        if len(communes) == 1
        else _("Audit de la fédération {federation}").format(
            federation=document["federation"]["name"]
        )
    )

    def where(location: dict[str, Any]) -> str:
        parts = [location["path"] or location["dataset"] or ""]
        if location["row"] is not None:
            parts.append(_("ligne {row}").format(row=location["row"]))
        if location["column"]:
            parts.append(_("colonne « {column} »").format(column=location["column"]))
        if location["key"]:
            parts.append(_("clé « {key} »").format(key=location["key"]))
        return ", ".join(part for part in parts if part)

    return (
        _environment()
        .get_template("audit.html.j2")
        .render(
            doc=document,
            title=title,
            statuses=STATUSES,
            labels={code: _(label) for code, label in STATUS_LABELS.items()},
            coverage_labels={code: _(label) for code, label in COVERAGE_LABELS.items()},
            attestation_labels={code: _(label) for code, label in ATTESTATION_LABELS.items()},
            severity_labels={s: severity_label(s, tr) for s in ("error", "warning", "info")},
            by_code={
                c["slug"]: {result["code"]: result for result in c["rules"]} for c in communes
            },
            shown=SHOWN,
            where=where,
            _=_,
            gettext=_,
            count=tr.count,
            number=tr.number,
            percent=tr.percent,
            when=tr.datetime,
            day=lambda iso: format_date(date.fromisoformat(iso), "long", locale=tr.locale),
        )
    )


def write_audit(
    document: AuditDocument, folder: Path, extra: list[tuple[Path, str]] = ()
) -> list[Path]:
    """HTML and JSON for the federation (`audit.*`) and for each commune (`<slug>/audit.*`),
    plus the `extra` files given (the catalogues). Everything is rendered before anything is
    written."""
    pages = [(folder, document)] + [
        (folder / commune.slug, document.only(commune.slug)) for commune in document.communes
    ]
    targets = []
    for where, part in pages:
        data = part.to_dict()
        targets.append((where / f"{FEDERATION_STEM}.json", render_audit_json(data)))
        targets.append((where / f"{FEDERATION_STEM}.html", render_audit_html(data)))
    targets.extend(extra)
    return write_all(targets, folder, what="l'audit")
