"""Publishing to the portal, and the local sandbox portal."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from publisher.cli.app import main
from publisher.cli.common import (
    EXIT_BLOCKING,
    EXIT_OK,
    EXIT_PORTAL,
    commune_option,
    friendly_errors,
    path_argument,
    print_text,
    say_written,
    validate_repo,
)
from publisher.errors import PortalError
from publisher.model import find_root
from publisher.reports import build_document, write_reports
from publisher.reports.html import plural
from publisher.validation import Validation

if TYPE_CHECKING:
    from publisher.publishing import PublicationSummary


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
@friendly_errors
def publish(path: Path, communes: Sequence[str], portal_url: str | None, dry_run: bool) -> None:
    """Publier sur le portail les jeux de données sans constat bloquant."""
    validation = validate_repo(path, communes, quiet=True)
    summary = _publish(find_root(path), validation, portal_url, dry_run)
    sys.exit(_publish_exit(validation, summary))


@main.command()
@path_argument
@commune_option
@friendly_errors
def run(path: Path, communes: Sequence[str]) -> None:
    """Tout enchaîner : contrôler, écrire les rapports, publier sur le bac à sable local."""
    root = find_root(path)
    validation = validate_repo(root, communes)
    print_text(validation)
    summary = _publish(root, validation, None, dry_run=False)
    say_written(write_reports(build_document(validation, summary.to_dict()), root / "reports"))
    sys.exit(_publish_exit(validation, summary))


@main.command()
@path_argument
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@friendly_errors
def sandbox(path: Path, port: int) -> None:
    """Lancer le portail bac à sable local au premier plan (démonstrations)."""
    from publisher.portal.sandbox import serve_forever
    from publisher.publishing import SANDBOX_DIR

    serve_forever(find_root(path) / SANDBOX_DIR, port=port)


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


