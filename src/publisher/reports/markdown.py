"""Markdown summary for a CI job page (GitHub job summary, GitLab merge request note).

Short by design: verdict, counts, one line per commune and per rule, then the first blocking
findings; the HTML and JSON reports hold the rest. Every text coming from the data is
escaped, so a cell cannot inject markup, links or table cells.
"""

from __future__ import annotations

import re
from typing import Any

from publisher.i18n import translator
from publisher.reports.document import severity_label

SHOWN_FINDINGS = 50
_PUNCTUATION = re.compile(r"([\\`*_\[\]()<>|!&~#])")


def md(text: object) -> str:
    """Literal text for a Markdown table cell: punctuation backslash-escaped, one line."""
    if text is None:
        return "—"
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def _row(*cells: object) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def render_markdown(document: dict[str, Any]) -> str:
    tr = translator(document["language"])
    _ = tr.gettext
    summary = document["summary"]
    counts = summary["findings"]
    if summary["verdict"] == "ok":
        headline = "✔ " + _("Aucun constat bloquant")
    elif summary["datasets"]:
        blocked = tr.count(
            summary["blocked"], "%(num)s jeu de données bloqué", "%(num)s jeux de données bloqués"
        )
        headline = "✖ " + _("{blocked} sur {total}").format(
            blocked=blocked, total=tr.number(summary["datasets"])
        )
    else:
        headline = "✖ " + _("Le fichier a des constats bloquants")
    lines = [
        f"## {_('Contrôle open data')} : {headline}",
        "",
        _row(_("Bloquants"), _("Avertissements"), _("Info"), _("Jeux publiables")),
        "|---:|---:|---:|---:|",
        _row(
            tr.number(counts["error"]),
            tr.number(counts["warning"]),
            tr.number(counts["info"]),
            f"{tr.number(summary['publishable'])} / {tr.number(summary['datasets'])}",
        ),
    ]
    if document["sampling"]:
        lines += [
            "",
            _(
                "Constats nombreux : seuls les premiers de chaque code et colonne sont listés, "
                "tous sont comptés."
            ),
            "",
            *(
                f"- `{group['code']}` · {group['path'] or group['resource']}"
                + (f" · {group['column']}" if group["column"] else "")
                + f" : {group['message']}"
                for group in document["sampling"]
            ),
        ]
    if document["communes"]:
        lines += [
            "",
            f"### {_('Tableau de bord par commune')}",
            "",
            _row(_("Commune"), _("Jeux"), _("Publiables"), _("Bloquants"), _("Avertissements")),
            "|---|---:|---:|---:|---:|",
        ]
        for commune in document["communes"]:
            publishable = sum(d["status"] == "publishable" for d in commune["datasets"])
            lines.append(
                _row(
                    md(commune["name"]),
                    tr.number(len(commune["datasets"])),
                    tr.number(publishable),
                    tr.number(commune["counts"]["error"]),
                    tr.number(commune["counts"]["warning"]),
                )
            )
    if summary["by_code"]:
        lines += [
            "",
            f"### {_('Constats par règle')}",
            "",
            _row(_("Règle"), _("Gravité"), _("Nombre"), _("Comment corriger")),
            "|---|---|---:|---|",
        ]
        for code, count in summary["by_code"].items():
            rule = document["rules"][code]
            lines.append(
                _row(
                    f"`{code}` {md(rule['title'])}",
                    md(rule["severity_label"]),
                    tr.number(count),
                    md(rule["hint"]),
                )
            )
    actionable = [f for f in document["findings"] if f["severity"] != "info"]
    if actionable:
        shown = actionable[:SHOWN_FINDINGS]
        lines += [
            "",
            f"### {_('Premiers constats')}",
            "",
            _row(
                _("Gravité"),
                _("Où"),
                _("Ligne"),
                _("Colonne ou clé"),
                _("Valeur trouvée"),
                _("Explication"),
                _("Comment corriger"),
            ),
            "|---|---|---:|---|---|---|---|",
        ]
        for finding in shown:
            where = "/".join(p for p in (finding["commune"], finding["dataset"]) if p)
            lines.append(
                _row(
                    md(severity_label(finding["severity"], tr)) + f" `{finding['code']}`",
                    md(where or finding["path"]),
                    finding["row"] if finding["row"] is not None else "—",
                    md(finding["column"] or finding["key"]),
                    md(finding["value"]),
                    md(finding["message"]),
                    md(finding["hint"]),
                )
            )
        if len(actionable) > len(shown):
            lines += [
                "",
                _("{count} autres constats : voir le rapport HTML ou JSON.").format(
                    count=tr.number(len(actionable) - len(shown))
                ),
            ]
    lines += ["", _("Produit par publisher {version}.").format(version=document["tool"]["version"])]
    return "\n".join(lines) + "\n"
