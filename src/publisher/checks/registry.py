"""The one place that knows every check family.

A family is a small class in its own module, registered here with the codes it may emit. The
engine hands each family the model and the table read once, a batch of rows at a time;
families never read files, YAML or each other, and they return findings, never raise for bad
data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Protocol

from publisher.findings import DEFAULT_CAP, Finding, Location
from publisher.model import Commune, Dataset, Federation, Resource
from publisher.read import ReadResult, ResourceFile
from publisher.schemas import SchemaRegistry, SharedSchema


@dataclass(frozen=True)
class DatasetContext:
    """What a dataset-level check may look at."""

    federation: Federation | None
    commune: Commune | None
    dataset: Dataset
    registry: SchemaRegistry
    today: date


@dataclass(frozen=True)
class ResourceContext:
    """What a resource-level check may look at: one batch of the file, already read, in
    `read` (a small file is one batch; `batch` counts them from 0).

    `dataset` is None when an officer checks a lone file (`publisher check`); `package` holds
    the dataset's resource files, by name, to read a sibling's keys (foreign keys).
    `carry` is what families keep between the batches of one file (values already seen, hits
    so far), each under its own name. Findings are kept up to `cap` per (code, file, column):
    a family may stop building them there if it writes the running full count of the group
    in `totals` (`findings.group_of`); the engine caps the others and counts every one.
    `prepared` holds what each family's `prepare_batch` made of this batch, by name.
    """

    commune: Commune | None
    dataset: Dataset | None
    resource: Resource
    read: ReadResult
    schema: SharedSchema | None
    where: Location
    package: Mapping[str, ResourceFile] = field(default_factory=dict)
    cap: int = DEFAULT_CAP
    totals: dict[tuple[str, Location], int] = field(default_factory=dict)
    batch: int = 0
    carry: dict[str, Any] = field(default_factory=dict)
    prepared: Mapping[str, Any] = field(default_factory=dict)


class CheckFamily(Protocol):
    """A family of checks; it implements the hooks it needs. `check_resource` sees each batch
    of a file in turn; `finish_resource`, called once after the last batch (with its
    context), reports what needs every row (values met in several batches).

    `prepare_batch` is the part of a batch's work that needs nothing from earlier batches
    but a memo of its own in `carry`: the engine runs it in a second thread while the other
    families check the same batch (one batch after the other, in the file's order), and
    hands its result to `check_resource` in `context.prepared`. polars releases the
    interpreter while it computes, so both cores work."""

    name: ClassVar[str]
    codes: ClassVar[tuple[str, ...]]
    prepares: ClassVar[bool]

    def check_dataset(self, context: DatasetContext) -> Iterable[Finding]: ...

    def prepare_batch(self, context: ResourceContext) -> Any: ...

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]: ...

    def finish_resource(self, context: ResourceContext) -> Iterable[Finding]: ...


class BaseFamily:
    """Defaults for the hooks a family does not need."""

    name: ClassVar[str] = ""
    codes: ClassVar[tuple[str, ...]] = ()

    def check_dataset(self, context: DatasetContext) -> Iterable[Finding]:
        return ()

    prepares: ClassVar[bool] = False
    """Whether the family has a `prepare_batch` worth a thread."""

    def prepare_batch(self, context: ResourceContext) -> Any:
        return None

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        return ()

    def finish_resource(self, context: ResourceContext) -> Iterable[Finding]:
        return ()


FAMILIES: dict[str, CheckFamily] = {}


def register(family: type[BaseFamily]) -> type[BaseFamily]:
    """Class decorator: add a family to the registry under its name."""
    if family.name in FAMILIES:
        raise ValueError(f"famille de contrôles déjà enregistrée : {family.name}")
    FAMILIES[family.name] = family()
    return family


def families() -> list[CheckFamily]:
    """Every registered family, importing the family modules on first use."""
    from publisher.checks import (  # noqa: F401
        custom,
        descriptor,
        file_format,
        json_schema,
        legal,
        privacy,
        spreadsheet,
        table_schema,
    )

    return list(FAMILIES.values())
