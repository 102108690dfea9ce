"""Generated catalogues: the SCDL catalogue passes our own checker, the DCAT-AP export parses
back and carries what data.gouv.fr harvests, the pre-score says what to fix."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from conftest import REPO
from publisher import SchemaRegistry, check_file
from publisher.catalogue.dcat import federation_graph, render_jsonld, render_turtle
from publisher.catalogue.quality import quality
from publisher.catalogue.scdl import catalogue_rows, render_catalogue
from publisher.i18n import translator

from .conftest import AUDIT_DAY

MANDATORY = (
    DCTERMS.title,
    DCTERMS.description,
    DCTERMS.license,
    DCTERMS.publisher,
    DCTERMS.accrualPeriodicity,
    DCAT.distribution,
)


@pytest.mark.parametrize("slug", ["begles", "merignac", "le-taillan-medoc", "pessac", "talence"])
def test_scdl_catalogue_passes_our_checker(sample_validation, tmp_path, slug):
    federation = sample_validation.federation
    rows = catalogue_rows(federation, federation.commune(slug), sample_validation)
    path = tmp_path / "catalogue.csv"
    path.write_text(render_catalogue(rows), "utf-8")
    schema = SchemaRegistry.load(REPO / "schemas").resolve("scdl/catalogue@0.1.3")
    checked = check_file(path, schema)
    assert [(f.code, f.location.row, f.location.column) for f in checked.findings] == []
    publishable = [
        d.portal_id
        for d in federation.commune(slug).datasets
        if sample_validation.is_publishable(d)
    ]
    assert [row["ID"] for row in rows] == sorted(publishable)


def test_the_checker_does_refuse_a_broken_catalogue(sample_validation, tmp_path):
    federation = sample_validation.federation
    commune = replace(federation.commune("talence"), siret="2133052200010")
    rows = catalogue_rows(federation, commune, sample_validation)
    path = tmp_path / "catalogue.csv"
    path.write_text(render_catalogue(rows), "utf-8")
    schema = SchemaRegistry.load(REPO / "schemas").resolve("scdl/catalogue@0.1.3")
    assert {f.code for f in check_file(path, schema).findings} >= {"SCHEMA-CONSTRAINT"}


@pytest.mark.parametrize(
    ("render", "syntax"), [(render_turtle, "turtle"), (render_jsonld, "json-ld")]
)
def test_dcat_export_parses_back_with_every_mandatory_property(sample_validation, render, syntax):
    federation = sample_validation.federation
    text = render(federation_graph(federation, sample_validation))
    graph = Graph().parse(data=text, format=syntax)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    published = {
        d.portal_id for _, d in federation.datasets() if sample_validation.is_publishable(d)
    }
    identifiers = {str(graph.value(node, DCTERMS.identifier)) for node in datasets}
    assert identifiers == published and len(published) == 19
    for node in datasets:
        missing = [p for p in MANDATORY if graph.value(node, p) is None]
        assert missing == [], (node, missing)
        for distribution in graph.objects(node, DCAT.distribution):
            assert graph.value(distribution, DCAT.accessURL) is not None
    [catalogue] = graph.subjects(RDF.type, DCAT.Catalog)
    assert set(graph.objects(catalogue, DCAT.dataset)) == datasets


def test_dcat_frequency_and_schema_use_the_harvested_vocabularies(sample_validation):
    graph = federation_graph(sample_validation.federation, sample_validation)
    node = next(
        n
        for n in graph.subjects(RDF.type, DCAT.Dataset)
        if str(graph.value(n, DCTERMS.identifier)) == "talence-subventions-associations"
    )
    assert str(graph.value(node, DCTERMS.accrualPeriodicity)).endswith("/frequency/ANNUAL")
    assert str(graph.value(node, DCTERMS.conformsTo)) == (
        "https://schema.data.gouv.fr/scdl/subventions/2.1.1/"
    )


def test_pre_score_says_what_to_fix(sample_validation):
    federation = sample_validation.federation
    talence = federation.commune("talence")
    stale = next(d for d in talence.datasets if d.name == "toilettes-publiques")
    score = quality(stale, sample_validation, AUDIT_DAY, translator("fr"))
    failed = {c.id: c.fix for c in score.criteria if not c.passed}
    assert failed.get("update_fulfilled_in_time")
    assert "resources_documentation" in failed
    assert score.score == round((9 - len(failed)) / 9, 2)
    short = replace(stale, descriptor={**stale.descriptor, "description": "Toilettes."})
    assert "dataset_description_quality" in {
        c.id
        for c in quality(short, sample_validation, AUDIT_DAY, translator("fr")).criteria
        if not c.passed
    }


DCAT_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from publisher import load_federation, validate_federation
from publisher.catalogue.dcat import federation_graph, render_jsonld, render_turtle
federation = load_federation(Path(sys.argv[1]), ["begles", "pessac"])
validation = validate_federation(federation, federation.registry, today=date(2026, 11, 23))
graph = federation_graph(federation, validation)
sys.stdout.write(render_jsonld(graph) + render_turtle(graph))
"""


def test_dcat_exports_are_byte_identical_whatever_the_hash_seed():
    def export(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", DCAT_SCRIPT, str(REPO)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return run.stdout

    assert export("1") == export("2")


def test_opendocument_counts_as_an_open_format(sample_validation):
    talence = sample_validation.federation.commune("talence")
    dataset = next(d for d in talence.datasets if d.name == "toilettes-publiques")
    resources = tuple(replace(r, format="odt") for r in dataset.resources)
    score = quality(
        replace(dataset, resources=resources), sample_validation, AUDIT_DAY, translator("fr")
    )
    assert {c.id: c.passed for c in score.criteria}["has_open_format"]
