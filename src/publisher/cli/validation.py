"""Checking: the whole federation, or one file before it is deposited."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import (
    cache_option,
    check_formats,
    commune_option,
    emit_reports,
    friendly_errors,
    long_lived_imports,
    path_argument,
    repo_option,
    report_options,
    validate_repo,
)


@main.command()
@path_argument
@commune_option
@cache_option
@report_options
@friendly_errors
def validate(
    path: Path,
    communes: Sequence[str],
    no_cache: bool,
    formats: Sequence[str],
    output_dir: Path | None,
    fail_on: str,
) -> None:
    """Contrôler les jeux de données de la fédération (ou de certaines communes)."""
    check_formats(formats, output_dir)
    validation = validate_repo(path, communes, use_cache=not no_cache)
    sys.exit(emit_reports(validation, formats, output_dir, fail_on))


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--schema",
    "schema_ref",
    required=True,
    metavar="NOM[@VERSION]",
    help="Schéma partagé à appliquer, par exemple subventions ou scdl/subventions@2.1.1.",
)
@repo_option()
@report_options
@friendly_errors
def check(
    file: Path,
    schema_ref: str,
    repo: Path,
    formats: Sequence[str],
    output_dir: Path | None,
    fail_on: str,
) -> None:
    """Contrôler un fichier avant de le déposer, contre un schéma partagé."""
    with long_lived_imports():
        from publisher.model import find_root, load_schema_registry
        from publisher.validation import check_file

    check_formats(formats, output_dir)
    schema = load_schema_registry(find_root(repo)).resolve(schema_ref)
    validation = check_file(file, schema, shown_path=str(file))
    sys.exit(emit_reports(validation, formats, output_dir, fail_on))
