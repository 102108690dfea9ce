"""`publisher explain CODE`: what a rule checks, its legal texts and how to fix it."""

from __future__ import annotations

import difflib

import click

from publisher.cli.app import main
from publisher.cli.common import friendly_errors
from publisher.errors import ConfigurationError
from publisher.i18n import _, current


@main.command()
@click.argument("code", required=False, metavar="CODE")
@friendly_errors
def explain(code: str | None) -> None:
    """Expliquer une règle (par exemple FR-SIRET) ; sans CODE, lister toutes les règles."""
    from publisher.codes import CODES
    from publisher.reports.rules import rule_entry

    tr = current()
    if code is None:
        for known in CODES.values():
            click.echo(f"{known.code:<26} {tr.gettext(known.title)}")
        return
    wanted = code.strip().upper()
    if wanted not in CODES:
        close = difflib.get_close_matches(wanted, CODES, n=3, cutoff=0.5)
        raise ConfigurationError(
            _("code inconnu : {code}").format(code=code),
            hint=(
                _("Codes proches : {codes}.").format(codes=", ".join(close)) + " " if close else ""
            )
            + _("« publisher explain » sans code les liste tous."),
        )
    rule = rule_entry(CODES[wanted], tr)
    click.secho(f"{wanted} — {rule['title']}", bold=True)
    click.echo(_("Gravité : {severity}").format(severity=rule["severity_label"]))
    if rule["legal_basis"]:
        click.echo(_("Fondement : {basis}.").format(basis=rule["legal_basis"]))
    click.echo("\n" + _("Exemple de constat :") + f"\n  {rule['example']}")
    click.echo("\n" + _("Comment corriger :") + f"\n  {rule['hint']}")
    if rule["legal_texts"]:
        click.echo("\n" + _("Ce que disent les textes :"))
        for text in rule["legal_texts"]:
            link = f" ({text['url']})" if text["url"] else ""
            click.echo(f"  • {text['reference']} : {text['summary']}{link}")
    click.echo("\n" + _("Documentation : {doc}").format(doc=rule["doc"]))
