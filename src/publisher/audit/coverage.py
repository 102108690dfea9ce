"""Obligations coverage: which mandatory datasets a commune has, and which are missing or late.

A mandatory dataset is found by the shared schema its resources declare. It is stale when the
checks found it late for its declared frequency (PUB-03) or when it is older than its duty
allows (the catalogue: 12 months). Two duties read cells, as whole columns with polars: the
attributing body's SIREN, and subsidies over 23 000 € published more than three months after
their convention.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

import polars as pl

from publisher.findings import Finding
from publisher.fix import mend_number
from publisher.i18n import N_, Translator
from publisher.model import Commune, Dataset, Resource
from publisher.validation import Validation

BOM = b"\xef\xbb\xbf"
SUBSIDY_THRESHOLD = 23_000
"""Euros a year to one body, above which a subsidy's essential data are mandatory."""
SUBSIDY_DELAY = "3mo"


@dataclass(frozen=True)
class Obligation:
    """A mandatory dataset: the schemas that identify it and what its cells must say."""

    key: str
    label: str
    schemas: tuple[str, ...]
    siren_column: str | None = None
    """Column that must start with the commune's SIREN (a SIRET of the attributing or paying
    body), or equal it when `siren_equal`."""
    siren_equal: bool = False
    max_age_days: int | None = None
    """Older than this, stale whatever its declared frequency."""


OBLIGATIONS: dict[str, Obligation] = {
    o.key: o
    for o in (
        Obligation(
            "subventions",
            N_("Subventions de plus de 23 000 €"),
            ("scdl/subventions",),
            "idAttribuant",
        ),
        Obligation("deliberations", N_("Délibérations"), ("scdl/deliberations",), "COLL_SIRET"),
        Obligation("budget", N_("Budget"), ("scdl/budget",), "BGT_SIRET"),
        Obligation(
            "catalogue",
            N_("Catalogue des données"),
            ("scdl/catalogue", "etalab/schema-catalogue-donnees"),
            "COLL_SIRET",
            max_age_days=365,
        ),
        Obligation(
            "decp",
            N_("Données essentielles de la commande publique"),
            ("139bercy/format-commande-publique", "etalab/schema-decp-dpa"),
        ),
        Obligation(
            "hautes-remunerations",
            N_("Dix plus hautes rémunérations"),
            ("etalab/schema-hautes-remunerations",),
            "siren",
            siren_equal=True,
        ),
        Obligation("irve", N_("Points de recharge (IRVE)"), ("etalab/schema-irve-statique",)),
        Obligation("stationnement", N_("Lieux de stationnement"), ("etalab/schema-stationnement",)),
    )
}


@dataclass(frozen=True)
class RowProblem:
    """A row that breaks a duty the schema cannot express (late subsidy, foreign SIREN)."""

    kind: str
    """`late` or `siren`."""
    dataset: str
    path: str
    row: int
    column: str
    value: str
    detail: str


@dataclass(frozen=True)
class Coverage:
    """One duty of one commune: found, missing, stale or not applicable, with its datasets."""

    obligation: str
    label: str
    rule: str
    status: str
    """`present`, `missing`, `stale` or `not_applicable`."""
    reason: str
    datasets: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    rows: tuple[RowProblem, ...] = ()
    notes: tuple[str, ...] = ()
    """What could not be checked in the cells (unreadable file, missing date), and why."""


def datasets_of(commune: Commune, obligation: Obligation) -> tuple[Dataset, ...]:
    """The commune's datasets with a resource under one of the obligation's schemas."""
    return tuple(
        dataset
        for dataset in commune.datasets
        if any(_schema_name(r) in obligation.schemas for r in dataset.resources)
    )


def missing_files(
    commune: Commune, obligation: Obligation
) -> tuple[tuple[Dataset, tuple[str, ...]], ...]:
    """Datasets whose descriptor declares a resource under one of the obligation's schemas
    whose file is absent (a DESC-FILE-MISSING finding), with the paths to restore."""
    found = []
    for dataset in commune.datasets:
        folder = PurePosixPath(dataset.relpath).parent
        paths = tuple(
            (folder / raw["path"]).as_posix()
            for raw in dataset.descriptor.get("resources") or ()
            if isinstance(raw, dict)
            and isinstance(raw.get("path"), str)
            and isinstance(raw.get("schema"), str)
            and raw["schema"].partition("@")[0] in obligation.schemas
            and not (dataset.descriptor_path.parent / raw["path"]).is_file()
        )
        if paths:
            found.append((dataset, paths))
    return tuple(found)


