"""Report renderers: pure functions of the report document, one per format, in one registry."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from publisher.errors import ConfigurationError
from publisher.reports.document import REPORT_VERSION, build_document
from publisher.reports.html import render_html
from publisher.reports.json import render_json

Renderer = Callable[[dict[str, Any]], str]

FORMATS: dict[str, tuple[Renderer, str]] = {
    "html": (render_html, "html"),
    "json": (render_json, "json"),
}
"""Format name → (renderer, file extension)."""

REPORT_STEM = "rapport"
HISTORY_DIR = "historique"


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file renamed into place: a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_reports(document: dict[str, Any], folder: Path) -> list[Path]:
    """Write every format under `folder` (latest run) and keep the JSON in the history.

    Everything is rendered before anything is written, so a rendering failure leaves the
    previous reports untouched.
    """
    rendered = {name: renderer(document) for name, (renderer, _) in FORMATS.items()}
    stamp = document["generated_at"].replace(":", "").replace("-", "")[:15]
    targets = [
        (folder / f"{REPORT_STEM}.{FORMATS[name][1]}", text) for name, text in rendered.items()
    ]
    targets.append((folder / HISTORY_DIR / f"{REPORT_STEM}-{stamp}.json", rendered["json"]))
    try:
        for path, text in targets:
            write_atomically(path, text)
    except OSError as error:
        raise ConfigurationError(
            f"impossible d'écrire le rapport ({error.strerror})",
            path=error.filename or folder,
            hint="Vérifiez que le dossier des rapports existe et est accessible en écriture.",
        ) from None
    return [path for path, _ in targets]


__all__ = [
    "FORMATS",
    "REPORT_VERSION",
    "build_document",
    "render_html",
    "render_json",
    "write_reports",
]
