"""The HTML compliance report: one self-contained, accessible page (RGAA / WCAG 2.1 AA).

Rendered from the report document only: inline CSS and SVG, no script, no external asset.
Findings are grouped per dataset, then per rule and column, with at most `ROWS_PER_GROUP`
rows shown per group; the JSON report keeps them all. Words come from the document's
language catalog, numbers and dates are formatted for that language by Babel.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from markupsafe import Markup

from publisher.i18n import Translator, translator
from publisher.reports.charts import Bar, bar_chart, line_chart
from publisher.reports.history import history_point

if TYPE_CHECKING:
    from jinja2 import Environment

ROWS_PER_GROUP = 50
OPEN_GROUPS = 3
"""Groups of a dataset shown unfolded; the others open on demand (`<details>`)."""
CHARTED_RULES = 15
_ORDER = {"error": 0, "warning": 1, "info": 2}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`3 jeux`: French plural (0 and 1 are singular), number in French form."""
    word = singular if count <= 1 else (plural_form or singular + "s")
    return f"{translator().number(count)} {word}"


def template_environment(*packages: str) -> Environment:
    """Jinja templates of `packages` (first found wins) over the report's own, so the audit and
    the web pages share the report's stylesheet and macros."""
    from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape  # HTML only

    return Environment(
        loader=ChoiceLoader(
            [PackageLoader(package, "templates") for package in (*packages, "publisher.reports")]
        ),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _environment() -> Environment:
    return template_environment()


def finding_groups(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings of one dataset (or file) grouped by rule and column, most severe first."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        grouped[(finding["code"], finding["column"] or finding["key"] or "")].append(finding)
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
    groups.sort(key=lambda g: (_ORDER[g["severity"]], g["code"], g["column"]))
    return groups


def _charts(document: dict[str, Any], tr: Translator) -> dict[str, Markup]:
    _ = tr.gettext
    charts = {}
    summary = document["summary"]
    if summary["by_code"]:
        ranked = sorted(summary["by_code"].items(), key=lambda item: (-item[1], item[0]))
        bars = [
            Bar(code, total, tr.number(total), document["rules"][code]["severity"])
            for code, total in ranked[:CHARTED_RULES]
        ]
        charts["rules"] = bar_chart(
            "regles",
            bars,
            _("Constats par règle"),
            _(
                "Nombre de constats pour chacune des règles les plus fréquentes ; le tableau "
                "qui suit donne les mêmes nombres."
            ),
        )
    if document["communes"]:
        bars = []
        for commune in document["communes"]:
            counts = commune["counts"]
            errors = tr.count(counts["error"], "%(num)s bloquant", "%(num)s bloquants")
            warnings = tr.count(
                counts["warning"], "%(num)s avertissement", "%(num)s avertissements"
            )
            bars.append(Bar(commune["name"], counts["error"], errors, "error"))
            bars.append(Bar("", counts["warning"], warnings, "warning"))
        charts["communes"] = bar_chart(
            "communes",
            bars,
            _("Constats par commune"),
            _(
                "Pour chaque commune, le nombre de constats bloquants puis d'avertissements ; le "
                "tableau de bord donne les mêmes nombres."
            ),
        )
    points = [*document["history"], history_point(document)]
    if len(points) > 1 and all(point["datasets"] for point in points):
        charts["history"] = line_chart(
            "evolution",
            [
                (_short_date(p["generated_at"], tr), p["publishable"] / p["datasets"])
                for p in points
            ],
            _("Évolution de la conformité"),
            _(
                "Part des jeux de données publiables à chaque contrôle, du plus ancien au plus "
                "récent ; le tableau qui suit donne les mêmes nombres."
            ),
        )
    return charts


def _short_date(iso: str, tr: Translator) -> str:
    return format_date(datetime.fromisoformat(iso).date(), "d MMM", locale=tr.locale)


def render_html(document: dict[str, Any]) -> str:
    tr = translator(document["language"])
    by_dataset: dict[tuple[Any, Any], list[dict[str, Any]]] = defaultdict(list)
    for finding in document["findings"]:
        by_dataset[(finding["commune"], finding["dataset"] or finding["path"])].append(finding)
    sections = []
    for commune in document["communes"]:
        datasets = [
            {
                **dataset,
                "groups": finding_groups(by_dataset.get((commune["slug"], dataset["name"]), [])),
            }
            for dataset in commune["datasets"]
        ]
        publishable = sum(d["status"] == "publishable" for d in datasets)
        sections.append({**commune, "datasets": datasets, "publishable": publishable})
    loose_files = [
        {"path": path, "groups": finding_groups(by_dataset.get((None, path), []))}
        for path in document["scope"]["files"]
    ]
    outcomes = {o["dataset_id"]: o for o in (document["publication"] or {}).get("outcomes", [])}
    history = [*document["history"], history_point(document)]
    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=document,
        communes=sections,
        loose_files=loose_files,
        outcomes=outcomes,
        history=history if len(history) > 1 else [],
        charts=_charts(document, tr),
        **template_helpers(tr),
    )


def template_helpers(tr: Translator) -> dict[str, Any]:
    """What the report's templates (`findings.html.j2`, `rules.html.j2`…) call: words,
    numbers and dates in the document's language, and how many findings they unfold."""
    return {
        "rows_per_group": ROWS_PER_GROUP,
        "open_groups": OPEN_GROUPS,
        "_": tr.gettext,
        "gettext": tr.gettext,
        "count": lambda n, singular, plural_form: tr.count(n, singular, plural_form),
        "number": tr.number,
        "percent": tr.percent,
        "when": tr.datetime,
    }
