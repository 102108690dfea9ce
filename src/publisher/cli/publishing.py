"""Publishing to the portal: see the plan, apply it, and the local sandbox portal."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from publisher.cli.app import main
from publisher.cli.audit import AUDIT_DIR, audit_and_write
from publisher.cli.common import (
    EXIT_BLOCKING,
    EXIT_OK,
    EXIT_PORTAL,
    cache_option,
    commune_option,
    friendly_errors,
    path_argument,
    print_text,
    progress_bar,
    repo_option,
    say_written,
    validate_repo,
)
from publisher.errors import ConfigurationError, PortalError

if TYPE_CHECKING:
    from publisher.findings import Finding
    from publisher.portal import Outcome
    from publisher.publishing import Prepared, PublicationSummary
    from publisher.validation import Validation

MARKS = {"create": "+", "update": "~", "unchanged": "=", "delete": "-"}

portal_option = click.option(
    "--portal",
    "portal_url",
    metavar="URL",
    help="Adresse d'un vrai portail Opendatasoft (clés dans PUBLISHER_ODS_API_KEY_<COMMUNE> "
    "ou PUBLISHER_ODS_API_KEY). Sans cette option : le portail bac à sable local.",
)
prune_option = click.option(
    "--prune",
    is_flag=True,
    help="Prévoir aussi la suppression des jeux de la commune présents sur le portail mais "
    "plus dans le dépôt (demande confirmation).",
)
concurrency_option = click.option(
    "--concurrency",
    type=click.IntRange(1, 16),
    default=4,
    show_default=True,
    help="Nombre de jeux traités en même temps.",
)


@main.command()
@path_argument
@commune_option
@cache_option
@portal_option
@prune_option
@concurrency_option
@friendly_errors
def plan(
    path: Path,
    communes: Sequence[str],
    no_cache: bool,
    portal_url: str | None,
    prune: bool,
    concurrency: int,
) -> None:
    """Montrer, commune par commune, ce que la publication changerait sur le portail."""
    validation = validate_repo(path, communes, quiet=True, use_cache=not no_cache)
    summary = _publish(validation, portal_url, dry_run=True, prune=prune, concurrency=concurrency)
    sys.exit(_publish_exit(validation, summary))


@main.command()
@path_argument
@commune_option
@cache_option
@portal_option
@click.option(
    "--dry-run", is_flag=True, help="Montrer le plan, sans rien écrire (= publisher plan)."
)
@prune_option
@click.option("--yes", is_flag=True, help="Confirmer d'avance les suppressions de --prune.")
@concurrency_option
@friendly_errors
def publish(
    path: Path,
    communes: Sequence[str],
    no_cache: bool,
    portal_url: str | None,
    dry_run: bool,
    prune: bool,
    yes: bool,
    concurrency: int,
) -> None:
    """Publier sur le portail les jeux de données sans constat bloquant, selon le plan."""
    validation = validate_repo(path, communes, quiet=True, use_cache=not no_cache)
    summary = _publish(
        validation, portal_url, dry_run=dry_run, prune=prune, yes=yes, concurrency=concurrency
    )
    _print_findings(summary.findings)
    sys.exit(_publish_exit(validation, summary))


@main.command()
@path_argument
@commune_option
@cache_option
@friendly_errors
def run(path: Path, communes: Sequence[str], no_cache: bool) -> None:
    """Tout enchaîner : contrôler, écrire les rapports, publier sur le bac à sable local."""
    from publisher.findings import Finding
    from publisher.model import find_root
    from publisher.reports import build_document, write_reports

    root = find_root(path)
    validation = validate_repo(root, communes, use_cache=not no_cache)
    print_text(validation)
    summary = _publish(validation, None, dry_run=False)
    validation = replace(
        validation,
        findings=tuple(sorted((*validation.findings, *summary.findings), key=Finding.sort_key)),
    )
    say_written(write_reports(build_document(validation, summary.to_dict()), root / "reports"))
    say_written(audit_and_write(validation, root / AUDIT_DIR)[1])
    sys.exit(_publish_exit(validation, summary))


@main.command()
@click.argument("dataset", metavar="COMMUNE/JEU")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@repo_option("Dépôt de données qui décrit le jeu.")
@portal_option
@click.option(
    "--batch-size",
    type=click.IntRange(1, 1000),
    default=100,
    show_default=True,
    help="Enregistrements envoyés par appel.",
)
@friendly_errors
def push(dataset: str, file: Path, repo: Path, portal_url: str | None, batch_size: int) -> None:
    """Envoyer des enregistrements temps réel (CSV) au jeu COMMUNE/JEU, après les avoir
    contrôlés contre son schéma ; les enregistrements invalides ne sont jamais envoyés."""
    from publisher.model import find_root, load_federation
    from publisher.publishing import open_portal, push_file
    from publisher.reports.html import plural

    commune = dataset.partition("/")[0]
    federation = load_federation(find_root(repo), [commune] if commune else [])
    with open_portal(federation, portal_url) as session:
        summary = push_file(federation, dataset, file, session, batch_size=batch_size)
    for finding in summary.findings:
        if finding.severity.value != "info":
            where = finding.location.describe()
            value = f" — valeur : {finding.value}" if finding.value is not None else ""
            mark = "✖" if finding.blocking else "⚠"
            click.echo(f"  {mark} [{finding.code}] {where}{value}\n      {finding.message}")
    click.echo(
        f"{plural(summary.sent, 'enregistrement envoyé', 'enregistrements envoyés')} "
        f"({plural(summary.batches, 'lot')}), "
        f"{plural(summary.already_sent, 'déjà envoyé', 'déjà envoyés')}, "
        f"{plural(len(summary.rejected_rows), 'refusé', 'refusés')} sur {summary.total}."
    )
    blocking = any(f.blocking for f in summary.findings)
    sys.exit(EXIT_BLOCKING if blocking else EXIT_OK)


@main.command()
@path_argument
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option(
    "--error-rate", type=click.FloatRange(0, 1), default=0.0, help="Part d'appels en erreur 5xx."
)
@click.option(
    "--drop-rate", type=click.FloatRange(0, 1), default=0.0, help="Part de connexions coupées."
)
@click.option(
    "--burst-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Part d'appels ouvrant une rafale de 429.",
)
@click.option(
    "--latency", type=click.FloatRange(0), default=0.0, help="Secondes ajoutées à chaque appel."
)
@click.option(
    "--rate-limit",
    type=click.IntRange(1),
    default=None,
    help="Appels permis par minute et par clé.",
)
@click.option(
    "--seed", type=int, default=None, help="Graine du hasard, pour rejouer les mêmes pannes."
)
@friendly_errors
def sandbox(path: Path, port: int, **faults: Any) -> None:
    """Lancer le portail bac à sable local au premier plan (démonstrations), avec des pannes
    simulées si demandé."""
    from publisher.model import find_root
    from publisher.portal.sandbox import Faults, serve_forever
    from publisher.publishing import SANDBOX_DIR

    serve_forever(find_root(path) / SANDBOX_DIR, port=port, faults=Faults(**faults))


def _publish(
    validation: Validation,
    portal_url: str | None,
    *,
    dry_run: bool,
    prune: bool = False,
    yes: bool = False,
    concurrency: int = 4,
) -> PublicationSummary:
    """Plan, show the plan, then apply it (unless `dry_run`), printing each outcome; a
    portal failure is reported in the summary, not raised, so that `run` still writes its
    reports."""
    from publisher.publishing import PublicationSummary, apply, open_portal, prepare
    from publisher.reports.html import plural

    federation = validation.federation
    assert federation is not None  # commands publishing always load the federation
    try:
        with open_portal(federation, portal_url, concurrency=concurrency) as session:
            where = "le bac à sable local" if session.target.sandbox else session.target.url
            click.echo(f"Plan de publication sur {where} :", err=True)
            prepared = prepare(validation, session, prune=prune)
            _print_plan(prepared)
            if dry_run:
                return prepared.dry_run_summary()
            _confirm_deletions(prepared, yes)
            busy = sum(change.calls_portal for change in prepared.plan.changes)
            with progress_bar("Publication", busy) as step:
                summary = apply(prepared, session, validation, on_progress=_printer(step))
    except PortalError as error:
        return PublicationSummary(
            portal_url or "bac à sable local", portal_url is None, (), error=str(error)
        )
    changed = sum(o["action"] in ("create", "update") and o["ok"] for o in summary.outcomes)
    if changed:
        click.echo(plural(changed, "jeu publié ou mis à jour", "jeux publiés ou mis à jour") + ".")
    elif not prepared.has_changes:
        click.echo("Rien de nouveau à publier : le portail est déjà à jour.")
    return summary


def _print_plan(prepared: Prepared) -> None:
    """Per commune: counts, then every dataset that would change, with its diff lines."""
    from publisher.reports.html import plural
    plan = prepared.plan
    blocked = prepared.publish_plan.blocked
    for dataset_id in plan.interrupted:
        click.echo(f"  ↻ {dataset_id} : interrompu lors d'une exécution précédente, repris")
    if plan.stale_entries:
        stale = plural(plan.stale_entries, "entrée périmée écartée", "entrées périmées écartées")
        click.echo(f"  État local : {stale} (le portail fait foi).")
    communes = sorted({c.commune for c in plan.changes} | {b.commune for b in blocked})
    for commune in communes:
        changes = [c for c in plan.changes if c.commune == commune]
        held = [b for b in blocked if b.commune == commune]
        counts = [
            plural(sum(c.action == action for c in changes), label, label + "s")
            for action, label in (
                ("create", "création"),
                ("update", "mise à jour"),
                ("delete", "suppression"),
            )
        ]
        unchanged = sum(c.action == "unchanged" for c in changes)
        counts += [f"{unchanged} inchangé{'s' if unchanged > 1 else ''}"]
        counts += [f"{len(held)} bloqué{'s' if len(held) > 1 else ''}"]
        click.echo(f"{commune} — {', '.join(counts)}")
        for change in changes:
            if change.action == "unchanged":
                continue
            label = {"create": "création", "update": "mise à jour", "delete": "suppression"}
            click.echo(
                f"  {MARKS[change.action]} {change.dataset_id} : prévu : {label[change.action]}"
            )
            for reason in change.reasons:
                click.echo(f"      {reason}")
        for item in held:
            codes = ", ".join(item.codes) if item.codes else "aucun fichier de données"
            click.echo(f"  · {item.dataset_id} : non publié (constats bloquants : {codes})")


def _confirm_deletions(prepared: Prepared, yes: bool) -> None:
    """Deletions are irreversible: ask, or require --yes when nobody can answer."""
    from publisher.reports.html import plural
    deletions = prepared.plan.of("delete")
    if not deletions or yes:
        return
    names = ", ".join(change.dataset_id for change in deletions)
    if not sys.stdin.isatty():
        raise ConfigurationError(
            f"suppression de {plural(len(deletions), 'jeu', 'jeux')} prévue ({names}) sans "
            "confirmation : rien n'a été publié",
            hint="relisez le plan (publisher plan --prune) puis relancez avec --yes",
        )
    question = f"Supprimer définitivement du portail {names} ?"
    if not click.confirm(question, default=False, err=True):
        raise ConfigurationError(
            "suppression refusée : rien n'a été publié",
            hint="relancez sans --prune pour publier sans rien supprimer",
        )


def _printer(step: Callable[[str], None]) -> Callable[[Outcome], None]:
    """Print each outcome as soon as it is known and advance the progress bar (from the
    worker threads, one at a time); an unchanged dataset without any call shows nothing."""
    lock = threading.Lock()

    def show(outcome: Outcome) -> None:
        if outcome.action == "unchanged" and outcome.ok and outcome.read_back is None:
            return
        mark = "✔" if outcome.ok else "✖"
        with lock:
            click.echo(f"  {mark} {outcome.dataset_id} : {outcome.message}")
            step(outcome.dataset_id)

    return show


def _print_findings(findings: tuple[Finding, ...]) -> None:
    for finding in findings:
        if finding.code.startswith("PORTAL-READBACK"):
            click.secho(f"✖ [{finding.code}] {finding.location.describe()}", fg="red")
            click.echo(f"      {finding.message}\n      → {finding.hint}")


def _publish_exit(validation: Validation, summary: PublicationSummary) -> int:
    if summary.error:
        click.secho(f"Erreur du portail : {summary.error}", fg="red", err=True)
        return EXIT_PORTAL
    if any(not o["ok"] and o["action"] != "blocked" for o in summary.outcomes):
        return EXIT_PORTAL
    blocking = validation.has_blocking or any(f.blocking for f in summary.findings)
    return EXIT_BLOCKING if blocking else EXIT_OK
