"""Catalogue and metadata: each commune's SCDL catalogue (`scdl`), the federation's DCAT-AP 3
export (`dcat`) and the per-dataset metadata pre-score (`quality`), all generated from the
descriptors. rdflib is imported only when the DCAT export is built."""

from __future__ import annotations

from pathlib import Path

from publisher.model import Federation
from publisher.validation import Validation

CATALOGUE_FILE = "catalogue.csv"
DCAT_STEM = "dcat"


def catalogue_files(
    federation: Federation, validation: Validation, folder: Path
) -> list[tuple[Path, str]]:
    """(path, text) of every catalogue file: `<slug>/catalogue.csv`, `dcat.ttl`, `dcat.jsonld`."""
    from publisher.catalogue.dcat import federation_graph, render_jsonld, render_turtle
    from publisher.catalogue.scdl import catalogue_rows, render_catalogue

    graph = federation_graph(federation, validation)
    files = [
        (
            folder / commune.slug / CATALOGUE_FILE,
            render_catalogue(catalogue_rows(federation, commune, validation)),
        )
        for commune in federation.communes
    ]
    files.append((folder / f"{DCAT_STEM}.ttl", render_turtle(graph)))
    files.append((folder / f"{DCAT_STEM}.jsonld", render_jsonld(graph)))
    return files
