"""Privacy family: the scanner's hits compared with the dataset's personal-data declaration.

« absentes » (or no descriptor, for a lone file): every personal hit blocks (PRIV-01).
« publiées sous exception »: hits are allowed in the declared columns only (PRIV-02), under a
legal basis that names a text, consent or a D312-1-3 category (PRIV-02-BASIS).
« anonymisées »: no direct identifier nor precise position (PRIV-03) and k-anonymity on the
declared quasi-identifiers (PRIV-03-K). Whatever the declaration: a NIR always blocks
(PRIV-05), a person beside a sensitive category blocks unless declared (PRIV-04), hits to
review are warnings (PRIV-REVIEW) and person-like columns must be justified (PRIV-06).
One finding per column and family, at its first row, with a masked sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import polars as pl

from publisher.checks.custom import values
from publisher.checks.registry import BaseFamily, DatasetContext, ResourceContext, register
from publisher.codes import make
from publisher.findings import Finding, Location
from publisher.i18n import N_
from publisher.model import PersonalData
from publisher.privacy.anonymity import combinations, k_anonymity, merged
from publisher.privacy.detectors import AGENT_NOMINATIVE, Family, email_kind, header_flags
from publisher.privacy.documents import document_table
from publisher.privacy.lexicon import header_says, header_tokens
from publisher.privacy.masking import mask_email
from publisher.privacy.scanner import (
    SHOWN_ROWS,
    Grade,
    Hit,
    ScanMemo,
    ScanOptions,
    merge_hits,
    scan,
)

ABSENT, EXCEPTION, ANONYMISED = "absentes", "publiées sous exception", "anonymisées"
K_TARGET = 3
_LEGAL_BASIS = re.compile(
    r"(?i)\b(?:loi|code|article|art\.|décret|decret|arrêté|arrete|ordonnance|règlement|"
    r"reglement|rgpd|crpa|cgct|consentement|[LRD]\s?\d{3,4}(?:-\d+)*)"
)
_JUSTIFIED_BY_HEADER = {
    "first_name": "le prénom de personnes",
    "birth": "une date de naissance",
    "nir": "un numéro de sécurité sociale",
    "phone_personal": "un numéro de téléphone personnel",
    "passport": "un numéro de passeport",
    "tax_number": "un numéro fiscal",
    "family_allowance": "un numéro d'allocataire",
}
"""Headers that say by themselves that a column holds data about persons (PRIV-06)."""
_SCAN_MEMO = "privacy.scan-memo"


@register
class PrivacyFamily(BaseFamily):
    name = "privacy"
    codes = (
        "PRIV-CONTACT",
        "PRIV-01",
        "PRIV-02",
        "PRIV-02-BASIS",
        "PRIV-02-COLUMN",
        "PRIV-03",
        "PRIV-03-K",
        "PRIV-03-QI",
        "PRIV-04",
        "PRIV-05",
        "PRIV-06",
        "PRIV-REVIEW",
    )

    def check_dataset(self, context: DatasetContext) -> Iterable[Finding]:
        dataset = context.dataset
        here = Location(commune=dataset.commune, dataset=dataset.name, path=dataset.relpath)
        yield from _contact(context, here)
        declaration = dataset.personal_data
        if declaration and declaration.status == EXCEPTION:
            basis = (declaration.legal_basis or "").strip()
            if not _LEGAL_BASIS.search(basis):
                yield make(
                    "PRIV-02-BASIS",
                    replace(here, key="personal_data.legal_basis"),
                    basis=basis or "aucune",
                )

    prepares = True

    def prepare_batch(self, context: ResourceContext) -> _Scanned | None:
        """The scan of one batch, which only reads earlier batches through the scanner's memo
        of the values they held (kept in `carry`, under its own name)."""
        table = _table(context)
        if table is None:
            return None
        frame, row_numbers, unit = table
        declaration = context.dataset.personal_data if context.dataset else None
        options = ScanOptions(
            own_domains=context.commune.email_domains if context.commune else (),
            about_people=(declaration.status if declaration else ABSENT) != ABSENT,
            k=K_TARGET,
        )
        memo = context.carry.setdefault(_SCAN_MEMO, ScanMemo())
        hits = scan(_scanned(frame, context), row_numbers, options, memo)
        return _Scanned(frame, row_numbers, unit, hits)

    def check_resource(self, context: ResourceContext) -> Iterable[Finding]:
        """One batch's hits and what the last checks need, kept in `carry`."""
        scanned: _Scanned | None = context.prepared.get(self.name)
        if scanned is None:
            return
        frame, row_numbers, unit, hits = scanned
        declaration = context.dataset.personal_data if context.dataset else None
        seen = context.carry.setdefault(self.name, _Seen(frame.columns, unit, declaration))
        seen.hits = merge_hits(seen.hits, hits, frame.columns)
        seen.filled.update(_filled(frame, seen.person_columns))
        if seen.quasi_identifiers:
            batch = combinations(frame, row_numbers, seen.quasi_identifiers, K_TARGET)
            seen.groups = merged(seen.groups, batch, seen.quasi_identifiers, K_TARGET)
        if declaration is not None:
            yield from _declared_columns(declaration, frame, context.where)

    def finish_resource(self, context: ResourceContext) -> Iterable[Finding]:
        """Findings of the whole file: one per hit (column, family), PRIV-06, k-anonymity."""
        seen: _Seen | None = context.carry.get(self.name)
        if seen is None:
            return
        declaration = seen.declaration
        for hit in seen.hits:
            code = _code(hit, declaration)
            if code is not None:
                yield _hit_finding(code, hit, declaration, context, seen.unit)
        reported = {hit.column for hit in seen.hits}
        for column, what in seen.person_columns.items():
            if column in seen.filled and column not in reported:
                where = replace(context.where, column=column)
                yield make("PRIV-06", where, column=column, what=what)
        if declaration is not None and declaration.status == ANONYMISED:
            yield from _anonymity(declaration, seen, context.where)


