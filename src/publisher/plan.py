"""From the model and its findings to what the portal should show: the publish plan.

Only datasets without blocking findings get a payload; the others are listed with the codes
that block them. Metadata follow the portal's templates (`default`, `dcat`, `internal`):
French frequency labels, keywords cleaned of blanks and repeats, and the licence and themes
by the domain's identifiers from `federation.yaml` (`portal.licences`, `portal.themes`). A
licence without identifier blocks the dataset, an unknown theme is left out with a warning.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import date

from publisher.codes import make
from publisher.findings import Finding, Location
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
    """Payloads to push, datasets held back, and what mapping the metadata found."""

    payloads: tuple[DatasetPayload, ...]
    blocked: tuple[BlockedDataset, ...]
    findings: tuple[Finding, ...] = ()

    def known_ids(self, commune: str) -> set[str]:
        """Every dataset id the repository has for `commune`, blocked ones included."""
        return {
            item.dataset_id for item in (*self.payloads, *self.blocked) if item.commune == commune
        }


def build_plan(validation: Validation) -> PublishPlan:
    """Payloads for every dataset the validation (and the metadata mapping) lets through."""
    federation = validation.federation
    if federation is None:
        return PublishPlan((), ())
    payloads, blocked, found = [], [], []
    for commune, dataset in federation.datasets():
        mapping = _mapping_findings(federation, commune, dataset)
        found.extend(mapping)
        findings = [*validation.of_dataset(dataset), *mapping]
        blocking = sorted({f.code for f in findings if f.blocking})
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
    return PublishPlan(tuple(payloads), tuple(blocked), tuple(found))


def _mapping_findings(federation: Federation, commune: Commune, dataset: Dataset) -> list[Finding]:
    """An allowed licence without portal id (blocking), themes the portal does not know."""
    portal = federation.portal
    where = Location(commune=commune.slug, dataset=dataset.name, path=dataset.relpath)
    found = [
        make("PORTAL-LICENCE", replace(where, key="licenses"), license=name)
        for name in dataset.licenses[:1]
        if licence(name) is not None and name not in portal.licence_ids
    ]
    known = ", ".join(sorted(portal.theme_ids)) or "aucun thème configuré"
    found += [
        make(
            "PORTAL-THEME",
            replace(where, key="themes"),
            value=theme,
            theme=theme,
            known=known,
        )
        for theme in dataset.themes
        if theme not in portal.theme_ids
    ]
    return found


def dataset_metadata(
    federation: Federation, commune: Commune, dataset: Dataset
) -> dict[str, dict[str, object]]:
    """The portal metadata a dataset's descriptor stands for (one template at a time)."""
    publisher = dataset.descriptor.get("publisher") or {}
    default: dict[str, object] = {
        "title": dataset.title,
        "description": _html_paragraphs(dataset.description),
        "keyword": _keywords(dataset.keywords),
        "language": federation.portal.language,
        "timezone": federation.portal.timezone,
        "modified": _iso_datetime(dataset.modified),
        "publisher": publisher.get("name") or commune.official_name,
    }
    if federation.portal.attributions:
        default["attributions"] = list(federation.portal.attributions)
    portal = federation.portal
    internal: dict[str, object] = {
        "theme_id": [portal.theme_ids[t] for t in dataset.themes if t in portal.theme_ids]
    }
    if dataset.licenses and dataset.licenses[0] in portal.licence_ids:
        internal["license_id"] = portal.licence_ids[dataset.licenses[0]]
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


def _keywords(keywords: tuple[str, ...]) -> list[str]:
    """One spelling per keyword, blanks trimmed, repeats (whatever their case) dropped."""
    kept: dict[str, str] = {}
    for keyword in keywords:
        text = " ".join(keyword.split())
        if text:
            kept.setdefault(text.casefold(), text)
    return list(kept.values())


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
