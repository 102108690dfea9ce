"""What every command shares: French errors instead of tracebacks, options, printing.

Exit codes: 0 nothing blocking · 1 blocking findings · 2 usage or configuration error ·
3 portal failure. Data go to stdout, messages to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any

import click

from publisher.errors import PortalError, PublisherError
from publisher.findings import Finding, Severity
from publisher.model import find_root, load_federation
from publisher.reports import render_json
from publisher.reports.html import plural
from publisher.validation import Validation, validate_federation

EXIT_OK, EXIT_BLOCKING, EXIT_USAGE, EXIT_PORTAL = 0, 1, 2, 3
SHOWN_PER_DATASET = 10
_MARKS = {
    Severity.ERROR: ("✖", "red"),
    Severity.WARNING: ("⚠", "yellow"),
    Severity.INFO: ("ℹ", "blue"),
}


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
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


def validate_repo(path: Path, communes: Sequence[str], *, quiet: bool = False) -> Validation:
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


def say_written(paths: list[Path]) -> None:
    here = Path.cwd().resolve()
    for written in paths:
        shown = written.resolve()
        shown = shown.relative_to(here) if shown.is_relative_to(here) else shown
        click.echo(f"Rapport écrit : {shown}", err=True)


def output(validation: Validation, document: dict[str, Any], output_format: str) -> None:
    if output_format == "json":
        click.echo(render_json(document), nl=False)
    else:
        print_text(validation)


def print_text(validation: Validation) -> None:
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


