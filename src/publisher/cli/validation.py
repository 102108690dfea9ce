"""Checking: the whole federation, or one file before it is deposited."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import (
    EXIT_BLOCKING,
    EXIT_OK,
    commune_option,
    format_option,
    friendly_errors,
    output,
    path_argument,
    say_written,
    validate_repo,
)
from publisher.model import find_root, load_schema_registry
from publisher.reports import build_document, write_reports
from publisher.validation import check_file


@main.command()
@path_argument
@commune_option
@format_option
@click.option(
    "--reports",
    "reports_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Écrire aussi les rapports HTML et JSON dans ce dossier.",
)
@friendly_errors
def validate(
    path: Path, communes: Sequence[str], output_format: str, reports_dir: Path | None
) -> None:
    """Contrôler les jeux de données de la fédération (ou de certaines communes)."""
    validation = validate_repo(path, communes)
    document = build_document(validation)
    if reports_dir is not None:
        say_written(write_reports(document, reports_dir))
    output(validation, document, output_format)
    sys.exit(EXIT_BLOCKING if validation.has_blocking else EXIT_OK)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--schema",
    "schema_ref",
    required=True,
    metavar="NOM[@VERSION]",
    help="Schéma partagé à appliquer, par exemple subventions ou scdl/subventions@2.1.1.",
)
@click.option(
    "--repo",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    help="Dépôt de données dont le registre des schémas est utilisé.",
)
@format_option
@friendly_errors
def check(file: Path, schema_ref: str, repo: Path, output_format: str) -> None:
    """Contrôler un fichier avant de le déposer, contre un schéma partagé."""
    schema = load_schema_registry(find_root(repo)).resolve(schema_ref)
    validation = check_file(file, schema, shown_path=str(file))
    output(validation, build_document(validation), output_format)
    sys.exit(EXIT_BLOCKING if validation.has_blocking else EXIT_OK)


