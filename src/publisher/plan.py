"""From the model and its findings to what the portal should show: the publish plan.

Only datasets without blocking findings get a payload; the others are listed with the codes
that block them. Metadata follow the portal's templates (`default`, `dcat`, `internal`),
with the French frequency labels and the licence labels the portal shows.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from publisher.model import Commune, Dataset, Federation, Resource
from publisher.portal import DatasetPayload, ResourceFile
from publisher.validation import Validation
from publisher.vocabularies import FREQUENCIES, licence

EXTRACTORS = {"csv": "csvfile", "json": "jsonfile", "geojson": "geojsonfile"}


@dataclass(frozen=True)
class BlockedDataset:
    """A dataset left out of the push, with the codes of its blocking findings."""

    dataset_id: str
    commune: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class PublishPlan:
    payloads: tuple[DatasetPayload, ...]
    blocked: tuple[BlockedDataset, ...]


def build_plan(validation: Validation) -> PublishPlan:
    """Payloads for every dataset the validation lets through."""
    federation = validation.federation
    if federation is None:
        return PublishPlan((), ())
    payloads, blocked = [], []
    for commune, dataset in federation.datasets():
        blocking = sorted({f.code for f in validation.of_dataset(dataset) if f.blocking})
        if blocking or not dataset.resources:
            blocked.append(BlockedDataset(dataset.portal_id, commune.slug, tuple(blocking)))
            continue
        payloads.append(
            DatasetPayload(
                dataset_id=dataset.portal_id,
                commune=commune.slug,
                metadata=dataset_metadata(federation, commune, dataset),
                files=tuple(
                    _resource_file(resource, validation.delimiters.get(resource.relpath, ","))
                    for resource in dataset.resources
                ),
            )
        )
    return PublishPlan(tuple(payloads), tuple(blocked))


def dataset_metadata(
    federation: Federation, commune: Commune, dataset: Dataset
) -> dict[str, dict[str, object]]:
    """The portal metadata a dataset's descriptor stands for (one template at a time)."""
    publisher = dataset.descriptor.get("publisher") or {}
    default: dict[str, object] = {
        "title": dataset.title,
        "description": _html_paragraphs(dataset.description),
        "keyword": list(dataset.keywords),
        "language": federation.portal.language,
        "timezone": federation.portal.timezone,
        "modified": _iso_datetime(dataset.modified),
        "publisher": publisher.get("name") or commune.official_name,
    }
    if federation.portal.attributions:
        default["attributions"] = list(federation.portal.attributions)
    licences = [licence(name) for name in dataset.licenses]
    internal: dict[str, object] = {"theme_id": list(dataset.themes)}
    if licences and licences[0] is not None:
        internal["license_id"] = licences[0].portal_label
    dcat: dict[str, object] = {}
    if dataset.frequency in FREQUENCIES:
        dcat["accrualperiodicity"] = FREQUENCIES[dataset.frequency].label
    if dataset.contact_email:
        dcat["contact_email"] = dataset.contact_email
        dcat["contact_name"] = dataset.contact_name or commune.contact_name
    issued = dataset.descriptor.get("issued")
    if issued:
        dcat["issued"] = _iso_datetime(str(issued))
    dcat["creator"] = commune.official_name
    return {"default": default, "dcat": dcat, "internal": internal}


def _resource_file(resource: Resource, delimiter: str) -> ResourceFile:
    extractor = EXTRACTORS.get(resource.format, "csvfile")
    params: dict[str, object] = {}
    if extractor == "csvfile":
        params = {
            "separator": delimiter,
            "encoding": "utf-8",
            "headers_first_row": True,
            "doublequote": True,
        }
    return ResourceFile(
        path=resource.path, title=resource.title, extractor=extractor, params=params
    )


def _html_paragraphs(text: str) -> str:
    """The portal shows descriptions as HTML: escape, one paragraph per blank-line block."""
    blocks = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
    return "".join(f"<p>{html.escape(block)}</p>" for block in blocks)


def _iso_datetime(day: str | None) -> str:
    """Descriptor dates are checked before a dataset gets a payload (DESC-PROFILE, DESC-DATE)."""
    return f"{date.fromisoformat(str(day)).isoformat()}T00:00:00+00:00"
