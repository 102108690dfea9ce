"""The check cache: a dataset whose inputs did not move keeps the findings of its files.

One JSON file per dataset under `.publisher/cache/checks/<commune>/<dataset>.json`, written
atomically. It holds the key it was computed for; the key hashes everything the checks of
the dataset's files read: the files' bytes, the descriptor, the shared schemas they point to
(registry digests), `commune.yaml` and `federation.yaml`, the year the birth-date detector
counts up to, and the rules version (the package's source and data, and the versions of the
libraries that find things). An entry whose key, format or content does not match is
ignored and rewritten: the cache is never trusted blindly, and deleting it is always safe.

Dataset-level checks (descriptor, licence, freshness against today's date) read no file and
take milliseconds: they run at every run and are never cached.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from publisher.findings import Finding, Location, Sampled, Severity
from publisher.model import Commune, Dataset, Federation
from publisher.model.loader import COMMUNE_FILE, FEDERATION_FILE
from publisher.schemas import SchemaRegistry

CACHE_DIR = Path(".publisher") / "cache" / "checks"
"""Relative to the data repository root."""
FORMAT = 2
"""Bumped when the layout of an entry changes: older entries are then rebuilt."""
FINDING_LIBRARIES = ("polars", "frictionless", "phonenumbers", "python-stdnum", "jsonschema")
"""Libraries whose version can change what the checks find."""
_PACKAGE = Path(__file__).resolve().parent
_SOURCE_SUFFIXES = (".py", ".json", ".txt", ".yaml")


@dataclass(frozen=True)
class FileChecks:
    """What checking a dataset's files produced: what the cache keeps for it."""

    findings: tuple[Finding, ...] = ()
    schemas: tuple[str, ...] = ()
    """Refs of the shared schemas the files were checked against."""
    delimiters: dict[str, str] = field(default_factory=dict)
    sampled: tuple[Sampled, ...] = ()
    """Groups cut at the cap, with their full counts."""


@cache
def rules_version() -> str:
    """A digest of the package's source and data files and of the finding libraries'
    versions: any change of the rules, codes, wording or detectors changes it."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in FINDING_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent".encode())
    return digest.hexdigest()


def dataset_key(
    federation: Federation,
    commune: Commune,
    dataset: Dataset,
    registry: SchemaRegistry,
    today: date,
    cap: int,
) -> str:
    """The digest of every input of the checks of the dataset's files (and of the cap on
    findings kept per group)."""
    schemas = {}
    for resource in dataset.resources:
        if resource.schema:
            found = registry.find(resource.schema)
            schemas[resource.schema] = [found.ref, found.sha256] if found else None
    facts = {
        "rules": rules_version(),
        "federation": _file_digest(federation.root / FEDERATION_FILE),
        "commune": _file_digest(commune.folder / COMMUNE_FILE),
        "descriptor": _file_digest(dataset.descriptor_path),
        "resources": [
            [r.name, r.relpath, r.format, r.delimiter, r.schema, _file_digest(r.path)]
            for r in dataset.resources
        ],
        "schemas": schemas,
        "registry": registry.refs(),
        "birth_years_until": today.year,
        "cap": cap,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


class CheckCache:
    """Entries by dataset under `folder`; unreadable or stale entries count as absent."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load(self, dataset: Dataset, key: str) -> FileChecks | None:
        try:
            entry = json.loads(self._path(dataset).read_text("utf-8"))
            if entry["format"] != FORMAT or entry["key"] != key:
                return None
            return FileChecks(
                findings=tuple(finding_from_json(item) for item in entry["findings"]),
                schemas=tuple(entry["schemas"]),
                delimiters=dict(entry["delimiters"]),
                sampled=tuple(_sampled_from_json(item) for item in entry["sampled"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # absent, corrupt or from another layout: checked again

    def store(self, dataset: Dataset, key: str, checks: FileChecks) -> None:
        """Best effort: a cache that cannot be written only costs a check next time."""
        from publisher.reports import write_atomically

        try:
            entry = {
                "format": FORMAT,
                "key": key,
                "findings": [finding_to_json(finding) for finding in checks.findings],
                "schemas": list(checks.schemas),
                "delimiters": checks.delimiters,
                "sampled": [_sampled_to_json(group) for group in checks.sampled],
            }
            write_atomically(self._path(dataset), json.dumps(entry, ensure_ascii=False))
        except (OSError, TypeError):
            pass

    def _path(self, dataset: Dataset) -> Path:
        return self.folder / dataset.commune / f"{dataset.name}.json"


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """Every field of a finding, its parameters included, as JSON values."""
    data = finding.to_dict()
    data["params"] = _encode(finding.params)
    return data


def finding_from_json(data: dict[str, Any]) -> Finding:
    """The inverse of `finding_to_json`: equal finding, equal parameters."""
    return Finding(
        code=data["code"],
        severity=Severity(data["severity"]),
        location=Location(**data["location"]),
        message=data["message"],
        hint=data["hint"],
        value=data["value"],
        legal_basis=data["legal_basis"],
        params=_decode(data["params"]),
    )


def _sampled_to_json(group: Sampled) -> dict[str, Any]:
    return {
        "code": group.code,
        "severity": group.severity.value,
        "location": asdict(group.location),
        "total": group.total,
        "shown": group.shown,
    }


def _sampled_from_json(data: dict[str, Any]) -> Sampled:
    return Sampled(
        code=data["code"],
        severity=Severity(data["severity"]),
        location=Location(**data["location"]),
        total=data["total"],
        shown=data["shown"],
    )


def _encode(value: Any) -> Any:
    """JSON keeps lists and dicts of str keys; tuples are tagged so they come back tuples."""
    if isinstance(value, dict):
        return {"dict": {str(key): _encode(item) for key, item in value.items()}}
    if isinstance(value, tuple):
        return {"tuple": [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"paramètre de constat non sérialisable : {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        ((tag, content),) = value.items()
        if tag == "dict":
            return {key: _decode(item) for key, item in content.items()}
        if tag == "tuple":
            return tuple(_decode(item) for item in content)
        raise ValueError(f"étiquette inconnue dans le cache : {tag}")
    return value


def _file_digest(path: Path) -> str | None:
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None
