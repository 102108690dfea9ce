"""The catalogue of finding codes: severity, French title, message and fix templates, legal basis.

Every `Finding` is built here from its code, so a code always means the same thing, with the
same severity, everywhere (terminal, HTML, JSON). Templates use `str.format` named fields.
Each domain keeps its codes in its own module; this package joins them into one catalogue.
"""

from __future__ import annotations

from typing import Any

from publisher.codes import descriptor, file_format, french, legal, privacy, table_schema
from publisher.codes.base import Code
from publisher.findings import Finding, Location

_DOMAINS = (descriptor, file_format, table_schema, french, legal, privacy)
_CODES: tuple[Code, ...] = tuple(code for domain in _DOMAINS for code in domain.CODES)
CODES: dict[str, Code] = {code.code: code for code in _CODES}
if len(CODES) != len(_CODES):  # pragma: no cover - guards the catalogue at import
    raise ValueError("code de constat défini deux fois dans le catalogue")

__all__ = ["CODES", "Code", "catalogue_markdown", "make"]


def make(code: str, location: Location, *, value: str | None = None, **params: Any) -> Finding:
    """Build the finding of a catalogued code."""
    return CODES[code].finding(location, value=value, **params)


def catalogue_markdown() -> str:
    """The table of every code, as kept in docs/findings.md (a test keeps the two equal)."""
    lines = [
        "# Codes des constats",
        "",
        "Généré depuis `publisher.codes` ; un test vérifie que cette page reste à jour.",
        "",
        "| Code | Gravité | Titre | Fondement |",
        "|---|---|---|---|",
    ]
    for code in _CODES:
        basis = code.legal_basis or "—"
        lines.append(f"| `{code.code}` | {code.severity.label} | {code.title} | {basis} |")
    return "\n".join(lines) + "\n"
