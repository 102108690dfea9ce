"""The federation as the browse page shows it: validation status and what a publish would do.

The status comes from validating the repository on demand, not from `reports/rapport.json`:
a report on disk can be older than the data beside it (or absent on a fresh clone), and the
page must say the truth about the files as they are. Validating the sample repository takes a
few seconds, so the result is kept until a file of the repository (or the sandbox's state)
changes: the cache key is the size and modification time of each of them.

What a publish would change is read-only: `build_plan` says which datasets would go and which
are held back; when the local sandbox portal has a state (`.publisher/sandbox/`), `prepare`
compares each payload with it (creation, update, unchanged), reading only. The real portal is
never called from here: it would need the communes' keys.

The audit summary maps the same validation to the rules of the law (`publisher.audit`): it
re-checks nothing, so it is built per page in the reader's language.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from publisher.audit import AuditDocument, build_audit
from publisher.errors import PublisherError
from publisher.model import load_federation
from publisher.plan import build_plan
from publisher.publishing import SANDBOX_DIR, open_portal, prepare
from publisher.validation import Validation, validate_federation

WATCHED = ("federation.yaml", "communes", "schemas/registry.yaml", str(SANDBOX_DIR))


@dataclass(frozen=True)
class PlannedChange:
    """One dataset's fate at the next publish."""

    action: str
    """create, update, unchanged, blocked, or publishable (no sandbox state to compare)."""
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class FederationStatus:
    """The validation of the whole repository and the plan built from it."""

    validation: Validation
    changes: dict[str, PlannedChange]
    compared_with_sandbox: bool
    plan_error: str | None = None

    def audit(self, language: str) -> AuditDocument:
        """The legal audit of the same validation, worded in `language`."""
        assert self.validation.federation is not None  # validated from the repository
        return build_audit(self.validation.federation, self.validation, language=language)


def repository_fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Size and modification time of every file the status depends on."""
    entries = []
    for name in WATCHED:
        top = root / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            stat = path.stat()
            entries.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


class FederationView:
    """The status of the repository at `root`, recomputed only when a watched file moved."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._cached: tuple[tuple[tuple[str, int, int], ...], FederationStatus] | None = None

    def status(self) -> FederationStatus:
        with self._lock:
            fingerprint = repository_fingerprint(self.root)
            if self._cached is None or self._cached[0] != fingerprint:
                self._cached = (fingerprint, self._compute())
                # the sandbox may have touched its own files while planning
                self._cached = (repository_fingerprint(self.root), self._cached[1])
            return self._cached[1]

    def _compute(self) -> FederationStatus:
        federation = load_federation(self.root)
        validation = validate_federation(federation, federation.registry)
        publish_plan = build_plan(validation)
        changes = {
            blocked.dataset_id: PlannedChange("blocked", blocked.codes)
            for blocked in publish_plan.blocked
        }
        if not (self.root / SANDBOX_DIR).is_dir():
            changes |= {p.dataset_id: PlannedChange("publishable") for p in publish_plan.payloads}
            return FederationStatus(validation, changes, compared_with_sandbox=False)
        try:
            with open_portal(federation, None) as session:
                prepared = prepare(validation, session)
        except PublisherError as error:
            changes |= {p.dataset_id: PlannedChange("publishable") for p in publish_plan.payloads}
            return FederationStatus(validation, changes, False, plan_error=error.message)
        for change in prepared.plan.changes:
            changes[change.dataset_id] = PlannedChange(change.action, change.reasons)
        return FederationStatus(validation, changes, compared_with_sandbox=True)
