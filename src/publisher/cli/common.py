"""What every command shares: French errors instead of tracebacks, options, printing.

Exit codes: 0 nothing blocking · 1 blocking findings (or warnings with --fail-on warning) ·
2 usage or configuration error · 3 portal failure. Data go to stdout, messages and progress
bars to stderr.

Only click and the small modules are imported here: the model, the checks and the renderers
are imported by the functions that use them, so that `publisher --help` and a one-file
`publisher check` start quickly.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from publisher.errors import ConfigurationError, PortalError, PublisherError
from publisher.i18n import _, current

if TYPE_CHECKING:
    from publisher.findings import Finding
    from publisher.validation import Validation

EXIT_OK, EXIT_BLOCKING, EXIT_USAGE, EXIT_PORTAL = 0, 1, 2, 3
SHOWN_PER_DATASET = 10
TERMINAL_FORMATS = ("text", "github")
"""Printed on stdout even with --output: the summary, and the annotations GitHub reads there."""
REPORT_FORMATS = ("html", "json", "markdown", "junit", "sarif", "gitlab", "github")
FAIL_ON_LEVELS = ("error", "warning")
"""The names of `publisher.reports.FORMATS` and `FAIL_ON`, for the options, without importing
the renderers (a test keeps them equal)."""
_MARKS = {"error": ("✖", "red"), "warning": ("⚠", "yellow"), "info": ("ℹ", "blue")}
"""By severity value (`Severity` is a `StrEnum`, so its members find their line)."""


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every PublisherError into one French message and its exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PublisherError as error:
            label = _("Erreur du portail") if isinstance(error, PortalError) else _("Erreur")
            click.secho(f"{label} : {error}", fg="red", err=True)
            sys.exit(error.exit_code)

    return wrapper


@contextmanager
def long_lived_imports() -> Iterator[None]:
    """Imports with the garbage collector paused, their objects then frozen out of its walks.

    Modules, classes and functions live until the process ends: collecting while polars and the
    checks are imported frees nothing, yet walks their objects again and again (15 to 25 ms of
    a one-file check); frozen, they are never walked again.
    Only a call that imported something freezes: a process running several checks does not
    freeze the garbage of the earlier ones."""
    enabled = gc.isenabled()
    modules = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if len(sys.modules) > modules:
            gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on the terminal for long steps: `with progress_bar("Publication", n) as
    step:` then `step("begles-arbres")` after each item.

    Drawn on stderr, and only when stderr is a terminal: CI logs and pipes get nothing.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    quiet = not console.is_terminal or console.is_dumb_terminal
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[item]}"),
        console=console,
        transient=True,
        disable=quiet,
    ) as progress:
        task = progress.add_task(description, total=total, item="")

        def step(item: str = "") -> None:
            progress.update(task, advance=1, item=item)

        yield step


path_argument = click.argument(
    "path", required=False, type=click.Path(path_type=Path, file_okay=False), default=Path(".")
)
cache_option = click.option(
    "--sans-cache",
    "no_cache",
    is_flag=True,
    help="Recontrôler tous les jeux, sans reprendre les constats des jeux inchangés "
    "(cache dans .publisher/cache/).",
)
REGISTRY_REPO = "Dépôt de données dont le registre des schémas est utilisé."


def repo_option(help: str = REGISTRY_REPO) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--repo`: the data repository a command reads, the current folder by default."""
    return click.option(
        "--repo", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help=help
    )


commune_option = click.option(
    "--commune",
    "communes",
    multiple=True,
    metavar="SLUG",
    help="Ne traiter que cette commune (répétable), par exemple --commune begles.",
)


