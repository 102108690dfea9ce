"""Knobs of the sandbox portal, in one object so that new behaviours get a field, not a flag."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_TEMPLATES = frozenset(
    {"default", "internal", "dcat", "visualization", "asset_content_configuration", "inspire"}
)


@dataclass(frozen=True)
class SandboxSettings:
    """Where the state lives and how the publication jobs behave.

    Delays are short by default so that a demo publishes in under a second; `max_records`
    turns a larger publication into status `limit_reached`, as a portal licence would.
    """

    state_dir: Path
    queued_delay: float = 0.1
    processing_delay: float = 0.2
    max_records: int | None = None
    templates: frozenset[str] = DEFAULT_TEMPLATES

    @property
    def database(self) -> Path:
        return self.state_dir / "portal.sqlite3"

    @property
    def files_dir(self) -> Path:
        return self.state_dir / "files"
