"""Run every registered check family over the federation, or over one file.

Each resource is read once; the table read serves every family. The result is a `Validation`:
the model, every finding (sorted, so outputs are deterministic) and the schemas used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from publisher.checks import DatasetContext, ResourceContext, families
from publisher.errors import InputFileError
from publisher.findings import Finding, Location, Severity
from publisher.model import Commune, Dataset, Federation, Resource
from publisher.read import ReadResult, read_resource
from publisher.schemas import SchemaRegistry, SharedSchema

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Validation:
    """Findings of one run, with what they were checked against."""

    findings: tuple[Finding, ...]
    schemas: tuple[SharedSchema, ...]
    generated_at: datetime
    federation: Federation | None = None
    checked_files: tuple[str, ...] = field(default=())
    delimiters: dict[str, str] = field(default_factory=dict)
    """Delimiter found in each CSV file read (by repository path), so later stages never
    re-read a file to learn it."""

    def counts(self, findings: Iterable[Finding] | None = None) -> dict[str, int]:
        counter = Counter(f.severity for f in (self.findings if findings is None else findings))
        return {severity.value: counter.get(severity, 0) for severity in Severity}

    def of_dataset(self, dataset: Dataset) -> list[Finding]:
        return [
            f
            for f in self.findings
            if f.location.commune == dataset.commune and f.location.dataset == dataset.name
        ]

    def of_commune(self, commune: Commune) -> list[Finding]:
        return [f for f in self.findings if f.location.commune == commune.slug]

    def is_publishable(self, dataset: Dataset) -> bool:
        return not any(f.blocking for f in self.of_dataset(dataset))

    @property
    def has_blocking(self) -> bool:
        return any(f.blocking for f in self.findings)


def validate_federation(
    federation: Federation,
    registry: SchemaRegistry,
    *,
    today: date | None = None,
    on_dataset: Callable[[Dataset], None] | None = None,
) -> Validation:
    """Check every dataset of the (possibly filtered) federation; `on_dataset` is told after
    each one (progress bars)."""
    now = datetime.now(PARIS)
    today = today or now.date()
    found: list[Finding] = []
    used: dict[str, SharedSchema] = {}
    delimiters: dict[str, str] = {}
    for commune, dataset in federation.datasets():
        context = DatasetContext(federation, commune, dataset, registry, today)
        for family in families():
            found.extend(family.check_dataset(context))
        package = {
            resource.name: _read(commune, dataset, resource) for resource in dataset.resources
        }
        for resource in dataset.resources:
            schema = registry.find(resource.schema) if resource.schema else None
            if schema is not None:
                used[schema.ref] = schema
            where, read = package[resource.name]
            reads = {name: result for name, (_, result) in package.items()}
            found.extend(_run_families(commune, dataset, resource, schema, where, read, reads))
            if read.table is not None:
                delimiters[resource.relpath] = read.table.delimiter
        if on_dataset is not None:
            on_dataset(dataset)
    return Validation(
        findings=tuple(sorted(found, key=Finding.sort_key)),
        schemas=tuple(used[ref] for ref in sorted(used)),
        generated_at=now,
        federation=federation,
        delimiters=delimiters,
    )


def check_file(
    path: Path, schema: SharedSchema | None, *, shown_path: str | None = None
) -> Validation:
    """Check one file as an officer would before uploading it."""
    if not path.is_file():
        raise InputFileError(
            "fichier introuvable",
            path=shown_path or path,
            hint="Vérifiez le chemin (glissez le fichier dans le terminal pour l'écrire sans "
            "faute).",
        )
    fmt = path.suffix.lstrip(".").lower()
    shown = shown_path or path.as_posix()
    resource = Resource(
        name=path.stem,
        path=path,
        relpath=shown,
        format=fmt if fmt in ("json", "geojson") else "csv",
        delimiter=None,
        schema=schema.ref if schema else None,
        title=path.name,
        description=None,
    )
    where, read = _read(None, None, resource)
    found = _run_families(None, None, resource, schema, where, read, {resource.name: read})
    return Validation(
        findings=tuple(sorted(found, key=Finding.sort_key)),
        schemas=(schema,) if schema else (),
        generated_at=datetime.now(PARIS),
        checked_files=(shown,),
    )


def _read(
    commune: Commune | None, dataset: Dataset | None, resource: Resource
) -> tuple[Location, ReadResult]:
    """Read the file once: every family, and the foreign keys of its siblings, use this read."""
    where = Location(
        commune=commune.slug if commune else None,
        dataset=dataset.name if dataset else None,
        resource=resource.name,
        path=resource.relpath,
    )
    return where, read_resource(resource.path, resource.format, resource.delimiter, where)


def _run_families(
    commune: Commune | None,
    dataset: Dataset | None,
    resource: Resource,
    schema: SharedSchema | None,
    where: Location,
    read: ReadResult,
    package: dict[str, ReadResult],
) -> list[Finding]:
    context = ResourceContext(commune, dataset, resource, read, schema, where, package)
    return [finding for family in families() for finding in family.check_resource(context)]