def report_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--format (repeatable), --output DIR and --fail-on, shared by validate and check."""
    command = click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON_LEVELS),
        default="error",
        show_default=True,
        help="Gravité à partir de laquelle la commande échoue (code de sortie 1).",
    )(command)
    command = click.option(
        "--output",
        "--reports",
        "output_dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Dossier où écrire les rapports : HTML et JSON toujours, plus chaque --format "
        "demandé ; l'historique y est conservé.",
    )(command)
    return click.option(
        "--format",
        "formats",
        type=click.Choice(["text", *REPORT_FORMATS]),
        multiple=True,
        default=("text",),
        show_default=True,
        help="Format de sortie, répétable : text pour lire ; json, html, markdown, junit, "
        "sarif, gitlab pour la CI ; github pour les annotations de GitHub Actions.",
    )(command)


def check_formats(formats: Sequence[str], output_dir: Path | None) -> None:
    """Refuse, before any work, what cannot all go to the terminal."""
    if output_dir is None and len(set(formats)) > 1:
        raise ConfigurationError(
            _("plusieurs formats demandés ({formats}) sans dossier de sortie").format(
                formats=", ".join(formats)
            ),
            hint=_("Ajoutez --output DOSSIER : chaque format y sera écrit dans son fichier."),
        )


def emit_reports(
    validation: Validation, formats: Sequence[str], output_dir: Path | None, fail_on: str
) -> int:
    """Print and write what was asked; return the exit code."""
    from publisher.reports import FORMATS, build_document, fails, write_reports

    document = build_document(validation, fail_on=fail_on)
    if output_dir is not None:
        files = [name for name in formats if name not in TERMINAL_FORMATS]
        say_written(write_reports(document, output_dir, files))
    for name in dict.fromkeys(formats):
        if name == "text":
            print_text(validation, document)
        elif output_dir is None or name in TERMINAL_FORMATS:
            click.echo(FORMATS[name][0](document), nl=False)
    return EXIT_BLOCKING if fails(document) else EXIT_OK


def validate_repo(
    path: Path, communes: Sequence[str], *, quiet: bool = False, use_cache: bool = True
) -> Validation:
    """Check the federation; datasets whose inputs did not change are taken from the cache
    unless `use_cache` is false, and the summary line says how many."""
    from publisher.cache import CACHE_DIR
    from publisher.model import find_root, load_federation
    from publisher.validation import validate_federation

    tr = current()
    root = find_root(path)
    federation = load_federation(root, communes)
    total = sum(len(c.datasets) for c in federation.communes)
    if not quiet:
        click.echo(
            _("Contrôle de {datasets} dans {communes}…").format(
                datasets=tr.count(total, "%(num)s jeu de données", "%(num)s jeux de données"),
                communes=tr.count(len(federation.communes), "%(num)s commune", "%(num)s communes"),
            ),
            err=True,
        )
    with progress_bar(_("Contrôle"), total) as step:
        validation = validate_federation(
            federation,
            federation.registry,
            on_dataset=lambda dataset: step(f"{dataset.commune}/{dataset.name}"),
            cache_dir=root / CACHE_DIR if use_cache else None,
        )
    if not quiet and validation.from_cache:
        click.echo(
            _("{reused} repris du cache, {rechecked}.").format(
                reused=tr.count(
                    validation.from_cache, "%(num)s jeu inchangé", "%(num)s jeux inchangés"
                ),
                rechecked=tr.count(
                    validation.rechecked, "%(num)s recontrôlé", "%(num)s recontrôlés"
                ),
            ),
            err=True,
        )
    return validation


def say_written(paths: list[Path]) -> None:
    here = Path.cwd().resolve()
    for written in paths:
        shown = written.resolve()
        shown = shown.relative_to(here) if shown.is_relative_to(here) else shown
        click.echo(_("Rapport écrit : {path}").format(path=shown), err=True)


def _where(finding: dict[str, Any]) -> str:
    parts = [finding["path"]] if finding["path"] else []
    if finding["row"] is not None:
        parts.append(_("ligne {row}").format(row=finding["row"]))
    if finding["column"]:
        parts.append(_("colonne « {column} »").format(column=finding["column"]))
    if finding["key"]:
        parts.append(_("clé « {key} »").format(key=finding["key"]))
    return ", ".join(parts)


def print_text(validation: Validation, document: dict[str, Any] | None = None) -> None:
    """A short summary: one line per dataset, then its first findings (shown as in the report
    `document` of `validation`, built here when not given)."""
    from publisher.findings import Severity
    from publisher.reports import build_document

    tr = current()
    if document is None:
        document = build_document(validation)
    by_place: dict[tuple[Any, Any], list[tuple[Finding, dict[str, Any]]]] = {}
    for finding, shown in zip(validation.findings, document["findings"], strict=True):
        key = (finding.location.commune, finding.location.dataset or finding.location.path)
        by_place.setdefault(key, []).append((finding, shown))
    places: list[tuple[str, list[tuple[Finding, dict[str, Any]]]]] = []
    if validation.federation is not None:
        for commune, dataset in validation.federation.datasets():
            places.append(
                (f"{commune.slug}/{dataset.name}", by_place.get((commune.slug, dataset.name), []))
            )
    for path in validation.checked_files:
        places.append((path, by_place.get((None, path), [])))
    for label, found in places:
        counts = validation.counts(finding for finding, _shown in found)
        errors = tr.count(counts["error"], "%(num)s bloquant", "%(num)s bloquants")
        warnings = tr.count(counts["warning"], "%(num)s avertissement", "%(num)s avertissements")
        if counts["error"]:
            status = _("bloqué ({errors}, {warnings})").format(errors=errors, warnings=warnings)
            click.secho(f"✖ {label} — {status}", fg="red")
        elif counts["warning"]:
            status = _("publiable, {warnings}").format(warnings=warnings)
            click.secho(f"⚠ {label} — {status}", fg="yellow")
        else:
            click.secho(f"✔ {label} — {_('conforme')}", fg="green")
        actionable = [pair for pair in found if pair[0].severity is not Severity.INFO]
        for finding, shown in actionable[:SHOWN_PER_DATASET]:
            mark, colour = _MARKS[finding.severity]
            where = _where(shown)
            value = (
                " — " + _("valeur : {value}").format(value=shown["value"])
                if shown["value"] is not None
                else ""
            )
            click.echo(
                "  " + click.style(f"{mark} [{finding.code}]", fg=colour) + f" {where}{value}"
            )
            click.echo(f"      {shown['message']}")
            click.echo(f"      → {shown['hint']}")
        if len(actionable) > SHOWN_PER_DATASET:
            others = tr.count(
                len(actionable) - SHOWN_PER_DATASET,
                "%(num)s autre constat",
                "%(num)s autres constats",
            )
            click.echo(
                "  "
                + _("… et {others} : voir le rapport HTML ou --format json.").format(others=others)
            )
    counts = validation.counts()
    click.echo(
        "\n"
        + _("Total : {errors}, {warnings}, {infos}.").format(
            errors=tr.count(counts["error"], "%(num)s bloquant", "%(num)s bloquants"),
            warnings=tr.count(counts["warning"], "%(num)s avertissement", "%(num)s avertissements"),
            infos=tr.count(counts["info"], "%(num)s info", "%(num)s infos"),
        )
    )
