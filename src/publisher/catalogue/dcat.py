"""DCAT-AP 3 export of the federation's published datasets, for data.gouv.fr to harvest.

Built with rdflib from the descriptors, following the crosswalk of the conventions: the portal
page is the dataset's node and landing page, `dct:identifier` its portal id (never changed:
a new identifier creates a duplicate on data.gouv.fr), licence URLs data.gouv.fr recognises,
EU frequency and data-theme URIs, `dct:conformsTo` pointing at schema.data.gouv.fr. Every node
has a URI (no blank node), so the same repository gives the same graph.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from publisher.catalogue.files import FileHashes
from publisher.catalogue.scdl import dataset_page, published_datasets
from publisher.model import Commune, Dataset, Federation, Resource
from publisher.validation import Validation
from publisher.vocabularies import FREQUENCIES, licence

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
FRENCH = URIRef(EU + "language/FRA")
SIRENE = "https://annuaire-entreprises.data.gouv.fr/entreprise/"
INSEE_COMMUNE = "http://id.insee.fr/geo/commune/"
SCHEMAS_SITE = "https://schema.data.gouv.fr/"
THEMES = {
    "Administration": "GOVE",
    "Citoyenneté": "GOVE",
    "Culture": "EDUC",
    "Économie": "ECON",
    "Éducation": "EDUC",
    "Environnement": "ENVI",
    "Équipements": "REGI",
    "Santé": "HEAL",
    "Transports": "TRAN",
    "Urbanisme": "REGI",
}
"""Portal theme label → EU data theme (the vocabulary DCAT-AP requires)."""
FILE_TYPES = {"csv": "CSV", "json": "JSON", "geojson": "GEOJSON"}
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "spdx": str(SPDX),
    "xsd": str(XSD),
}


def federation_graph(federation: Federation, validation: Validation) -> Graph:
    """The catalogue of the métropole's portal and every dataset it publishes."""
    graph = Graph()
    for prefix, namespace in CONTEXT.items():
        graph.bind(prefix, namespace)
    hashes = FileHashes(federation.root)
    catalogue = URIRef(f"{federation.portal.url}/#catalogue")
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal(federation.portal.name, lang="fr")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                f"Données ouvertes des communes de {federation.name}, contrôlées avant "
                "publication.",
                lang="fr",
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, _agent(graph, federation.name, federation.siren)))
    graph.add((catalogue, DCTERMS.language, FRENCH))
    graph.add((catalogue, FOAF.homepage, URIRef(federation.portal.url + "/")))
    modified = []
    for commune in federation.communes:
        for dataset in published_datasets(commune, validation):
            node = _dataset(graph, federation, commune, dataset, hashes)
            graph.add((catalogue, DCAT.dataset, node))
            if dataset.modified:
                modified.append(dataset.modified)
    if modified:
        graph.add((catalogue, DCTERMS.modified, Literal(max(modified), datatype=XSD.date)))
    return graph


