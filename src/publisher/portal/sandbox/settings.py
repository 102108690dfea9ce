"""Knobs of the sandbox portal, in one object so that new behaviours get a field, not a flag."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TEMPLATES = frozenset(
    {"default", "internal", "dcat", "visualization", "asset_content_configuration", "inspire"}
)
DEFAULT_LICENCES: Mapping[str, str] = {
    "lov2": "Licence Ouverte v2.0 (Etalab)",
    "fr-lo": "Licence Ouverte (Etalab)",
    "odbl": "Open Database License (ODbL)",
    "cc-by": "CC BY",
    "cc-by-sa": "CC BY-SA",
}
"""The domain's licence list, id → label, as an Opendatasoft domain configures it."""
DEFAULT_THEMES: Mapping[str, str] = {
    "administration": "Administration",
    "citoyennete": "Citoyenneté",
    "culture": "Culture",
    "economie": "Économie",
    "education": "Éducation",
    "environnement": "Environnement",
    "equipements": "Équipements",
    "sante": "Santé",
    "transports": "Transports",
    "urbanisme": "Urbanisme",
}
"""The domain's theme list, id → label."""


@dataclass(frozen=True)
class Faults:
    """Misbehaviours injected on API calls, for resilience tests and demos.

    Each call draws once: with `error_rate` it gets a 500/502/503 before reaching the portal,
    or a 504 after the portal did the work (the answer is lost, the change is not); with
    `drop_rate` the connection is cut (in the middle of the body for an upload, or after the
    work for other writes); with `burst_rate` it starts a burst of `burst_length` answers
    429 with `Retry-After`. `latency` seconds are added to every call. `rate_limit` calls
    per `rate_window` seconds and per key are allowed, then 429 until the window ends.
    `seed` makes a run repeatable.
    """

    error_rate: float = 0.0
    drop_rate: float = 0.0
    burst_rate: float = 0.0
    burst_length: int = 3
    retry_after: float = 1.0
    retry_after_header: bool = True
    latency: float = 0.0
    rate_limit: int | None = None
    rate_window: float = 60.0
    seed: int | None = None

    @property
    def active(self) -> bool:
        return bool(
            self.error_rate
            or self.drop_rate
            or self.burst_rate
            or self.latency
            or self.rate_limit is not None
        )


@dataclass(frozen=True)
class SandboxSettings:
    """Where the state lives and how the publication jobs behave.

    Delays are short by default so that a demo publishes in under a second; `max_records`
    turns a larger publication into status `limit_reached`, as a portal licence would.
    `licences` and `themes` are the domain's lists (id → label): metadata must use their ids.
    """

    state_dir: Path
    queued_delay: float = 0.1
    processing_delay: float = 0.2
    max_records: int | None = None
    templates: frozenset[str] = DEFAULT_TEMPLATES
    licences: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_LICENCES))
    themes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_THEMES))
    faults: Faults = field(default_factory=Faults)

    @property
    def database(self) -> Path:
        return self.state_dir / "portal.sqlite3"

    @property
    def files_dir(self) -> Path:
        return self.state_dir / "files"