def coverage(
    commune: Commune,
    obligation: Obligation,
    rule: str,
    applies: bool,
    validation: Validation,
    today: date,
    tr: Translator,
) -> Coverage:
    _ = tr.gettext
    label = _(obligation.label)
    if not applies:
        reason = _("Non applicable à la commune (voir la règle {rule}).").format(rule=rule)
        return Coverage(obligation.key, label, rule, "not_applicable", reason)
    found = datasets_of(commune, obligation)
    if not found and (absent := missing_files(commune, obligation)):
        reason = _(
            "Le jeu au schéma {schemas} existe ({names}) mais son fichier manque : restaurez "
            "{paths} (constat DESC-FILE-MISSING)."
        ).format(
            schemas=" / ".join(obligation.schemas),
            names=", ".join(d.name for d, _paths in absent),
            paths=", ".join(p for _d, paths in absent for p in paths),
        )
        return Coverage(obligation.key, label, rule, "missing", reason)
    if not found:
        reason = _("Aucun jeu au schéma {schemas} dans le dépôt de la commune.").format(
            schemas=" / ".join(obligation.schemas)
        )
        return Coverage(obligation.key, label, rule, "missing", reason)
    findings = {d.name: validation.of_dataset(d) for d in found}
    stale = tuple(d.name for d in found if _is_stale(d, findings[d.name], obligation, today))
    blocked = tuple(d.name for d in found if any(f.blocking for f in findings[d.name]))
    rows: list[RowProblem] = []
    notes: list[str] = []
    for dataset in found:
        for resource in dataset.resources:
            if _schema_name(resource) in obligation.schemas:
                found_rows, found_notes = _row_problems(
                    commune, dataset, resource, obligation, validation, tr
                )
                rows += found_rows
                notes += [n for n in found_notes if n not in notes]
    names = tuple(d.name for d in found)
    if len(stale) == len(found):
        status = "stale"
        reason = _(
            "En retard sur sa fréquence déclarée ou sur le délai de la règle : {names}."
        ).format(
            names=", ".join(
                _("{name} (mis à jour le {modified})").format(name=d.name, modified=d.modified)
                for d in found
            )
        )
    else:
        status = "present"
        reason = _("Jeux trouvés : {names}.").format(names=", ".join(names))
    return Coverage(
        obligation.key, label, rule, status, reason, names, stale, blocked, tuple(rows),
        tuple(notes),
    )


def _schema_name(resource: Resource) -> str | None:
    return resource.schema.partition("@")[0] if resource.schema else None


def _is_stale(
    dataset: Dataset, findings: list[Finding], obligation: Obligation, today: date
) -> bool:
    if any(f.code == "PUB-03" for f in findings):
        return True
    if obligation.max_age_days is None or not dataset.modified:
        return False
    try:
        return (today - date.fromisoformat(dataset.modified)).days > obligation.max_age_days
    except ValueError:
        return False  # an impossible date is a DESC-DATE finding already


def _row_problems(
    commune: Commune,
    dataset: Dataset,
    resource: Resource,
    obligation: Obligation,
    validation: Validation,
    tr: Translator,
) -> tuple[list[RowProblem], list[str]]:
    """Rows breaking the duty, and what could not be checked; files the checks could not read
    are left to their findings."""
    delimiter = validation.delimiters.get(resource.relpath)
    if delimiter is None:
        return [], []
    table = _table(resource, delimiter)
    if table is None:
        note = tr.gettext(
            "Les lignes de {path} n'ont pas pu être lues : les obligations ligne à ligne n'y "
            "sont pas contrôlées (voir les constats de format du fichier)."
        )
        return [], [note.format(path=resource.relpath)]
    problems: list[RowProblem] = []
    notes: list[str] = []
    column = obligation.siren_column
    if column in table.columns:
        if obligation.siren_equal:
            ours = pl.col(column).str.strip_chars() == commune.siren
            detail = tr.gettext("n'est pas le SIREN de la commune ({siren})")
        else:
            ours = pl.col(column).str.starts_with(commune.siren)
            detail = tr.gettext("ne commence pas par le SIREN de la commune ({siren})")
        foreign = table.filter(pl.col(column).is_not_null() & ~ours)
        problems += [
            RowProblem(
                "siren",
                dataset.name,
                resource.relpath,
                row["row"],
                column,
                row[column],
                detail.format(siren=commune.siren),
            )
            for row in foreign.select("row", column).iter_rows(named=True)
        ]
    if obligation.key == "subventions":
        if dataset.descriptor.get("issued"):
            problems += _late_subsidies(dataset, resource, table, tr)
        else:
            note = tr.gettext(
                "Le retard des conventions de {name} n'est pas vérifiable : son descripteur ne "
                "déclare pas sa première publication (issued), et sa mise à jour (modified) ne "
                "dit pas quand chaque ligne a été publiée."
            )
            notes.append(note.format(name=dataset.name))
    return problems, notes


