"""publisher: valid, lawful open data of the communes of a métropole, published safely.

The small public API; everything else lives in sub-packages.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
"""The package's version, which its metadata takes (pyproject.toml): reading it back from the
installed metadata would cost every report a search of the installed packages."""

if TYPE_CHECKING:
    from publisher.errors import (
        ConfigurationError,
        InputFileError,
        PortalAuthError,
        PortalError,
        PortalUnavailableError,
        PublisherError,
        SchemaRegistryError,
    )
    from publisher.findings import Finding, Location, Severity
    from publisher.model import Federation, load_federation
    from publisher.schemas import SchemaRegistry
    from publisher.validation import Validation, check_file, validate_federation

_HOMES = {
    "ConfigurationError": "publisher.errors",
    "InputFileError": "publisher.errors",
    "PortalAuthError": "publisher.errors",
    "PortalError": "publisher.errors",
    "PortalUnavailableError": "publisher.errors",
    "PublisherError": "publisher.errors",
    "SchemaRegistryError": "publisher.errors",
    "Finding": "publisher.findings",
    "Location": "publisher.findings",
    "Severity": "publisher.findings",
    "Federation": "publisher.model",
    "load_federation": "publisher.model",
    "SchemaRegistry": "publisher.schemas",
    "Validation": "publisher.validation",
    "check_file": "publisher.validation",
    "validate_federation": "publisher.validation",
}
"""Where each public name lives: imported on first use, so that `import publisher.cli` (and
`publisher --help`) does not pay for polars and the checkers."""


def __dir__() -> list[str]:
    """The public names and the sub-packages already imported, as an eager package shows."""
    here = globals()
    loaded = {name for name, value in here.items() if isinstance(value, ModuleType)}
    return sorted({*loaded, *_HOMES} | {n for n in here if n.startswith("__")})


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'publisher' has no attribute {name!r}")


__all__ = [
    "ConfigurationError",
    "Federation",
    "Finding",
    "InputFileError",
    "Location",
    "PortalAuthError",
    "PortalError",
    "PortalUnavailableError",
    "PublisherError",
    "SchemaRegistry",
    "SchemaRegistryError",
    "Severity",
    "Validation",
    "__version__",
    "check_file",
    "load_federation",
    "validate_federation",
]
