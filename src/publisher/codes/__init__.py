"""The catalogue of finding codes: severity, French title, message and fix templates, legal basis.

Every `Finding` is built here from its code, so a code always means the same thing, with the
same severity, everywhere (terminal, HTML, JSON). Templates use `str.format` named fields.
Each domain keeps its codes in its own module; this package joins them into one catalogue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from publisher.codes import (
    descriptor,
    file_format,
    french,
    legal,
    privacy,
    publishing,
    spreadsheet,
    table_schema,
)
from publisher.codes.base import Code
from publisher.findings import Finding, Location

_DOMAINS = (descriptor, file_format, table_schema, french, legal, privacy, publishing, spreadsheet)
_CODES: tuple[Code, ...] = tuple(code for domain in _DOMAINS for code in domain.CODES)
CODES: dict[str, Code] = {code.code: code for code in _CODES}
if len(CODES) != len(_CODES):  # pragma: no cover - guards the catalogue at import
    raise ValueError("code de constat défini deux fois dans le catalogue")

__all__ = ["CODES", "GENERATED_MARKER", "Code", "catalogue_markdown", "make", "write_catalogue"]


def make(code: str, location: Location, *, value: str | None = None, **params: Any) -> Finding:
    """Build the finding of a catalogued code."""
    return CODES[code].finding(location, value=value, **params)


GENERATED_MARKER = (
    "<!-- Tout ce qui suit est généré depuis publisher.codes : python -m publisher.codes -->"
)


def catalogue_markdown() -> str:
    """Every code with its severity, basis, example message and fix, as kept at the end of
    docs/checks.md (a test keeps the two equal)."""
    lines = [
        GENERATED_MARKER,
        "",
        "## Tous les codes",
        "",
        "| Code | Gravité | Ce qui est contrôlé | Fondement |",
        "|---|---|---|---|",
    ]
    for code in _CODES:
        basis = code.legal_basis or "—"
        anchor = code.code.lower()
        lines.append(
            f"| [`{code.code}`](#{anchor}) | {code.severity.label} | {code.title} | {basis} |"
        )
    for code in _CODES:
        example = code.finding(Location(), **code.example)
        lines += [
            "",
            f"### {code.code}",
            "",
            f"**{code.title}** — gravité : {code.severity.label}"
            + (f" — fondement : {code.legal_basis}" if code.legal_basis else ""),
            "",
            f"> {example.message}",
            ">",
            f"> Comment corriger : {example.hint}",
        ]
    return "\n".join(lines) + "\n"


def write_catalogue(page: Path) -> None:
    """Replace the generated part of `page` (after its marker) with the current catalogue."""
    text = page.read_text("utf-8")
    kept = text.split(GENERATED_MARKER)[0]
    page.write_text(kept + catalogue_markdown(), "utf-8")
