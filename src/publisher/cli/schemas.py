"""The shared schemas of the federation's registry."""

from __future__ import annotations

from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import friendly_errors, repo_option


@main.group()
def schemas() -> None:
    """Les schémas partagés du registre de la fédération."""


@schemas.command("list")
@repo_option()
@friendly_errors
def schemas_list(repo: Path) -> None:
    """Lister les schémas disponibles (nom@version et titre)."""
    from publisher.model import find_root, load_schema_registry

    for schema in load_schema_registry(find_root(repo)):
        click.echo(f"{schema.ref:<40} {schema.title}")




@schemas.command("show")
@click.argument("name", metavar="NOM[@VERSION]")
@repo_option()
@friendly_errors
def schemas_show(name: str, repo: Path) -> None:
    """Décrire un schéma : provenance, colonnes, contrôles, exemples officiels."""
    from publisher.checks.table_schema import TYPE_WORDS
    from publisher.model import find_root, load_schema_registry

    schema = load_schema_registry(find_root(repo)).resolve(name)
    descriptor = schema.descriptor
    click.secho(f"{schema.title} — {schema.ref}", bold=True)
    kind = "tableau (CSV)" if schema.is_tabular else "document JSON (JSON Schema)"
    click.echo(f"Type : {kind}")
    click.echo(f"Source officielle : {schema.source}")
    click.echo(f"Copie prise dans : {schema.upstream}")
    click.echo(f"Licence : {schema.licence} · sha256 : {schema.sha256}")
    if not schema.is_tabular:
        properties = descriptor.get("properties", {})
        click.echo(f"\nClés de premier niveau : {', '.join(properties) or '(aucune)'}")
    else:
        fields = descriptor.get("fields", [])
        matching = descriptor.get("fieldsMatch", "exact")
        click.echo(f"\n{len(fields)} colonnes (correspondance des colonnes : {matching}) :")
        for position, spec in enumerate(fields, start=1):
            constraints = spec.get("constraints", {})
            needed = "obligatoire" if constraints.get("required") else "facultative"
            word = TYPE_WORDS.get(spec.get("type", "string"), spec.get("type", "string"))
            click.echo(f"  {position:>2}. {spec['name']} — {word}, {needed}")
            rules = _constraint_summary(constraints)
            if rules:
                click.echo(f"      {rules}")
        checks = descriptor.get("custom_checks", [])
        if checks:
            click.echo("\nContrôles propres au schéma :")
            for check in checks:
                params = ", ".join(f"{k}={v}" for k, v in sorted(check.get("params", {}).items()))
                click.echo(f"  - {check.get('name')} ({params})")
    if schema.examples:
        click.echo("\nExemples officiels :")
        for example in schema.examples:
            verdict = "valide" if example.valid else "invalide (montre des erreurs)"
            click.echo(f"  - {example.file} : {verdict}")


def _constraint_summary(constraints: dict) -> str:
    parts = []
    if "enum" in constraints:
        values = constraints["enum"]
        shown = ", ".join(f"« {v} »" for v in values[:6]) + (" …" if len(values) > 6 else "")
        parts.append(f"valeurs admises : {shown}")
    if "pattern" in constraints:
        parts.append(f"format : {constraints['pattern']}")
    for key, word in (("minimum", "minimum"), ("maximum", "maximum")):
        if key in constraints:
            parts.append(f"{word} {constraints[key]}")
    if constraints.get("unique"):
        parts.append("valeurs uniques")
    return " ; ".join(parts)
