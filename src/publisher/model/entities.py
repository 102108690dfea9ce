"""The typed, immutable picture of the data repository that every later stage reads.

Built once by `publisher.model.loader`; checks, reports and the publish plan never re-read YAML.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.findings import Finding
from publisher.schemas import SchemaRegistry


@dataclass(frozen=True)
class Portal:
    """The shared Opendatasoft portal of the federation.

    `licence_ids` (SPDX id → portal `license_id`) and `theme_ids` (theme label → portal
    `theme_id`) are the domain's own identifiers: configuration, never guessed.
    """

    name: str
    url: str
    language: str
    timezone: str
    attributions: tuple[str, ...]
    licence_ids: dict[str, str] = field(default_factory=dict)
    theme_ids: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Resource:
    """One data file of a dataset, with how to read it."""

    name: str
    path: Path
    relpath: str
    format: str
    delimiter: str | None
    schema: str | None
    title: str
    description: str | None
    foreign_keys: tuple[dict[str, Any], ...] = ()
    """Table Schema foreignKeys towards other resources of the same dataset."""


@dataclass(frozen=True)
class PersonalData:
    """The dataset's declaration about personal data (CRPA L312-1-2)."""

    status: str
    legal_basis: str | None = None
    columns: tuple[str, ...] = ()
    quasi_identifiers: tuple[str, ...] = ()
    method: str | None = None


@dataclass(frozen=True)
class Dataset:
    """A dataset folder: its descriptor (when usable) and the problems met loading it.

    `problems` holds descriptor findings; when any is blocking, `descriptor` may be partial and
    `resources` holds only the files that could be located safely.
    """

    commune: str
    name: str
    folder: Path
    descriptor_path: Path
    relpath: str
    descriptor: dict[str, Any]
    resources: tuple[Resource, ...]
    problems: tuple[Finding, ...] = ()

    @property
    def portal_id(self) -> str:
        """Stable portal identifier: it must never change once published."""
        return f"{self.commune}-{self.name}"

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title") or self.name)

    @property
    def description(self) -> str:
        return str(self.descriptor.get("description") or "")

    @property
    def licenses(self) -> tuple[str, ...]:
        raw = self.descriptor.get("licenses") or []
        return tuple(
            str(item["name"]) for item in raw if isinstance(item, dict) and item.get("name")
        )

    @property
    def license_homologation(self) -> str | None:
        for item in self.descriptor.get("licenses") or []:
            if isinstance(item, dict) and item.get("homologation"):
                return str(item["homologation"])
        return None

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(str(k) for k in self.descriptor.get("keywords") or [])

    @property
    def themes(self) -> tuple[str, ...]:
        return tuple(str(t) for t in self.descriptor.get("themes") or [])

    @property
    def frequency(self) -> str | None:
        value = self.descriptor.get("frequency")
        return str(value) if value else None

    @property
    def modified(self) -> str | None:
        value = self.descriptor.get("modified")
        return str(value) if value else None

    @property
    def contact_email(self) -> str | None:
        for contributor in self.descriptor.get("contributors") or []:
            if isinstance(contributor, dict) and "contact" in (contributor.get("roles") or []):
                return contributor.get("email")
        return None

    @property
    def contact_name(self) -> str | None:
        for contributor in self.descriptor.get("contributors") or []:
            if isinstance(contributor, dict) and "contact" in (contributor.get("roles") or []):
                return contributor.get("title")
        return None

    @property
    def regime(self) -> str:
        """Reuse regime: `crpa` unless the descriptor says `transport` (rule LIC-04)."""
        return str(self.descriptor.get("regime") or "crpa")

    @property
    def personal_data(self) -> PersonalData | None:
        raw = self.descriptor.get("personal_data")
        if not isinstance(raw, dict) or "status" not in raw:
            return None
        return PersonalData(
            status=str(raw["status"]),
            legal_basis=raw.get("legal_basis"),
            columns=tuple(raw.get("columns") or ()),
            quasi_identifiers=tuple(raw.get("quasi_identifiers") or ()),
            method=raw.get("method"),
        )


@dataclass(frozen=True)
class Attestation:
    """A signed human statement that a rule's non-automatic part is met (audit evidence).

    `line` is the YAML line of the entry in `attestations.yaml`, for error messages.
    """

    rule: str
    signatory: str
    role: str
    signed: str
    evidence: str
    expires: str
    statement: str | None = None
    line: int | None = None

    def is_valid_on(self, day: str) -> bool:
        """ISO dates compare as text: valid from its signature to its expiry, both included."""
        return self.signed <= day <= self.expires


@dataclass(frozen=True)
class Commune:
    """A member commune and the legal facts its duties depend on."""

    slug: str
    name: str
    official_name: str
    insee: str
    siren: str
    population_total: int
    population_millesime: int
    staff_fte: float
    contact_name: str
    contact_email: str
    email_domains: tuple[str, ...]
    folder: Path
    datasets: tuple[Dataset, ...] = ()
    siret: str | None = None
    roles: tuple[str, ...] = ()
    """Sector competences the commune exercises itself (`amenageur-irve`,
    `gestionnaire-stationnement`)."""
    population_source: str | None = None
    staff_fte_date: str | None = None
    staff_fte_source: str | None = None
    attestations: tuple[Attestation, ...] = ()
    attestations_path: str | None = None
    """Repository path of `attestations.yaml`, when the commune keeps one."""


@dataclass(frozen=True)
class Federation:
    """The métropole's federation: its portal, schema registry and member communes."""

    root: Path
    name: str
    siren: str
    portal: Portal
    schemas_dir: Path
    registry: SchemaRegistry
    communes: tuple[Commune, ...] = field(default=())

    def commune(self, slug: str) -> Commune:
        for commune in self.communes:
            if commune.slug == slug:
                return commune
        raise KeyError(slug)

    def datasets(self) -> Iterator[tuple[Commune, Dataset]]:
        for commune in self.communes:
            for dataset in commune.datasets:
                yield commune, dataset
