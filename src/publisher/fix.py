"""Write a corrected copy of an officer's CSV file: what a spreadsheet habit broke, mended.

Only changes that cannot change the meaning are made: UTF-8, `,` delimiter, trimmed cells,
columns in schema order under their schema names, decimal point, no thousands separator, ISO
dates. A value that could be read two ways (`1.500` in a number column, a date column mixing
`03/04/2025` and `04/13/2025`) is left as it is and stays a finding. The original file is never
touched; the copy is written atomically. Every change is a whole-column polars expression.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from publisher.checks.header import match_header
from publisher.errors import InputFileError
from publisher.findings import Location
from publisher.read import read_resource
from publisher.schemas import SharedSchema

_SPACES = "[ \u00a0\u202f]"
_THOUSANDS_SPACES = rf"^[-+]?\d{{1,3}}({_SPACES}\d{{3}})+(,\d+)?$"
_DECIMAL_COMMA = r"^[-+]?\d*,\d+$"
_FRENCH_DATE = r"^(\d{1,2})/(\d{1,2})/(\d{4})$"


@dataclass
class FixResult:
    """The corrected copy and, in French, what was changed."""

    data: bytes
    changes: list[str] = field(default_factory=list)


def fix_table(path: Path, schema: SharedSchema) -> FixResult:
    """The corrected content of the CSV file at `path`, against `schema`."""
    if not schema.is_tabular:
        raise InputFileError(
            f"le schéma {schema.ref} décrit un document JSON : rien à corriger dans un tableau",
            path=path,
            hint="Utilisez « publisher check » pour contrôler ce fichier.",
        )
    read = read_resource(path, "csv", None, Location(path=path.name))
    table = read.table
    if table is None:
        reasons = " ; ".join(f.message for f in read.findings) or "fichier illisible"
        raise InputFileError(
            f"le fichier ne peut pas être lu comme un tableau ({reasons})",
            path=path,
            hint="Exportez-le de nouveau depuis votre tableur au format CSV.",
        )
    ragged = _ragged_lines(table.data, table.delimiter)
    if ragged:
        shown = ", ".join(str(line) for line in ragged[:10]) + (" …" if len(ragged) > 10 else "")
        raise InputFileError(
            f"des lignes n'ont pas autant de cellules que l'en-tête (lignes {shown}) : une copie "
            "corrigée perdrait ou décalerait des valeurs",
            path=path,
            hint="Corrigez d'abord ces lignes dans votre tableur (souvent un nombre comme "
            "25 000,00 écrit sans guillemets dans un fichier séparé par des virgules), puis "
            "relancez publisher fix.",
        )
    changes: list[str] = []
    if table.encoding not in ("utf-8", "utf-8-sig"):
        changes.append(f"encodage {table.encoding} → UTF-8")
    elif table.encoding == "utf-8-sig":
        changes.append("marque d'ordre d'octets (BOM) retirée")
    if table.delimiter != ",":
        changes.append(f"séparateur « {table.delimiter} » → « , »")
    fields = {f["name"]: f for f in schema.descriptor.get("fields", [])}
    match = match_header(
        table.header, table.frame.columns, list(fields), "exact", schema.ref, Location()
    )
    for column, name in match.fields_by_column.items():
        if column != name:
            changes.append(f"colonne « {column} » renommée « {name} »")
    columns_of = {name: column for column, name in match.fields_by_column.items()}
    frame = table.frame.with_columns(pl.all().str.strip_chars())
    trimmed = _count_changed(table.frame, frame)
    if trimmed:
        changes.append(f"{trimmed} cellule(s) débarrassée(s) d'espaces en début ou fin")
    for name, column in columns_of.items():
        frame, said = _mend_column(frame, column, name, fields[name])
        changes.extend(said)
    ordered = [pl.col(columns_of[name]).alias(name) for name in fields if name in columns_of]
    extra = [c for c in frame.columns if c not in match.fields_by_column]
    output = frame.select(*ordered, *extra)
    in_file_order = [
        match.fields_by_column[c] for c in table.frame.columns if c in columns_of.values()
    ]
    if in_file_order != [name for name in fields if name in columns_of]:
        changes.append("colonnes remises dans l'ordre du schéma")
    if extra:
        changes.append(
            "colonnes hors schéma gardées en fin de tableau (à vous de les supprimer) : "
            + ", ".join(f"« {c} »" for c in extra)
        )
    missing = [name for name in fields if name not in columns_of]
    if missing:
        changes.append(
            "colonnes du schéma absentes, non ajoutées (à remplir par vous) : "
            + ", ".join(f"« {name} »" for name in missing)
        )
    return FixResult(output.write_csv(separator=",", null_value="").encode("utf-8"), changes)


def _ragged_lines(data: bytes, delimiter: str) -> list[int]:
    """Line numbers of the records whose cell count differs from the header's (the C csv
    reader splits records, quotes and embedded line breaks included, faster than polars can
    say which lines it had to pad or cut)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter)
    width = len(next(reader, []))
    return [reader.line_num for record in reader if record and len(record) != width]