class _Scanned(NamedTuple):
    """A batch as the privacy checks read it (CSV rows, or a JSON document's records), with
    the scanner's hits."""

    frame: pl.DataFrame
    row_numbers: pl.Series
    unit: str
    hits: list[Hit]


@dataclass
class _Seen:
    """What the privacy checks keep between the batches of one file."""

    columns: list[str]
    unit: str
    declaration: PersonalData | None
    hits: list[Hit] = field(default_factory=list)
    filled: set[str] = field(default_factory=set)
    groups: pl.DataFrame | None = None

    @property
    def person_columns(self) -> dict[str, str]:
        return _person_columns(self.columns, self.declaration)

    @property
    def quasi_identifiers(self) -> list[str]:
        declaration = self.declaration
        if declaration is None or declaration.status != ANONYMISED:
            return []
        return [column for column in declaration.quasi_identifiers if column in self.columns]


def _table(context: ResourceContext) -> tuple[pl.DataFrame, pl.Series, str] | None:
    """The resource as text columns: a CSV table, or a JSON/GeoJSON document's records."""
    read = context.read
    if read.table is not None and read.table.frame.height:
        return read.table.frame, read.table.row_numbers, "ligne"
    if read.json_document is not None:
        frame, rows = document_table(read.json_document)
        return (frame, rows, "élément") if frame.height else None
    return None


_SCALAR_TYPES = ("integer", "number", "year", "date", "datetime", "time", "boolean")


def _scanned(frame: pl.DataFrame, context: ResourceContext) -> pl.DataFrame:
    """The table as the scanner needs to see it: a cell that reads as its column's declared
    type (number, date, boolean…) or is one of its allowed values cannot name anyone, so it
    is left out, unless the header says what it is about (a birth date, a count of people,
    a coordinate, an identifier): the scanner reads those. Cells that do not read as their
    type are still scanned (an e-mail typed into a date column is found)."""
    descriptor = context.schema.descriptor if context.schema is not None else {}
    fields = {
        field["name"]: field
        for field in descriptor.get("fields", [])
        if isinstance(field, dict) and isinstance(field.get("name"), str)
    }
    blanked = []
    for said in header_flags(frame.columns).iter_rows(named=True):
        field = fields.get(said["column"])
        if field is None or any(value for name, value in said.items() if name != "column"):
            continue
        cell = pl.col(said["column"])
        allowed = (field.get("constraints") or {}).get("enum")
        plain = []
        if field.get("type") in _SCALAR_TYPES:
            plain.append(values.typed(cell, field, descriptor).is_not_null())
        if isinstance(allowed, list):
            plain.append(cell.is_in([str(value) for value in allowed]))
        if not plain:
            continue
        blank = pl.when(pl.any_horizontal(plain)).then(None).otherwise(cell)
        blanked.append(blank.alias(said["column"]))
    try:
        return frame.with_columns(blanked)
    except pl.exceptions.ComputeError:  # a date format polars cannot read: column by column
        return frame.with_columns(_readable(frame, blank) for blank in blanked)


def _readable(frame: pl.DataFrame, blank: pl.Expr) -> pl.Expr:
    """`blank`, or its column as it is when polars cannot read its declared format."""
    try:
        return frame.select(blank).to_series()
    except pl.exceptions.ComputeError:
        return pl.col(blank.meta.output_name())


def _code(hit: Hit, declaration: PersonalData | None) -> str | None:
    """Which finding a hit is worth under the declaration (None: declared and allowed)."""
    status = declaration.status if declaration else ABSENT
    if hit.family is Family.NIR:
        return "PRIV-05"
    if status == EXCEPTION and declaration and hit.column in declaration.columns:
        return None
    if hit.family is Family.SENSITIVE:
        return "PRIV-04"
    if status == ANONYMISED and (hit.grade is Grade.DIRECT or hit.family is Family.GEOLOCATION):
        return "PRIV-03"
    if hit.grade is Grade.REVIEW:
        return "PRIV-REVIEW"
    return "PRIV-02" if status == EXCEPTION else "PRIV-01"


