"""The `publisher` command group; each command module adds its commands to it."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="publisher", message="publisher %(version)s")
def main() -> None:
    """Valider, auditer et publier les données ouvertes des communes de la métropole."""