def _count_changed(before: pl.DataFrame, after: pl.DataFrame) -> int:
    if not before.width:
        return 0
    differs = [(before[c].fill_null("") != after[c].fill_null("")).sum() for c in before.columns]
    return int(sum(differs))


def mend_number(cell: pl.Expr) -> pl.Expr:
    """A number written the French way (« 23 500,00 », « 1,5 ») as the text of the same number
    with a decimal point and no thousands separator; any other cell unchanged."""
    french = cell.str.contains(_THOUSANDS_SPACES) | cell.str.contains(_DECIMAL_COMMA)
    mended = cell.str.replace_all(_SPACES, "").str.replace(",", ".", literal=True)
    return pl.when(french).then(mended).otherwise(cell)


def _mend_column(
    frame: pl.DataFrame, column: str, name: str, spec: dict
) -> tuple[pl.DataFrame, list[str]]:
    """Decimal commas and thousands separators in numbers, French dates in dates."""
    cell = pl.col(column)
    kind = spec.get("type", "string")
    said: list[str] = []
    if kind in ("number", "integer") and "decimalChar" not in spec and "groupChar" not in spec:
        thousands = cell.str.contains(_THOUSANDS_SPACES)
        comma = cell.str.contains(_DECIMAL_COMMA)
        counts = frame.select(thousands.sum().alias("t"), comma.sum().alias("c")).row(0)
        frame = frame.with_columns(mend_number(cell).alias(column))
        if counts[0]:
            said.append(f"{name} : {counts[0]} séparateur(s) de milliers retiré(s)")
        if counts[1]:
            said.append(f"{name} : {counts[1]} virgule(s) décimale(s) → point")
    elif kind == "date" and spec.get("format", "default") == "default":
        parts = cell.str.extract_groups(_FRENCH_DATE)
        day, month, year = (parts.struct.field(str(i)) for i in (1, 2, 3))
        iso = pl.concat_str(year, month.str.zfill(2), day.str.zfill(2), separator="-")
        valid = iso.str.to_date("%Y-%m-%d", strict=False).is_not_null()
        french = cell.str.contains(_FRENCH_DATE)
        counts = frame.select(
            (french & valid).sum().alias("n"),
            (french & (month.cast(pl.Int32) > 12)).sum().alias("us"),
        ).row(0)
        if counts[1]:
            said.append(
                f"{name} : dates laissées telles quelles, le jour et le mois sont ambigus "
                "(certaines valeurs ne se lisent qu'en MM/JJ/AAAA)"
            )
        elif counts[0]:
            frame = frame.with_columns(
                pl.when(french & valid).then(iso).otherwise(cell).alias(column)
            )
            said.append(f"{name} : {counts[0]} date(s) JJ/MM/AAAA → AAAA-MM-JJ")
    return frame, said


def write_copy(result: FixResult, original: Path, target: Path) -> None:
    """Write the copy atomically, never over the original."""
    if target.resolve() == original.resolve():
        raise InputFileError(
            "la copie corrigée ne peut pas remplacer le fichier d'origine",
            path=target,
            hint="Choisissez un autre nom avec --output.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(result.data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def default_target(original: Path) -> Path:
    return original.with_name(f"{original.stem}-corrige.csv")
