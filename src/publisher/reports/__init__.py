"""Report renderers: pure functions of the report document, one per format, in one registry."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publisher.errors import ConfigurationError
from publisher.reports.document import FAIL_ON, REPORT_VERSION, build_document, fails
from publisher.reports.history import HISTORY_DIR, load_history

if TYPE_CHECKING:
    from publisher.reports.github import render_github
    from publisher.reports.gitlab import render_gitlab
    from publisher.reports.html import render_html
    from publisher.reports.json import render_json
    from publisher.reports.junit import render_junit
    from publisher.reports.markdown import render_markdown
    from publisher.reports.sarif import render_sarif

Renderer = Callable[[dict[str, Any]], str]

REPORT_STEM = "rapport"
_FILES = {
    "html": f"{REPORT_STEM}.html",
    "json": f"{REPORT_STEM}.json",
    "markdown": f"{REPORT_STEM}.md",
    "junit": f"{REPORT_STEM}.junit.xml",
    "sarif": f"{REPORT_STEM}.sarif",
    "gitlab": f"{REPORT_STEM}.codequality.json",
    "github": f"{REPORT_STEM}.github.txt",
}
"""Format name → file name in the reports folder; the format's renderer is `render_<name>` of
the module `<name>`."""


def _renderer(name: str) -> Renderer:
    """The renderer of one format, its module imported at the first report in that format:
    `publisher check` prints its summary without loading any renderer."""

    def render(document: dict[str, Any]) -> str:
        renderer: Renderer = __getattr__(f"render_{name}")
        return renderer(document)

    render.__name__ = render.__qualname__ = f"render_{name}"
    return render


FORMATS: dict[str, tuple[Renderer, str]] = {
    name: (_renderer(name), file) for name, file in _FILES.items()
}
"""Format name → (renderer, file name in the reports folder)."""
ALWAYS_WRITTEN = ("html", "json")
"""Written to every reports folder: the officers' page and the record kept in the history."""


def __getattr__(name: str) -> Any:
    """`render_html` and the other renderers, imported on first use."""
    module = name.removeprefix("render_")
    if name.startswith("render_") and module in _FILES:
        return getattr(import_module(f"{__name__}.{module}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def write_all(targets: list[tuple[Path, str]], folder: Path, *, what: str) -> list[Path]:
    """Write every rendered file (all rendered beforehand, so a rendering bug writes nothing);
    a folder that cannot be written is a French error naming it."""
    try:
        for path, text in targets:
            write_atomically(path, text)
    except OSError as error:
        raise ConfigurationError(
            f"impossible d'écrire {what} ({error.strerror})",
            path=error.filename or folder,
            hint="Vérifiez que le dossier de sortie existe et est accessible en écriture.",
        ) from None
    return [path for path, _ in targets]


def write_reports(
    document: dict[str, Any], folder: Path, formats: Iterable[str] = ALWAYS_WRITTEN
) -> list[Path]:
    """Write the HTML and JSON reports, and every other format asked, under `folder`; keep
    the JSON in the history. The earlier reports of that history feed the HTML chart.

    Everything is rendered before anything is written, so a rendering failure leaves the
    previous reports untouched.
    """
    document = {**document, "history": load_history(folder)}
    names = list(dict.fromkeys([*ALWAYS_WRITTEN, *formats]))
    rendered = {name: FORMATS[name][0](document) for name in names}
    stamp = document["generated_at"].replace(":", "").replace("-", "")[:15]
    targets = [(folder / FORMATS[name][1], text) for name, text in rendered.items()]
    targets.append((folder / HISTORY_DIR / f"{REPORT_STEM}-{stamp}.json", rendered["json"]))
    return write_all(targets, folder, what="le rapport")


__all__ = [
    "ALWAYS_WRITTEN",
    "FAIL_ON",
    "FORMATS",
    "REPORT_VERSION",
    "build_document",
    "fails",
    "render_github",
    "render_gitlab",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "write_all",
    "write_reports",
]
