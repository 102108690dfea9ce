"""Run every registered check family over the federation, or over one file.

Each resource is read once; the table read serves every family. The result is a `Validation`:
the model, every finding (sorted, so outputs are deterministic) and the schemas used. Findings
are kept up to a cap per (code, file, column) and the groups cut are counted in full
(`sampled`), so a file with millions of errors stays readable and nothing is lost in silence.
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
from publisher.findings import DEFAULT_CAP, Finding, Location, Sampled, Severity, cap_findings
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
    sampled: tuple[Sampled, ...] = field(default=())
    """Groups of findings kept only up to the cap, with their full counts."""

    def counts(
        self, findings: Iterable[Finding] | None = None, sampled: Iterable[Sampled] | None = None
    ) -> dict[str, int]:
        """Findings by severity, those beyond the cap included (every one of `sampled`, or of
        the whole run when `findings` is not given)."""
        counter = Counter(f.severity for f in (self.findings if findings is None else findings))
        for group in self.sampled if findings is None else (sampled or ()):
            counter[group.severity] += group.hidden
        return {severity.value: counter.get(severity, 0) for severity in Severity}

    def sampled_in(self, commune: str | None, dataset: str | None = None) -> list[Sampled]:
        """The capped groups of a commune (or of one of its datasets)."""
        return [
            group
            for group in self.sampled
            if group.location.commune == commune
            and (dataset is None or group.location.dataset == dataset)
        ]

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
    cap: int = DEFAULT_CAP,
) -> Validation:
    """Check every dataset of the (possibly filtered) federation; `on_dataset` is told after
    each one (progress bars); `cap` findings at most per (code, file, column)."""
    now = datetime.now(PARIS)
    today = today or now.date()
    found: list[Finding] = []
    sampled: list[Sampled] = []
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
            kept, cut = _run_families(commune, dataset, resource, schema, where, read, reads, cap)
            found.extend(kept)
            sampled.extend(cut)
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
        sampled=tuple(sampled),
    )


def check_file(
    path: Path,
    schema: SharedSchema | None,
    *,
    shown_path: str | None = None,
    cap: int = DEFAULT_CAP,
) -> Validation:
    """Check one file as an officer would before uploading it (`cap`: findings kept per code
    and column, the others counted)."""
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
    found, sampled = _run_families(
        None, None, resource, schema, where, read, {resource.name: read}, cap
    )
    return Validation(
        findings=tuple(sorted(found, key=Finding.sort_key)),
        schemas=(schema,) if schema else (),
        generated_at=datetime.now(PARIS),
        checked_files=(shown,),
        sampled=tuple(sampled),
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
    cap: int,
) -> tuple[list[Finding], list[Sampled]]:
    """Every family on one read resource: findings kept up to `cap` per group, and the groups
    cut, counted in full."""
    context = ResourceContext(commune, dataset, resource, read, schema, where, package, cap)
    found = [finding for family in families() for finding in family.check_resource(context)]
    return cap_findings(found, cap, context.totals)
