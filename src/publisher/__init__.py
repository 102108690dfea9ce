"""publisher: valid, lawful open data of the communes of a métropole, published safely.

The small public API; everything else lives in sub-packages.
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("publisher")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

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