def render_turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def render_jsonld(graph: Graph) -> str:
    """JSON-LD whose nodes and multi-valued properties are sorted, so the same graph gives the
    same bytes in every process (rdflib lists them in set order, which follows the hash seed)."""
    text = graph.serialize(format="json-ld", context=CONTEXT, indent=2, sort_keys=True)
    return json.dumps(_sorted(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False)


def _sorted(value: Any) -> Any:
    """Every JSON-LD set sorted (`@graph` by `@id`); `@list` values keep their order."""
    if isinstance(value, dict):
        return {
            key: (
                [_sorted(v) for v in item]
                if key == "@list" and isinstance(item, list)
                else _sorted(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=_sort_key)
    return value


def _sort_key(value: Any) -> tuple[str, str]:
    node_id = value.get("@id", "") if isinstance(value, dict) else ""
    return (str(node_id), json.dumps(value, sort_keys=True, ensure_ascii=False))


def _agent(graph: Graph, name: str, siren: str) -> URIRef:
    agent = URIRef(SIRENE + siren)
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(name, lang="fr")))
    graph.add((agent, DCTERMS.identifier, Literal(siren)))
    return agent


def _dataset(
    graph: Graph, federation: Federation, commune: Commune, dataset: Dataset, hashes: FileHashes
) -> URIRef:
    page = dataset_page(federation, dataset)
    node = URIRef(page)
    meta = dataset.descriptor
    add = graph.add
    add((node, RDF.type, DCAT.Dataset))
    add((node, DCTERMS.identifier, Literal(dataset.portal_id)))
    add((node, DCTERMS.title, Literal(dataset.title, lang="fr")))
    add((node, DCTERMS.description, Literal(dataset.description.strip(), lang="fr")))
    add((node, DCAT.landingPage, node))
    add((node, DCTERMS.language, FRENCH))
    producer = meta.get("publisher") or {}
    add(
        (
            node,
            DCTERMS.publisher,
            _agent(
                graph,
                producer.get("name", commune.official_name),
                producer.get("siren", commune.siren),
            ),
        )
    )
    for keyword in dataset.keywords:
        add((node, DCAT.keyword, Literal(keyword, lang="fr")))
    for theme in dataset.themes:
        if theme in THEMES:
            add((node, DCAT.theme, URIRef(f"{EU}data-theme/{THEMES[theme]}")))
    frequency = FREQUENCIES.get(dataset.frequency or "")
    if frequency is not None:
        add((node, DCTERMS.accrualPeriodicity, URIRef(f"{EU}frequency/{frequency.eu_code}")))
    for key, predicate in (("issued", DCTERMS.issued), ("modified", DCTERMS.modified)):
        if meta.get(key):
            add((node, predicate, Literal(str(meta[key]), datatype=XSD.date)))
    temporal = meta.get("temporal") or {}
    if temporal:
        period = URIRef(f"{page}#periode")
        add((node, DCTERMS.temporal, period))
        add((period, RDF.type, DCTERMS.PeriodOfTime))
        for key, predicate in (("start", DCAT.startDate), ("end", DCAT.endDate)):
            if temporal.get(key):
                add((period, predicate, Literal(temporal[key], datatype=XSD.date)))
    for insee in (meta.get("spatial") or {}).get("insee") or ():
        place = URIRef(INSEE_COMMUNE + insee)
        add((node, DCTERMS.spatial, place))
        add((place, RDF.type, DCTERMS.Location))
    if dataset.contact_email:
        contact = URIRef(f"{page}#contact")
        add((node, DCAT.contactPoint, contact))
        add((contact, RDF.type, VCARD.Organization))
        add((contact, VCARD.fn, Literal(dataset.contact_name or commune.contact_name)))
        add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    licences = _licences(dataset)
    for url in licences:
        add((node, DCTERMS.license, url))
    for resource in dataset.resources:
        distribution = _distribution(graph, federation, dataset, resource, hashes)
        add((node, DCAT.distribution, distribution))
        for url in licences:
            add((distribution, DCTERMS.license, url))
        if resource.schema:
            add((node, DCTERMS.conformsTo, _schema_url(resource.schema)))
    return node


def _licences(dataset: Dataset) -> list[URIRef]:
    """Licence URLs data.gouv.fr matches; a homologated licence keeps the path it declares."""
    urls = []
    for item in dataset.descriptor.get("licenses") or []:
        known = licence(str(item.get("name", "")))
        url = known.url if known is not None else item.get("path")
        if url:
            urls.append(URIRef(url))
    return urls


def _distribution(
    graph: Graph,
    federation: Federation,
    dataset: Dataset,
    resource: Resource,
    hashes: FileHashes,
) -> URIRef:
    page = dataset_page(federation, dataset)
    node = URIRef(f"{page}#ressource-{resource.name}")
    export = (
        f"{federation.portal.url}/api/explore/v2.1/catalog/datasets/{dataset.portal_id}/exports/csv"
    )
    add = graph.add
    add((node, RDF.type, DCAT.Distribution))
    add((node, DCTERMS.title, Literal(resource.title, lang="fr")))
    if resource.description:
        add((node, DCTERMS.description, Literal(resource.description, lang="fr")))
    add((node, DCAT.accessURL, URIRef(page)))
    add((node, DCAT.downloadURL, URIRef(export)))
    if resource.format in FILE_TYPES:
        add((node, DCTERMS["format"], URIRef(f"{EU}file-type/{FILE_TYPES[resource.format]}")))
        add(
            (
                node,
                DCAT.mediaType,
                URIRef(
                    f"https://www.iana.org/assignments/media-types/{MEDIA_TYPES[resource.format]}"
                ),
            )
        )
    if resource.schema:
        add((node, DCTERMS.conformsTo, _schema_url(resource.schema)))
    add(
        (
            node,
            DCAT.byteSize,
            Literal(resource.path.stat().st_size, datatype=XSD.nonNegativeInteger),
        )
    )
    checksum = URIRef(f"{page}#ressource-{resource.name}-sha256")
    add((node, SPDX.checksum, checksum))
    add((checksum, RDF.type, SPDX.Checksum))
    add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    add(
        (
            checksum,
            SPDX.checksumValue,
            Literal(hashes.sha256(resource.relpath), datatype=XSD.hexBinary),
        )
    )
    return node


def _schema_url(ref: str) -> URIRef:
    name, _, version = ref.partition("@")
    return URIRef(f"{SCHEMAS_SITE}{name}/{version}/" if version else f"{SCHEMAS_SITE}{name}/")