def _late_subsidies(
    dataset: Dataset, resource: Resource, table: pl.DataFrame, tr: Translator
) -> list[RowProblem]:
    """Conventions of a beneficiary who received more than 23 000 € from the attributing body
    in the year of the convention (loi 2000-321 art. 10, décret 2017-779: a yearly total per
    body), whose three months had passed when the dataset was first published (`issued`):
    certainly late. Later rows may have come with a later update, whose date per row is
    unknown, so they are not counted."""
    published = dataset.descriptor.get("issued")
    if not published or not {"dateConvention", "montant"} <= set(table.columns):
        return []
    try:
        published_on = date.fromisoformat(str(published))
    except ValueError:
        return []
    signed = pl.col("dateConvention").str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
    amount = mend_number(pl.col("montant").str.strip_chars()).cast(pl.Float64, strict=False)
    beneficiary = pl.coalesce(
        _filled(table, "idBeneficiaire"),
        _filled(table, "nomBeneficiaire").str.to_lowercase(),
        pl.lit("#") + pl.col("row").cast(pl.String),
    )
    group = [_filled(table, "idAttribuant"), "beneficiary", "year"]
    late = (
        table.with_columns(
            signed=signed, amount=amount, beneficiary=beneficiary, year=signed.dt.year()
        )
        .filter(pl.col("signed").is_not_null() & pl.col("amount").is_not_null())
        .with_columns(
            total=pl.col("amount").sum().over(group),
            deadline=pl.col("signed").dt.offset_by(SUBSIDY_DELAY),
        )
        .filter((pl.col("total") > SUBSIDY_THRESHOLD) & (pl.col("deadline") < published_on))
        .select("row", "dateConvention", "montant", "deadline", "total", "year")
    )
    detail = tr.gettext(
        "convention de {amount} € du {signed} ({total} € au même bénéficiaire en {year}) : à "
        "publier au plus tard le {deadline}, jeu publié le {published}"
    )
    return [
        RowProblem(
            "late",
            dataset.name,
            resource.relpath,
            row["row"],
            "dateConvention",
            row["dateConvention"],
            detail.format(
                amount=row["montant"],
                signed=row["dateConvention"],
                total=tr.number(row["total"]),
                year=row["year"],
                deadline=row["deadline"].isoformat(),
                published=published_on.isoformat(),
            ),
        )
        for row in late.iter_rows(named=True)
    ]


def _filled(table: pl.DataFrame, column: str) -> pl.Expr:
    """The column's non-blank cells (null elsewhere, or everywhere if it is absent)."""
    if column not in table.columns:
        return pl.lit(None, dtype=pl.String)
    text = pl.col(column).str.strip_chars()
    return pl.when(text != "").then(text).otherwise(None)


def _table(resource: Resource, delimiter: str) -> pl.DataFrame | None:
    """Every column as text, with the spreadsheet row number (header = 1); None when polars
    cannot read the file (a stray quote): its FMT findings already say why."""
    try:
        raw = resource.path.read_bytes().removeprefix(BOM)
        return pl.read_csv(
            io.BytesIO(raw),
            separator=delimiter,
            infer_schema=False,
            encoding="utf8-lossy",
            truncate_ragged_lines=True,
        ).with_row_index("row", offset=2)
    except (OSError, pl.exceptions.PolarsError):
        return None
