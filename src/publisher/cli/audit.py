"""`publisher audit`: the legal compliance audit, the SCDL catalogues and the DCAT-AP export."""

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
    commune_option,
    friendly_errors,
    path_argument,
    say_written,
    validate_repo,
)
from publisher.i18n import _, current

if TYPE_CHECKING:
    from publisher.audit import AuditDocument
    from publisher.validation import Validation

AUDIT_DIR = Path("reports") / "audit"
"""Where `publisher audit` and `publisher run` write the audit, under the repository root."""


def audit_and_write(validation: Validation, folder: Path) -> tuple[AuditDocument, list[Path]]:
    """Audit the validated federation; write its pages, catalogues and DCAT export."""
    from publisher.audit import build_audit
    from publisher.audit.render import write_audit
    from publisher.catalogue import catalogue_files

    federation = validation.federation
    assert federation is not None  # the audit always follows a federation's validation
    document = build_audit(federation, validation)
    return document, write_audit(document, folder, catalogue_files(federation, validation, folder))


@main.command()
@path_argument
@commune_option
@click.option(
    "--output",
    "--sortie",
    "output_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Dossier où écrire l'audit (par défaut reports/audit du dépôt).",
)
@friendly_errors
def audit(path: Path, communes: Sequence[str], output_dir: Path | None) -> None:
    """Auditer la conformité légale de chaque commune (règle par règle, avec les preuves) et
    écrire son catalogue SCDL et l'export DCAT-AP de la fédération."""
    tr = current()
    from publisher.model import find_root

    root = find_root(path)
    validation = validate_repo(root, communes)
    document, written = audit_and_write(validation, output_dir or root / AUDIT_DIR)
    say_written(written)
    failing = False
    for commune in document.communes:
        counts = commune.counts
        click.echo(
            _(
                "{commune} : {compliant} conformes, {non_compliant} non conformes, {attest} à "
                "attester, {na} non applicables."
            ).format(
                commune=commune.name,
                compliant=tr.number(counts["compliant"]),
                non_compliant=tr.number(counts["non_compliant"]),
                attest=tr.number(counts["needs_attestation"]),
                na=tr.number(counts["not_applicable"]),
            )
        )
        for result in commune.rules:
            if result.status == "non_compliant":
                failing = failing or result.severity == "error"
                click.echo(f"  ✖ [{result.code}] {result.title} — {result.reason}")
    sys.exit(EXIT_BLOCKING if failing else EXIT_OK)
