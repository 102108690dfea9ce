"""The HTML compliance report: one self-contained, accessible French page.

Rendered from the report document only. Findings are grouped per dataset, then per rule and
column, with at most `ROWS_PER_GROUP` rows shown per group; the JSON report keeps them all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

ROWS_PER_GROUP = 50

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("publisher.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["french_number"] = french_number
    env.filters["french_datetime"] = french_datetime
    env.filters["plural"] = plural
    return env


def french_number(value: int) -> str:
    """1234567 → « 1 234 567 » with narrow no-break spaces, as French typography wants."""
    return f"{value:,}".replace(",", "\u202f")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """French plural: 0 and 1 are singular."""
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{french_number(count)} {word}"


def french_datetime(value: str) -> str:
    moment = datetime.fromisoformat(value)
    return (
        f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year} à "
        f"{moment.hour:02d} h {moment.minute:02d}"
    )


def _groups(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings of one dataset (or file) grouped by rule and column, most severe first."""
    grouped: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        grouped[(finding["code"], finding["column"] or finding["key"] or "")].append(finding)
    order = {"error": 0, "warning": 1, "info": 2}
    groups = []
    for (code, column), items in grouped.items():
        first = items[0]
        groups.append(
            {
                "code": code,
                "column": column,
                "title": first["title"],
                "severity": first["severity"],
                "severity_label": first["severity_label"],
                "legal_basis": first["legal_basis"],
                "hint": first["hint"],
                "total": len(items),
                "shown": items[:ROWS_PER_GROUP],
                "same_hint": all(item["hint"] == first["hint"] for item in items),
            }
        )
    groups.sort(key=lambda g: (order[g["severity"]], g["code"], g["column"]))
    return groups


def render_html(document: dict[str, Any]) -> str:
    by_dataset: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for finding in document["findings"]:
        by_dataset[(finding["commune"], finding["dataset"] or finding["path"])].append(finding)
    sections = []
    for commune in document["communes"]:
        datasets = [
            {**dataset, "groups": _groups(by_dataset.get((commune["slug"], dataset["name"]), []))}
            for dataset in commune["datasets"]
        ]
        sections.append({**commune, "datasets": datasets})
    loose_files = [
        {"path": path, "groups": _groups(by_dataset.get((None, path), []))}
        for path in document["scope"]["files"]
    ]
    outcomes = {o["dataset_id"]: o for o in (document["publication"] or {}).get("outcomes", [])}
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=document,
        communes=sections,
        loose_files=loose_files,
        outcomes=outcomes,
        rows_per_group=ROWS_PER_GROUP,
    )
