"""Open a data file once, as communes really produce them, into text columns.

Encoding (UTF-8, UTF-8 with BOM, else cp1252/latin-1), delimiter (`,` `;` tab) and the header
are sniffed from the bytes, never trusted from the extension or the descriptor. What differs
from the rules becomes a `FMT-*` finding and reading goes on wherever it can, so that the
schema checks still run on a cp1252 file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import charset_normalizer
import polars as pl

from publisher.codes import make
from publisher.findings import Finding, Location

DELIMITERS = (";", ",", "\t")
_DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}


@dataclass(frozen=True)
class Table:
    """A CSV file decoded to UTF-8 text, with every column kept as text.

    `data` is the file re-encoded in UTF-8 without BOM, so that every reader (polars,
    frictionless) sees the same characters; `frame` has one text column per header cell
    (renamed only when the header repeats a name) and the spreadsheet row of each record.
    """

    header: tuple[str, ...]
    frame: pl.DataFrame
    data: bytes
    encoding: str
    delimiter: str
    row_numbers: pl.Series = field(repr=False)

    @property
    def row_count(self) -> int:
        return self.frame.height


@dataclass(frozen=True)
class ReadResult:
    """What reading produced: a table when the file is tabular and readable, and findings."""

    table: Table | None
    findings: tuple[Finding, ...]
    json_document: object | None = None


def read_resource(
    path: Path, fmt: str, declared_delimiter: str | None, where: Location
) -> ReadResult:
    """Read a resource file by its declared format (csv, json, geojson)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return ReadResult(None, (_unreadable(where, f"lecture impossible ({error.strerror})"),))
    container = sniff_container(raw)
    if container is not None:
        return ReadResult(
            None,
            (
                make(
                    "FMT-01",
                    where,
                    detail=f"Le fichier est {container}, pas un fichier CSV ou JSON : son "
                    "contenu ne peut pas être vérifié ni publié tel quel.",
                    fix="Ouvrez-le dans votre tableur et « Enregistrer sous » → CSV UTF-8 (une "
                    "feuille par fichier, la première ligne pour les noms de colonnes).",
                ),
            ),
        )
    if fmt in ("json", "geojson"):
        return _read_json(raw, where)
    return _read_csv(raw, declared_delimiter, where)


_SIGNATURES = (
    (b"PK\x03\x04", "un classeur ou document compressé (XLSX, ODS ou DOCX)"),
    (b"\xd0\xcf\x11\xe0", "un classeur ou document Microsoft Office ancien (XLS ou DOC)"),
    (b"%PDF", "un document PDF"),
    (b"\x1f\x8b", "une archive compressée (gzip)"),
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
)


def sniff_container(raw: bytes) -> str | None:
    """What a binary file really is, from its first bytes (never from its extension)."""
    for signature, label in _SIGNATURES:
        if raw.startswith(signature):
            return label
    return None


def _unreadable(where: Location, detail: str) -> Finding:
    return make(
        "FMT-01",
        where,
        detail=f"Le fichier ne peut pas être lu : {detail}.",
        fix="Exportez de nouveau le fichier depuis votre tableur au format CSV UTF-8.",
    )


def _read_json(raw: bytes, where: Location) -> ReadResult:
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ReadResult(None, (make("FMT-ENCODING", where, encoding="un encodage non UTF-8"),))
    except json.JSONDecodeError as error:
        location = replace(where, row=error.lineno)
        return ReadResult(
            None,
            (
                make(
                    "FMT-01",
                    location,
                    detail=f"Le fichier n'est pas du JSON valide (ligne {error.lineno}, "
                    f"colonne {error.colno}) : fichier tronqué, virgule ou guillemet en trop ou "
                    "manquant.",
                    fix="Corrigez la syntaxe JSON à cet endroit, ou "
                    "réexportez le fichier depuis l'outil qui l'a produit.",
                ),
            ),
        )
    return ReadResult(None, (), json_document=document)


def decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM tolerated) or, failing that, the most likely legacy encoding."""
    try:
        return raw.decode("utf-8-sig"), (
            "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
        )
    except UnicodeDecodeError:
        pass
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 as some spreadsheets export "Unicode text"; a broken last character is replaced
        return raw.decode("utf-16", errors="replace"), "utf-16"
    guess = charset_normalizer.from_bytes(raw).best()
    encoding = guess.encoding if guess is not None else "cp1252"
    if encoding.replace("_", "-").lower() not in (
        "cp1252",
        "windows-1252",
        "latin-1",
        "iso8859-1",
        "iso-8859-1",
        "latin1",
        "iso8859-15",
        "utf-16",
        "utf-16-le",
        "utf-16-be",
        "mac-roman",
    ):
        encoding = "cp1252"
    try:
        return raw.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most cells (quotes respected)."""
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        if len(cells) > best_count:
            best, best_count = delimiter, len(cells)
    return best


