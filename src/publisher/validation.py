"""Run every registered check family over the federation, or over one file.

Each resource is read once, a batch of records at a time (`read.read_batches`), and each batch
serves every family, so memory does not grow with the file. The result is a `Validation`:
the model, every finding (sorted, so outputs are deterministic) and the schemas used. Findings
are kept up to a cap per (code, file, column) and the groups cut are counted in full
(`sampled`), so a file with millions of errors stays readable and nothing is lost in silence.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from publisher.cache import CheckCache, FileChecks, dataset_key
from publisher.checks import DatasetContext, ResourceContext, families
from publisher.errors import InputFileError
from publisher.findings import DEFAULT_CAP, Finding, Location, Sampled, Sampler, Severity
from publisher.model import Commune, Dataset, Federation, Resource
from publisher.read import BATCH_BYTES, ReadResult, ResourceFile
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
    rechecked: int = 0
    """Datasets whose files were checked in this run."""
    from_cache: int = 0
    """Datasets whose file findings were taken from the cache, their inputs unchanged."""
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
    cache_dir: Path | None = None,
    workers: int | None = None,
    cap: int = DEFAULT_CAP,
) -> Validation:
    """Check every dataset of the (possibly filtered) federation; `on_dataset` is told after
    each one (progress bars); `cap` findings at most per (code, file, column), the others
    counted.

    With `cache_dir`, a dataset whose files, descriptor, schemas, commune and rules did not
    change keeps its file findings from the cache (`publisher.cache`). The files of the other
    datasets are checked in worker processes when there is enough data for it to pay
    (`workers`: None decides by size, 1 forces serial, more forces that many workers).
    """
    now = datetime.now(PARIS)
    today = today or now.date()
    check_cache = CheckCache(cache_dir) if cache_dir is not None else None
    outcomes: dict[tuple[str, str], FileChecks] = {}
    todo: list[tuple[Commune, Dataset, str | None]] = []
    for commune, dataset in federation.datasets():
        key = (
            dataset_key(federation, commune, dataset, registry, today, cap)
            if check_cache is not None
            else None
        )
        cached = check_cache.load(dataset, key) if check_cache and key else None
        if cached is not None:
            outcomes[commune.slug, dataset.name] = cached
        else:
            todo.append((commune, dataset, key))
    found: list[Finding] = []
    for commune, dataset in federation.datasets():
        context = DatasetContext(federation, commune, dataset, registry, today)
        for family in families():
            found.extend(family.check_dataset(context))
        if (commune.slug, dataset.name) in outcomes and on_dataset is not None:
            on_dataset(dataset)
    for (commune, dataset, key), checks in _check_files(todo, registry, workers, cap):
        outcomes[commune.slug, dataset.name] = checks
        if check_cache is not None and key is not None:
            check_cache.store(dataset, key, checks)
        if on_dataset is not None:
            on_dataset(dataset)
    sampled: list[Sampled] = []
    used: dict[str, SharedSchema] = {}
    delimiters: dict[str, str] = {}
    for commune, dataset in federation.datasets():
        checks = outcomes[commune.slug, dataset.name]
        found.extend(checks.findings)
        sampled.extend(checks.sampled)
        delimiters.update(checks.delimiters)
        for ref in checks.schemas:
            schema = registry.find(ref)
            if schema is not None:
                used[schema.ref] = schema
    return Validation(
        findings=tuple(sorted(found, key=Finding.sort_key)),
        schemas=tuple(used[ref] for ref in sorted(used)),
        generated_at=now,
        federation=federation,
        delimiters=delimiters,
        rechecked=len(todo),
        from_cache=len(outcomes) - len(todo),
        sampled=tuple(sampled),
    )


PARALLEL_MIN_BYTES = 64 * 2**20
"""Below this much data to check, starting worker processes (each imports the checkers, about
a second) costs more than it saves; why this size: docs/engine.md, « Fédération : cache et
processus »."""


def _check_files(
    todo: list[tuple[Commune, Dataset, str | None]],
    registry: SchemaRegistry,
    workers: int | None,
    cap: int,
) -> Iterator[tuple[tuple[Commune, Dataset, str | None], FileChecks]]:
    """Check the files of each dataset of `todo`, serially or in worker processes, yielding
    each result as it comes (in `todo`'s order)."""
    if workers is None:
        size = sum(_size(r.path) for _, dataset, _ in todo for r in dataset.resources)
        workers = min(_cores(), len(todo)) if size >= PARALLEL_MIN_BYTES else 1
    if workers <= 1 or len(todo) <= 1:
        for item in todo:
            yield item, check_dataset_files(item[0], item[1], registry, cap)
        return
    from concurrent.futures import ProcessPoolExecutor  # only a big federation needs processes
    from multiprocessing import get_context

    # spawn, not fork: polars' thread pool does not survive a fork
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        results = [
            pool.submit(check_dataset_files, commune, dataset, registry, cap)
            for commune, dataset, _ in todo
        ]
        for item, result in zip(todo, results, strict=True):
            yield item, result.result()


def check_dataset_files(
    commune: Commune,
    dataset: Dataset,
    registry: SchemaRegistry,
    cap: int = DEFAULT_CAP,
    batch_bytes: int | None = BATCH_BYTES,
) -> FileChecks:
    """Read each resource of the dataset a batch at a time and run every family on each batch
    (each resource may read its siblings again, for foreign keys)."""
    found: list[Finding] = []
    sampled: list[Sampled] = []
    schemas: list[str] = []
    delimiters: dict[str, str] = {}
    package = {
        resource.name: _resource_file(commune, dataset, resource, batch_bytes)
        for resource in dataset.resources
    }
    for resource in dataset.resources:
        schema = registry.find(resource.schema) if resource.schema else None
        if schema is not None:
            schemas.append(schema.ref)
        kept, cut, delimiter = _run_families(
            commune, dataset, resource, schema, package[resource.name], package, cap
        )
        found.extend(kept)
        sampled.extend(cut)
        if delimiter is not None:
            delimiters[resource.relpath] = delimiter
    return FileChecks(tuple(found), tuple(schemas), delimiters, tuple(sampled))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_file(
    path: Path,
    schema: SharedSchema | None,
    *,
    shown_path: str | None = None,
    cap: int = DEFAULT_CAP,
    batch_bytes: int | None = BATCH_BYTES,
) -> Validation:
    """Check one file as an officer would before uploading it (`cap`: findings kept per code
    and column, the others counted; `batch_bytes`: how much of the file is checked at a
    time)."""
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
    source = _resource_file(None, None, resource, batch_bytes)
    found, sampled, _ = _run_families(
        None, None, resource, schema, source, {resource.name: source}, cap
    )
    return Validation(
        findings=tuple(sorted(found, key=Finding.sort_key)),
        schemas=(schema,) if schema else (),
        generated_at=datetime.now(PARIS),
        checked_files=(shown,),
        sampled=tuple(sampled),
    )


def _resource_file(
    commune: Commune | None, dataset: Dataset | None, resource: Resource, batch_bytes: int | None
) -> ResourceFile:
    where = Location(
        commune=commune.slug if commune else None,
        dataset=dataset.name if dataset else None,
        resource=resource.name,
        path=resource.relpath,
    )
    return ResourceFile(resource.path, resource.format, resource.delimiter, where, batch_bytes)


def _run_families(
    commune: Commune | None,
    dataset: Dataset | None,
    resource: Resource,
    schema: SharedSchema | None,
    source: ResourceFile,
    package: dict[str, ResourceFile],
    cap: int,
) -> tuple[list[Finding], list[Sampled], str | None]:
    """Every family on each batch of one resource, then once more to finish: findings kept
    up to `cap` per group, the groups cut counted in full, and the CSV delimiter found. Only
    one batch is in memory at a time; the families' `prepare_batch` work on it in a second
    thread while the others check it."""
    every = families()
    preparing = [family for family in every if family.prepares]
    context = ResourceContext(
        commune, dataset, resource, ReadResult(None, ()), schema, source.where, package, cap
    )
    sampler = Sampler(cap, context.totals)
    delimiter = None
    with ThreadPoolExecutor(1) as worker:
        for index, read in enumerate(source.batches()):
            context = replace(context, read=read, batch=index, prepared={})  # same carry
            ahead = {f.name: worker.submit(f.prepare_batch, context) for f in preparing}
            for family in every:
                if not family.prepares:
                    sampler.add(family.check_resource(context))
            prepared = {name: result.result() for name, result in ahead.items()}
            context = replace(context, prepared=prepared)
            for family in preparing:
                sampler.add(family.check_resource(context))
            if read.table is not None:
                delimiter = read.table.delimiter
    sampler.add(finding for family in every for finding in family.finish_resource(context))
    kept, cut = sampler.result()
    return kept, cut, delimiter
