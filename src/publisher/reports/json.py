"""The JSON report: the legal record, every finding, in the shape of `report.schema.json`."""

from __future__ import annotations

import json
from typing import Any


def render_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