def _read_csv(raw: bytes, declared_delimiter: str | None, where: Location) -> ReadResult:
    findings: list[Finding] = []
    text, encoding = decode(raw)
    if encoding not in ("utf-8", "utf-8-sig"):
        findings.append(make("FMT-ENCODING", where, encoding=_encoding_label(encoding)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not text.strip():
        findings.append(make("FMT-EMPTY", where, what="aucune ligne"))
        return ReadResult(None, tuple(findings))
    delimiter = sniff_delimiter(lines[0])
    if declared_delimiter and declared_delimiter != delimiter:
        findings.append(
            make(
                "FMT-DELIMITER",
                where,
                found=_DELIMITER_NAMES[delimiter],
                declared=_DELIMITER_NAMES.get(declared_delimiter, declared_delimiter),
            )
        )
    header = tuple(next(csv.reader([lines[0]], delimiter=delimiter)))
    data = text.encode("utf-8")
    names = _unique_names(header)
    try:
        frame = _frame(data, delimiter, names, quote_char='"')
    except pl.exceptions.PolarsError:
        line = _first_stray_quote(lines, delimiter)
        at = f" à la ligne {line}" if line else ""
        findings.append(
            make(
                "FMT-01",
                replace(where, row=line),
                detail=f"Guillemet mal placé ou non refermé{at} : la suite du fichier ne peut "
                "pas être découpée en cellules de façon sûre ; elle est lue sans tenir compte "
                "des guillemets.",
                fix="Ouvrez le fichier dans un éditeur de texte à cette ligne et supprimez le "
                'guillemet isolé (ou doublez-le, "", s\'il fait partie du texte).',
            )
        )
        try:
            frame = _frame(data, delimiter, names, quote_char=None)
        except pl.exceptions.PolarsError:
            return ReadResult(None, tuple(findings))
    blank = pl.all_horizontal(pl.all().is_null() | (pl.all().str.strip_chars() == ""))
    row_numbers = pl.int_range(2, frame.height + 2, eager=True).alias("_row")
    keep = ~frame.select(blank.alias("blank")).to_series() if frame.width else None
    if keep is not None:
        row_numbers = row_numbers.filter(keep)
        frame = frame.filter(keep)
    if frame.height == 0:
        findings.append(make("FMT-HEADER-ONLY", where))
    table = Table(header, frame, data, encoding, delimiter, row_numbers)
    return ReadResult(table, tuple(findings))


def _frame(data: bytes, delimiter: str, names: list[str], quote_char: str | None) -> pl.DataFrame:
    """Every column as text; short rows padded, long rows cut (frictionless reports both)."""
    return pl.read_csv(
        io.BytesIO(data),
        separator=delimiter,
        has_header=False,
        skip_rows=1,
        schema=dict.fromkeys(names, pl.String),
        truncate_ragged_lines=True,
        extra_columns="ignore",
        missing_columns="insert",
        raise_if_empty=False,
        quote_char=quote_char,
    )


def _first_stray_quote(lines: list[str], delimiter: str) -> int | None:
    """The first line (1-based) with a quote inside a cell or an odd number of quotes."""
    series = pl.Series(lines)
    escaped = re.escape(delimiter)
    inside = series.str.contains(f'[^{escaped}"]"[^{escaped}"]')
    odd = series.str.count_matches('"', literal=True) % 2 == 1
    found = (inside | odd).arg_true()
    return int(found[0]) + 1 if found.len() else None


def _unique_names(header: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for index, label in enumerate(header):
        name = label if label.strip() else f"(colonne {index + 1} sans nom)"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        names.append(name)
    return names


def _encoding_label(encoding: str) -> str:
    normalised = encoding.replace("_", "-").lower()
    if normalised in ("cp1252", "windows-1252"):
        return "Windows-1252 (ANSI)"
    if normalised.startswith("utf-16"):
        return "UTF-16"
    if normalised in ("latin-1", "latin1", "iso-8859-1", "iso8859-1"):
        return "ISO-8859-1 (Latin-1)"
    return encoding
