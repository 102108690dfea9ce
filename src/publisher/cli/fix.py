"""`publisher fix`: a corrected copy of an officer's file, never the original touched."""

from __future__ import annotations

from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import friendly_errors, repo_option


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option(
    "--schema",
    "schema_ref",
    required=True,
    metavar="NOM[@VERSION]",
    help="Schéma partagé que la copie doit suivre, par exemple subventions.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Où écrire la copie (par défaut : FICHIER-corrige.csv à côté du fichier).",
)
@repo_option()
@friendly_errors
def fix(file: Path, schema_ref: str, output: Path | None, repo: Path) -> None:
    """Écrire une copie corrigée d'un fichier CSV (UTF-8, virgule, dates ISO, point décimal)."""
    from publisher.fix import default_target, fix_table, write_copy
    from publisher.model import find_root, load_schema_registry

    schema = load_schema_registry(find_root(repo)).resolve(schema_ref)
    result = fix_table(file, schema)
    target = output or default_target(file)
    write_copy(result, file, target)
    if result.changes:
        click.echo(f"Copie corrigée écrite : {target}")
        for change in result.changes:
            click.echo(f"  • {change}")
    else:
        click.echo(f"Rien à corriger ; copie identique écrite : {target}")
    click.echo(
        f"Le fichier d'origine n'a pas été modifié. Contrôlez la copie : "
        f"publisher check {target} --schema {schema.ref}",
        err=True,
    )
