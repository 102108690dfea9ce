"""One finding code: its severity and how to word it in French."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from publisher.errors import PublisherError
from publisher.findings import Finding, Location, Severity, masked


@dataclass(frozen=True)
class Code:
    """One stable finding code and how to word it.

    `example` holds sample parameters: the documentation shows every code with a real message.
    """

    code: str
    severity: Severity
    title: str
    message: str
    hint: str
    legal_basis: str | None = None
    example: Mapping[str, str] = field(default_factory=dict)

    def finding(self, location: Location, *, value: str | None = None, **params: Any) -> Finding:
        try:
            # masked: a parameter may quote a cell (an engine's message) holding an identifier
            message = masked(self.message.format(**params))
            hint = masked(self.hint.format(**params))
        except KeyError as missing:  # a programming error, caught by the catalogue test
            raise PublisherError(f"paramètre {missing} manquant pour le code {self.code}") from None
        return Finding(
            code=self.code,
            severity=self.severity,
            location=location,
            message=message,
            hint=hint,
            value=value,
            legal_basis=self.legal_basis,
            params=params,
        )


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