def _hit_finding(
    code: str,
    hit: Hit,
    declaration: PersonalData | None,
    context: ResourceContext,
    unit: str,
) -> Finding:
    if declaration is None:
        note = N_("Aucune déclaration de données personnelles n'accompagne ce fichier.")
    else:
        note = f"Le descripteur déclare les données personnelles « {declaration.status} »."
    return make(
        code,
        replace(context.where, row=hit.rows[0], column=hit.column),
        value=hit.sample,
        column=hit.column,
        what=hit.family.label,
        detail=hit.detail,
        cells=_count(hit.count, "cellule"),
        rows=_where(hit.rows, hit.count, unit),
        declaration=note,
        declared=", ".join(declaration.columns) if declaration else "aucune",
        basis=(declaration.legal_basis if declaration else None) or "aucune",
        family=hit.family.value,
    )


def _declared_columns(
    declaration: PersonalData, frame: pl.DataFrame, where: Location
) -> Iterable[Finding]:
    """Columns named in the declaration must exist, or it covers nothing."""
    lists = {"columns": declaration.columns, "quasi_identifiers": declaration.quasi_identifiers}
    for key, columns in lists.items():
        for column in columns:
            if column not in frame.columns:
                at = replace(where, key=f"personal_data.{key}")
                yield make("PRIV-02-COLUMN", at, column=column, key=key)


def _person_columns(columns: list[str], declaration: PersonalData | None) -> dict[str, str]:
    """PRIV-06 candidates: the columns whose name says « persons » (with what it says), not
    justified by the declaration; a first-name column of an aggregated count is not one."""
    aggregated = any(header_says(h, "count") and header_says(h, "people") for h in columns)
    justified = (
        set(declaration.columns) | set(declaration.quasi_identifiers) if declaration else set()
    )
    found = {}
    for column in columns:
        if column in justified:
            continue
        what = next(
            (
                label
                for family, label in _JUSTIFIED_BY_HEADER.items()
                if header_says(column, family)
            ),
            "la civilité de personnes" if "civilite" in header_tokens(column) else None,
        )
        if what is not None and not (aggregated and header_says(column, "first_name")):
            found[column] = what
    return found


def _filled(frame: pl.DataFrame, columns: Iterable[str]) -> set[str]:
    """Those of `columns` with a non-blank cell in this batch."""
    wanted = [column for column in columns if column in frame.columns]
    if not wanted:
        return set()
    filled = frame.select(pl.col(wanted).str.strip_chars().fill_null("").ne("").any())
    return {column for column in wanted if filled.get_column(column)[0]}


def _anonymity(declaration: PersonalData, seen: _Seen, where: Location) -> Iterable[Finding]:
    if not declaration.quasi_identifiers:
        problem = "aucun quasi-identifiant n'est déclaré (personal_data.quasi_identifiers)"
        yield make("PRIV-03-QI", replace(where, key="personal_data"), problem=problem)
        return
    if seen.groups is None:
        return  # each missing column is already a PRIV-02-COLUMN finding
    result = k_anonymity(seen.groups, K_TARGET)
    if result.small_groups:
        yield make(
            "PRIV-03-K",
            replace(where, row=result.rows[0]),
            columns=", ".join(seen.quasi_identifiers),
            groups=_count(result.small_groups, "combinaison"),
            target=str(K_TARGET),
            k=str(result.k),
            rows=_where(result.rows, len(result.rows), seen.unit),
        )


def _contact(context: DatasetContext, here: Location) -> Iterable[Finding]:
    """The contact goes to the portal's metadata: it must be a functional mailbox."""
    contributors = context.dataset.descriptor.get("contributors") or []
    emails = [
        (index, c["email"])
        for index, c in enumerate(contributors)
        if isinstance(c, dict) and isinstance(c.get("email"), str)
    ]
    if not emails:
        return
    own_domains = context.commune.email_domains if context.commune else ()
    kinds = pl.select(
        email_kind(pl.Series([email for _, email in emails]), own_domains)
    ).to_series()
    for (index, email), kind in zip(emails, kinds, strict=True):
        if kind is not None and kind != AGENT_NOMINATIVE:
            where = replace(here, key=f"contributors.{index}.email")
            yield make("PRIV-CONTACT", where, value=mask_email(email), kind=kind)


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def _where(rows: tuple[int, ...], count: int, unit: str) -> str:
    """« ligne 12 », « lignes 4, 7 et 12 », « lignes 4, 7, 12, 15, 20… (42 en tout) »: the
    first rows of `count`."""
    shown = [str(row) for row in rows[:SHOWN_ROWS]]
    if count == 1:
        return f"{unit} {shown[0]}"
    if count <= SHOWN_ROWS:
        return f"{unit}s {', '.join(shown[:-1])} et {shown[-1]}"
    return f"{unit}s {', '.join(shown)}… ({count} en tout)"
