"""GitHub Actions workflow commands: annotations on the files of a pull request.

GitHub shows at most 10 error and 10 warning annotations per step, so only the first ones
are written, errors first, then one notice with the totals and where the full report is.
Values and messages are escaped as the runner expects (`%`, line breaks, and in properties
`:` and `,`), so a cell can never start a command of its own.
"""

from __future__ import annotations

from typing import Any

from publisher.i18n import translator
from publisher.reports.document import descriptor_paths, finding_file

ANNOTATIONS_PER_LEVEL = 10
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    shown = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{name}{' ' + shown if shown else ''}::{escape_data(message)}"


def render_github(document: dict[str, Any]) -> str:
    tr = translator(document["language"])
    _ = tr.gettext
    descriptors = descriptor_paths(document)
    lines = []
    for severity in ("error", "warning"):
        findings = [f for f in document["findings"] if f["severity"] == severity]
        for finding in findings[:ANNOTATIONS_PER_LEVEL]:
            message = finding["message"]
            if finding["value"] is not None:
                message += " " + _("Valeur trouvée : « {value} ».").format(value=finding["value"])
            message += "\n" + _("Comment corriger : {hint}").format(hint=finding["hint"])
            lines.append(
                command(
                    COMMANDS[severity],
                    message,
                    file=finding_file(finding, descriptors),
                    line=finding["row"] if finding["row"] and finding["row"] >= 1 else None,
                    title=f"{finding['code']} — {finding['title']}",
                )
            )
    counts = document["summary"]["findings"]
    total = _("{errors}, {warnings}, {infos} ; la liste complète est dans le rapport JSON.").format(
        errors=tr.count(counts["error"], "%(num)s bloquant", "%(num)s bloquants"),
        warnings=tr.count(counts["warning"], "%(num)s avertissement", "%(num)s avertissements"),
        infos=tr.count(counts["info"], "%(num)s info", "%(num)s infos"),
    )
    lines.append(command("notice", total, title=_("Contrôle open data")))
    return "\n".join(lines) + "\n"
