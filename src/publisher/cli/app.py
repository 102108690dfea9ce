"""The `publisher` command group; each command module adds its commands to it."""

from __future__ import annotations

import click

from publisher.i18n import LANGUAGES, resolve_language, set_language


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher", message="publisher %(version)s")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    help="Langue des messages et des rapports (par défaut : PUBLISHER_LANG, sinon la langue "
    "du système si c'est l'anglais, sinon le français).",
)
def main(lang: str | None) -> None:
    """Valider, auditer et publier les données ouvertes des communes de la métropole."""
    set_language(resolve_language(lang))
