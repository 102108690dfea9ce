"""Findings: what every check reports, in one shape, with a stable code.

A finding is data, never an exception. Its message and fix hint are rendered from the code's
French templates in `publisher.codes`, so formats and translations work by code, never by
parsing messages.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any

from publisher.privacy.masking import mask_text


class Severity(StrEnum):
    """`error` blocks publication; `warning` asks for a review; `info` gives context."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """The word officers read in reports."""
        return _SEVERITY_LABELS[self]

    @property
    def rank(self) -> int:
        return _SEVERITY_RANKS[self]


_SEVERITY_LABELS = {
    Severity.ERROR: "bloquant",
    Severity.WARNING: "avertissement",
    Severity.INFO: "info",
}
_SEVERITY_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding is: from the commune down to the cell or the descriptor key.

    `row` is the line number a spreadsheet shows (the header is line 1), so an officer finds the
    cell at once; `path` is relative to the data repository root.
    """

    commune: str | None = None
    dataset: str | None = None
    resource: str | None = None
    path: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None

    def describe(self) -> str:
        """A short French description, for terminal output."""
        parts = []
        if self.path:
            parts.append(self.path)
        if self.row is not None:
            parts.append(f"ligne {self.row}")
        if self.column:
            parts.append(f"colonne « {self.column} »")
        if self.key:
            parts.append(f"clé « {self.key} »")
        return ", ".join(parts)


@dataclass(frozen=True)
class Finding:
    """One problem (or remark) found in a dataset, a descriptor or a file."""

    code: str
    severity: Severity
    location: Location
    message: str
    hint: str
    value: str | None = None
    legal_basis: str | None = None
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (
            loc.commune or "",
            loc.dataset or "",
            loc.resource or "",
            loc.path or "",
            self.severity.rank,
            self.code,
            loc.row if loc.row is not None else -1,
            loc.column or "",
            loc.key or "",
            self.message,
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        data.pop("params")
        return data


DEFAULT_CAP = 1_000
"""Findings kept per (code, file, column) by default; the others are counted, never dropped
in silence."""


@dataclass(frozen=True)
class Sampled:
    """A group of findings (same code, file and column) counted in full, of which only the
    first `shown` (by row) are kept: reports say « N au total, M montrés »."""

    code: str
    severity: Severity
    location: Location
    total: int
    shown: int

    @property
    def hidden(self) -> int:
        return self.total - self.shown


def group_of(code: str, location: Location) -> tuple[str, Location]:
    """The group a finding is capped in: its code and its location without row or key."""
    return code, replace(location, row=None, key=None)


class Sampler:
    """Findings kept up to `cap` per group (code, file, column) as a file's batches come, the
    first by row, and every one counted.

    Batches come in row order, so the kept findings are the file's first. A family that stops
    building a group's findings itself writes the group's running full count in `totals`. A
    finding without a row is about the whole file: the batches that repeat it say it once.
    """

    def __init__(self, cap: int, totals: Mapping[tuple[str, Location], int]) -> None:
        self.cap = cap
        self.totals = totals
        self._kept: dict[tuple[str, Location], list[Finding]] = defaultdict(list)
        self._counts: Counter[tuple[str, Location]] = Counter()
        self._said: set[Finding] = set()

    def add(self, findings: Iterable[Finding]) -> None:
        """The findings of one batch, in any order."""
        for finding in sorted(findings, key=Finding.sort_key):
            if finding.location.row is None:
                if finding in self._said:
                    continue
                self._said.add(finding)
            group = group_of(finding.code, finding.location)
            self._counts[group] += 1
            if len(self._kept[group]) < self.cap:
                self._kept[group].append(finding)

    def result(self) -> tuple[list[Finding], list[Sampled]]:
        """The kept findings, and a `Sampled` for every group that had more."""
        kept: list[Finding] = []
        sampled: list[Sampled] = []
        for (code, location), members in self._kept.items():
            kept.extend(members)
            total = max(self._counts[code, location], self.totals.get((code, location), 0))
            if total > len(members):
                severity = members[0].severity
                sampled.append(Sampled(code, severity, location, total, len(members)))
        return kept, sampled


MAX_SHOWN_VALUE = 120
masked = lru_cache(maxsize=16_384)(mask_text)
"""`mask_text` remembered: the findings of one group repeat their texts (hints, rules, the
same wrong value), and masking is the dearest step of building a finding."""


def shown_value(value: object) -> str | None:
    """A cell value as it may appear in a report: one line, truncated, and every personal
    identifier it holds masked (e-mails, NIR, IBAN, phone numbers, civility + name)."""
    if value is None:
        return None
    text = str(value)[: MAX_SHOWN_VALUE * 4]  # bound the work on huge cells
    text = masked(" ".join(text.split()))  # before cutting, so no identifier is half-kept
    if len(text) > MAX_SHOWN_VALUE:
        text = text[: MAX_SHOWN_VALUE - 1] + "…"
    return text
