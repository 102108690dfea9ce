"""A quick look for personal data in any file, before it goes anywhere."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import EXIT_BLOCKING, EXIT_OK, format_option, friendly_errors, output
from publisher.reports import build_document
from publisher.validation import check_file


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@format_option
@friendly_errors
def scan(file: Path, output_format: str) -> None:
    """Chercher des données personnelles dans un fichier CSV, JSON ou GeoJSON.

    Les valeurs trouvées sont toujours masquées. Le fichier est lu comme un jeu déclaré sans
    données personnelles : tout ce qui désigne une personne est signalé.
    """
    validation = check_file(file, None, shown_path=str(file))
    output(validation, build_document(validation), output_format)
    sys.exit(EXIT_BLOCKING if validation.has_blocking else EXIT_OK)
