"""The shared schemas of the federation's registry."""

from __future__ import annotations

from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import friendly_errors
from publisher.model import find_root, load_schema_registry


@main.group()
def schemas() -> None:
    """Les schémas partagés du registre de la fédération."""


@schemas.command("list")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@friendly_errors
def schemas_list(repo: Path) -> None:
    """Lister les schémas disponibles (nom@version et titre)."""
    for schema in load_schema_registry(find_root(repo)):
        click.echo(f"{schema.ref:<40} {schema.title}")


