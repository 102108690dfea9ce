"""A quick look for personal data in any file, before it goes anywhere."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from publisher.cli.app import main
from publisher.cli.common import check_formats, emit_reports, friendly_errors, report_options


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@report_options
@friendly_errors
def scan(file: Path, formats: Sequence[str], output_dir: Path | None, fail_on: str) -> None:
    """Chercher des données personnelles dans un fichier CSV, JSON ou GeoJSON.

    Les valeurs trouvées sont toujours masquées. Le fichier est lu comme un jeu déclaré sans
    données personnelles : tout ce qui désigne une personne est signalé.
    """
    from publisher.validation import check_file

    check_formats(formats, output_dir)
    validation = check_file(file, None, shown_path=str(file))
    sys.exit(emit_reports(validation, formats, output_dir, fail_on))
