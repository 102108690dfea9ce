"""Compliance over time: the summary of each earlier JSON report kept in `historique/`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HISTORY_DIR = "historique"
KEPT_POINTS = 24
"""Points shown on the chart: two years of monthly runs."""


def history_point(document: dict[str, Any]) -> dict[str, Any]:
    """What the chart needs of one report: when, datasets, publishable, counts."""
    summary = document["summary"]
    return {
        "generated_at": document["generated_at"],
        "datasets": summary["datasets"],
        "publishable": summary["publishable"],
        "findings": dict(summary["findings"]),
    }


def load_history(folder: Path) -> list[dict[str, Any]]:
    """The points of the earlier reports in `folder/historique`, oldest first.

    Files that are not reports of this tool (unreadable, other shape) are skipped: the history
    only illustrates, the current report stands on its own.
    """
    points = []
    for path in sorted((folder / HISTORY_DIR).glob("*.json")):
        try:
            document = json.loads(path.read_text("utf-8"))
            point = history_point(document)
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(point["datasets"], int) and isinstance(point["publishable"], int):
            points.append(point)
    points.sort(key=lambda point: point["generated_at"])
    return points[-KEPT_POINTS:]
