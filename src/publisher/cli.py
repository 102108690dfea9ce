"""The `publisher` command: parse, call the library, print, exit. No business logic here.

Exit codes: 0 nothing blocking · 1 blocking findings · 2 usage or configuration error ·
3 portal failure. Data go to stdout, messages to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from publisher.errors import PortalError, PublisherError
from publisher.findings import Finding, Severity
from publisher.model import find_root, load_federation, load_schema_registry
from publisher.reports import build_document, render_json, write_reports
from publisher.reports.html import plural
from publisher.validation import Validation, check_file, validate_federation

if TYPE_CHECKING:
    from publisher.publishing import PublicationSummary

EXIT_OK, EXIT_BLOCKING, EXIT_USAGE, EXIT_PORTAL = 0, 1, 2, 3
SHOWN_PER_DATASET = 10
_MARKS = {
    Severity.ERROR: ("✖", "red"),
    Severity.WARNING: ("⚠", "yellow"),
    Severity.INFO: ("ℹ", "blue"),
}


def _friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every PublisherError into one French message and its exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PublisherError as error:
            label = "Erreur du portail" if isinstance(error, PortalError) else "Erreur"
            click.secho(f"{label} : {error}", fg="red", err=True)
            sys.exit(error.exit_code)

    return wrapper


path_argument = click.argument(
    "path", required=False, type=click.Path(path_type=Path, file_okay=False), default=Path(".")
)
commune_option = click.option(
    "--commune",
    "communes",
    multiple=True,
    metavar="SLUG",
    help="Ne traiter que cette commune (répétable), par exemple --commune begles.",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text pour lire, json pour la CI (rapport complet sur la sortie standard).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher", message="publisher %(version)s")
def main() -> None:
    """Valider, auditer et publier les données ouvertes des communes de la métropole."""


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
@_friendly_errors
def validate(
    path: Path, communes: Sequence[str], output_format: str, reports_dir: Path | None
) -> None:
    """Contrôler les jeux de données de la fédération (ou de certaines communes)."""
    validation = _validate(path, communes)
    document = build_document(validation)
    if reports_dir is not None:
        _say_written(write_reports(document, reports_dir))
    _output(validation, document, output_format)
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
@_friendly_errors
def check(file: Path, schema_ref: str, repo: Path, output_format: str) -> None:
    """Contrôler un fichier avant de le déposer, contre un schéma partagé."""
    schema = load_schema_registry(find_root(repo)).resolve(schema_ref)
    validation = check_file(file, schema, shown_path=str(file))
    _output(validation, build_document(validation), output_format)
    sys.exit(EXIT_BLOCKING if validation.has_blocking else EXIT_OK)


@main.command()
@path_argument
@commune_option
@click.option(
    "--portal",
    "portal_url",
    metavar="URL",
    help="Adresse d'un vrai portail Opendatasoft (clé dans PUBLISHER_ODS_API_KEY). "
    "Sans cette option : le portail bac à sable local.",
)
@click.option("--dry-run", is_flag=True, help="Montrer ce qui serait publié, sans rien écrire.")
@_friendly_errors
def publish(path: Path, communes: Sequence[str], portal_url: str | None, dry_run: bool) -> None:
    """Publier sur le portail les jeux de données sans constat bloquant."""
    validation = _validate(path, communes, quiet=True)
    summary = _publish(find_root(path), validation, portal_url, dry_run)
    sys.exit(_publish_exit(validation, summary))


@main.command()
@path_argument
@commune_option
@_friendly_errors
def run(path: Path, communes: Sequence[str]) -> None:
    """Tout enchaîner : contrôler, écrire les rapports, publier sur le bac à sable local."""
    root = find_root(path)
    validation = _validate(root, communes)
    _print_text(validation)
    summary = _publish(root, validation, None, dry_run=False)
    _say_written(write_reports(build_document(validation, summary.to_dict()), root / "reports"))
    sys.exit(_publish_exit(validation, summary))


@main.command()
@path_argument
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@_friendly_errors
def sandbox(path: Path, port: int) -> None:
    """Lancer le portail bac à sable local au premier plan (démonstrations)."""
    from publisher.portal.sandbox import serve_forever
    from publisher.publishing import SANDBOX_DIR

    serve_forever(find_root(path) / SANDBOX_DIR, port=port)


@main.group()
def schemas() -> None:
    """Les schémas partagés du registre de la fédération."""


@schemas.command("list")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@_friendly_errors
def schemas_list(repo: Path) -> None:
    """Lister les schémas disponibles (nom@version et titre)."""
    for schema in load_schema_registry(find_root(repo)):
        click.echo(f"{schema.ref:<40} {schema.title}")


def _validate(path: Path, communes: Sequence[str], *, quiet: bool = False) -> Validation:
    root = find_root(path)
    federation = load_federation(root, communes)
    if not quiet:
        count = sum(len(c.datasets) for c in federation.communes)
        click.echo(
            f"Contrôle de {plural(count, 'jeu', 'jeux')} de données dans "
            f"{plural(len(federation.communes), 'commune')}…",
            err=True,
        )
    return validate_federation(federation, federation.registry)


def _publish(
    root: Path, validation: Validation, portal_url: str | None, dry_run: bool
) -> PublicationSummary:
    """Push, printing each outcome; a portal failure is reported in the summary, not raised,
    so that `run` still writes its reports."""
    from publisher.publishing import PublicationSummary, open_portal, publish

    try:
        with open_portal(root, portal_url) as (client, target):
            where = "le bac à sable local" if target.sandbox else target.url
            click.echo(f"Publication sur {where}{' (simulation)' if dry_run else ''}…", err=True)
            summary = publish(validation, client, target, dry_run=dry_run)
    except PortalError as error:
        return PublicationSummary(
            portal_url or "bac à sable local", portal_url is None, (), error=str(error)
        )
    for outcome in summary.outcomes:
        mark = "✔" if outcome["ok"] else ("·" if outcome["action"] == "blocked" else "✖")
        click.echo(f"  {mark} {outcome['dataset_id']} : {outcome['message']}")
    changed = sum(o["action"] in ("create", "update") and o["ok"] for o in summary.outcomes)
    if not dry_run:
        if changed:
            done = plural(changed, "jeu publié ou mis à jour", "jeux publiés ou mis à jour")
            click.echo(f"{done}.")
        else:
            click.echo("Rien de nouveau à publier : le portail est déjà à jour.")
    return summary


def _publish_exit(validation: Validation, summary: PublicationSummary) -> int:
    if summary.error:
        click.secho(f"Erreur du portail : {summary.error}", fg="red", err=True)
        return EXIT_PORTAL
    if any(not o["ok"] and o["action"] != "blocked" for o in summary.outcomes):
        return EXIT_PORTAL
    return EXIT_BLOCKING if validation.has_blocking else EXIT_OK


def _say_written(paths: list[Path]) -> None:
    here = Path.cwd().resolve()
    for written in paths:
        shown = written.resolve()
        shown = shown.relative_to(here) if shown.is_relative_to(here) else shown
        click.echo(f"Rapport écrit : {shown}", err=True)


def _output(validation: Validation, document: dict[str, Any], output_format: str) -> None:
    if output_format == "json":
        click.echo(render_json(document), nl=False)
    else:
        _print_text(validation)


def _print_text(validation: Validation) -> None:
    """A short French summary: one line per dataset, then its first findings."""
    by_place: dict[tuple[str | None, str | None], list[Finding]] = {}
    for finding in validation.findings:
        key = (finding.location.commune, finding.location.dataset or finding.location.path)
        by_place.setdefault(key, []).append(finding)
    places: list[tuple[str, list[Finding]]] = []
    if validation.federation is not None:
        for commune, dataset in validation.federation.datasets():
            places.append(
                (f"{commune.slug}/{dataset.name}", by_place.get((commune.slug, dataset.name), []))
            )
    for path in validation.checked_files:
        places.append((path, by_place.get((None, path), [])))
    for label, found in places:
        counts = validation.counts(found)
        errors = plural(counts["error"], "bloquant")
        warnings = plural(counts["warning"], "avertissement")
        if counts["error"]:
            click.secho(f"✖ {label} — bloqué ({errors}, {warnings})", fg="red")
        elif counts["warning"]:
            click.secho(f"⚠ {label} — publiable, {warnings}", fg="yellow")
        else:
            click.secho(f"✔ {label} — conforme", fg="green")
        actionable = [f for f in found if f.severity is not Severity.INFO]
        for finding in actionable[:SHOWN_PER_DATASET]:
            mark, colour = _MARKS[finding.severity]
            where = finding.location.describe()
            value = f" — valeur : {finding.value}" if finding.value is not None else ""
            click.echo(
                "  " + click.style(f"{mark} [{finding.code}]", fg=colour) + f" {where}{value}"
            )
            click.echo(f"      {finding.message}")
            click.echo(f"      → {finding.hint}")
        if len(actionable) > SHOWN_PER_DATASET:
            others = plural(len(actionable) - SHOWN_PER_DATASET, "autre constat", "autres constats")
            click.echo(f"  … et {others} : voir le rapport HTML ou --format json.")
    counts = validation.counts()
    click.echo(
        f"\nTotal : {plural(counts['error'], 'bloquant')}, "
        f"{plural(counts['warning'], 'avertissement')}, {counts['info']} info."
    )


def entry_point() -> None:
    """Console entry: unexpected failures print one line, unless PUBLISHER_DEBUG is set."""
    try:
        main()
    except Exception as error:  # a bug, not the user's data: keep the terminal readable
        if os.environ.get("PUBLISHER_DEBUG"):
            raise
        click.secho(
            f"Erreur interne de publisher ({type(error).__name__}). Relancez avec "
            "PUBLISHER_DEBUG=1 pour le détail et signalez-la aux mainteneurs.",
            fg="red",
            err=True,
        )
        sys.exit(70)
