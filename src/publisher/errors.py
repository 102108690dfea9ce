"""One exception tree for everything that stops `publisher` from going on.

Problems in the *data* (a wrong cell, a descriptor missing a key) are never exceptions:
they are `Finding`s, collected in full. Exceptions mean "cannot continue":

    PublisherError                 exit code 2 unless stated
    ├── ConfigurationError         federation.yaml, commune.yaml, unknown commune, bad option
    ├── SchemaRegistryError        unknown or unreadable shared schema
    ├── InputFileError             a file given on the command line cannot be read
    └── PortalError                exit code 3: the portal refused or could not be reached
        ├── PortalAuthError        401 / 403, or a key used outside its commune
        └── PortalUnavailableError connection failures, 5xx and 429 after retries

Every message is French, names the file, key or dataset it is about and says how to fix it.
"""

from __future__ import annotations

from pathlib import Path


class PublisherError(Exception):
    """Base of every error `publisher` raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, path: Path | str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.hint = hint

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle every attribute, so an error raised in a worker process comes back whole."""
        return (_rebuild, (type(self), self.__dict__))

    def __str__(self) -> str:
        where = f"{self.path} : " if self.path else ""
        fix = f"\n  → {self.hint}" if self.hint else ""
        return f"{where}{self.message}{fix}"


class ConfigurationError(PublisherError):
    """The data repository or an option cannot be used as it is."""


class SchemaRegistryError(PublisherError):
    """A shared schema is unknown, or its vendored copy is unreadable."""


class InputFileError(PublisherError):
    """A file named by the user cannot be opened or decoded."""


class PortalError(PublisherError):
    """The portal answered with an error, or a push cannot be done safely."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_code: str | None = None,
        dataset_id: str | None = None,
        hint: str | None = None,
    ):
        super().__init__(message, hint=hint)
        self.status_code = status_code
        self.error_code = error_code
        self.dataset_id = dataset_id


class PortalAuthError(PortalError):
    """The API key is missing, refused, or not allowed to touch this dataset."""


class PortalUnavailableError(PortalError):
    """The portal could not be reached or kept failing after retries."""


def _rebuild(kind: type[PublisherError], attributes: dict[str, object]) -> PublisherError:
    error = kind.__new__(kind)
    Exception.__init__(error, attributes.get("message"))
    error.__dict__.update(attributes)
    return error
