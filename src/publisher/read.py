"""Open a data file once, as communes really produce them, into text columns.

Encoding (UTF-8, UTF-8 with BOM, else cp1252/latin-1), delimiter (`,` `;` tab) and the header
are sniffed from the bytes, never trusted from the extension or the descriptor. What differs
from the rules becomes a `FMT-*` finding and reading goes on wherever it can, so that the
schema checks still run on a cp1252 file.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from publisher.codes import make
from publisher.engine import Records
from publisher.findings import Finding, Location
from publisher.i18n import N_

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
    blank_rows: pl.DataFrame = field(default_factory=pl.DataFrame, repr=False)
    """The records left out of `frame` (every cell empty or spaces), with their line in `_row`:
    the Table Schema engine still sees them, as frictionless does."""
    cell_counts: pl.Series | None = field(default=None, repr=False)
    """How many cells each record has (header excluded), when some differ from the header's."""

    @property
    def row_count(self) -> int:
        return self.frame.height

    def records(self, names: dict[str, str]) -> Records:
        """Every record, blank ones included, its columns renamed by `names` (column → field)."""
        frame, rows = self.frame, self.row_numbers
        if self.blank_rows.height:
            every = pl.concat([frame.with_columns(rows.alias("_row")), self.blank_rows])
            every = every.sort("_row")
            frame, rows = every.drop("_row"), every["_row"]
        cells = self.cell_counts.gather(rows - 2) if self.cell_counts is not None else None
        return Records(frame.rename(names), rows, cells)


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
    if container is not None:  # one finding: nothing of a binary file is read as text
        return ReadResult(None, (make("FMT-01", where, detail=container, fix=_EXPORT_AS_CSV),))
    if fmt in ("json", "geojson"):
        return _read_json(raw, where)
    return _read_csv(raw, declared_delimiter, where)


_SIGNATURES = (
    (
        b"PK\x03\x04",
        N_(
            "Ce n'est pas un fichier texte (CSV ou JSON) : il ressemble à un classeur ou document "
            "compressé (XLSX, ODS ou DOCX), enregistré sous un nom en .csv ou .json. Son contenu "
            "ne peut être ni vérifié ni publié tel quel."
        ),
    ),
    (
        b"\xd0\xcf\x11\xe0",
        N_(
            "Ce n'est pas un fichier texte (CSV ou JSON) : il ressemble à un classeur ou document "
            "Microsoft Office ancien (XLS ou DOC), enregistré sous un nom en .csv ou .json. Son "
            "contenu ne peut être ni vérifié ni publié tel quel."
        ),
    ),
    (
        b"%PDF",
        N_(
            "Ce n'est pas un fichier texte (CSV ou JSON) : il ressemble à un document PDF, "
            "enregistré sous un nom en .csv ou .json. Son contenu ne peut être ni vérifié ni "
            "publié tel quel."
        ),
    ),
    (
        b"\x1f\x8b",
        N_(
            "Ce n'est pas un fichier texte (CSV ou JSON) : il ressemble à une archive compressée "
            "(gzip), enregistrée sous un nom en .csv ou .json. Son contenu ne peut être ni "
            "vérifié ni publié tel quel."
        ),
    ),
    (
        b"\x89PNG",
        N_(
            "Ce n'est pas un fichier texte (CSV ou JSON) : il ressemble à une image PNG, "
            "enregistrée sous un nom en .csv ou .json. Son contenu ne peut être ni vérifié ni "
            "publié tel quel."
        ),
    ),
    (
        b"\xff\xd8\xff",
        N_(
            "Ce n'est pas un fichier texte (CSV ou JSON) : il ressemble à une image JPEG, "
            "enregistrée sous un nom en .csv ou .json. Son contenu ne peut être ni vérifié ni "
            "publié tel quel."
        ),
    ),
    (
        b"GIF8",
        N_(
            "Ce n'est pas un fichier texte (CSV ou JSON) : il ressemble à une image GIF, "
            "enregistrée sous un nom en .csv ou .json. Son contenu ne peut être ni vérifié ni "
            "publié tel quel."
        ),
    ),
)
_BINARY = N_(
    "Ce n'est pas un fichier texte (CSV ou JSON) : il contient des octets binaires, comme un "
    "tableur, une image ou une archive enregistrés sous un nom en .csv ou .json. Son contenu ne "
    "peut être ni vérifié ni publié tel quel."
)
_EXPORT_AS_CSV = N_(
    "Ouvrez-le dans votre tableur et « Enregistrer sous » → CSV UTF-8 (une feuille par fichier, "
    "la première ligne pour les noms de colonnes)."
)
_SNIFFED = 8192
"""Bytes looked at to tell a binary file from a text one."""
_CONTROLS = bytes([*range(0x09), *range(0x0E, 0x20), 0x7F])
"""Bytes no text file holds (tab, line feed, vertical tab, form feed and carriage return
excepted)."""


def sniff_container(raw: bytes) -> str | None:
    """What a binary file really is, from its first bytes (never from its extension): the
    detail of its `FMT-01` finding (a catalog key), or None for a text file.

    A known signature names the format (PDF, XLSX…); otherwise a NUL byte, or more than one
    control byte in fifty, in the first `_SNIFFED` bytes mark a binary file. UTF-16 and
    UTF-32 text, with its byte order mark, is text: its NUL bytes are halves of characters."""
    for signature, detail in _SIGNATURES:
        if raw.startswith(signature):
            return detail
    if raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return None
    head = raw[:_SNIFFED]
    if b"\x00" in head:
        return _BINARY
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return _BINARY if controls > max(2, len(head) // 50) else None


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
    import charset_normalizer  # only for files that are not UTF-8

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
    text: str | None = None
    if _plain_utf8(raw):  # the common case: the bytes are read as they are, never copied
        data, encoding = raw, "utf-8"
        head = raw[:_HEAD].decode("utf-8", errors="ignore")
    else:
        text, encoding = decode(raw)
        if encoding not in ("utf-8", "utf-8-sig"):
            findings.append(make("FMT-ENCODING", where, encoding=_encoding_label(encoding)))
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        data, head = text.encode("utf-8"), text
    if not head or data.isspace():
        findings.append(make("FMT-EMPTY", where))
        return ReadResult(None, tuple(findings))
    delimiter = sniff_delimiter(head[: head.find("\n")] if "\n" in head else head)
    if declared_delimiter and declared_delimiter != delimiter:
        findings.append(
            make(
                "FMT-DELIMITER",
                where,
                found=_DELIMITER_NAMES[delimiter],
                declared=_DELIMITER_NAMES.get(declared_delimiter, declared_delimiter),
            )
        )
    header_record = csv.reader(_lines(head), delimiter=delimiter)
    header = tuple(next(header_record))  # a quoted label may span lines
    header_lines = header_record.line_num
    names = _unique_names(header)
    try:
        frame = _frame(data, delimiter, names)
        cell_counts = _cell_counts(data, delimiter, frame.height, len(header), header_lines)
    except pl.exceptions.PolarsError:
        text = data.decode("utf-8")
        line = _first_stray_quote(text.split("\n"), delimiter)
        at = f" à la ligne {line}" if line else ""
        findings.append(
            make(
                "FMT-01",
                replace(where, row=line),
                detail=f"Guillemet mal placé ou non refermé{at} : la suite du fichier ne peut "
                "pas être découpée en cellules de façon sûre ; elle est découpée au mieux, "
                "comme le ferait un tableur.",
                fix="Ouvrez le fichier dans un éditeur de texte à cette ligne et supprimez le "
                'guillemet isolé (ou doublez-le, "", s\'il fait partie du texte).',
            )
        )
        records = csv.reader(_lines(text), delimiter=delimiter)
        next(records, None)
        frame, cell_counts = _frame_of_records(records, names)
    del text
    blank_rows, row_numbers, frame = _set_blank_rows_apart(frame)
    if frame.height == 0:
        findings.append(make("FMT-HEADER-ONLY", where))
    table = Table(header, frame, data, encoding, delimiter, row_numbers, blank_rows, cell_counts)
    return ReadResult(table, tuple(findings))


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, one at a time, so the csv reader copies only what it reads."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _set_blank_rows_apart(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series, pl.DataFrame]:
    """(blank records with their line in `_row`, line of each other record, the others): a
    record is blank when every cell is empty or spaces. Only records whose first cell is blank
    are looked at in full."""
    row_numbers = pl.int_range(2, frame.height + 2, eager=True).alias("_row")
    if not frame.width:
        return pl.DataFrame(), row_numbers, frame
    first = pl.col(frame.columns[0])
    candidates = frame.with_columns(row_numbers).filter(
        first.is_null() | first.str.contains(r"^\s*$")
    )
    blank = pl.all_horizontal(
        pl.exclude("_row").is_null() | pl.exclude("_row").str.contains(r"^\s*$")
    )
    blank_rows = candidates.filter(blank)
    if blank_rows.is_empty():
        return blank_rows, row_numbers, frame
    keep = ~row_numbers.is_in(blank_rows["_row"].implode())
    return blank_rows, row_numbers.filter(keep), frame.filter(keep)


def _cell_counts(
    data: bytes, delimiter: str, records: int, width: int, header_lines: int
) -> pl.Series | None:
    """Cells per record, counted on each line with its quoted parts taken out (None when every
    record has the header's width), a slice of lines at a time. A quoted cell spanning lines
    makes lines and records differ: the C csv reader then counts them."""
    if b"\x00" in data:
        lines = pl.Series([data.decode("utf-8")]).str.split("\n").explode()
        lines = lines.slice(0, lines.len() - 1) if data.endswith(b"\n") else lines
    else:  # polars' reader cuts lines in parallel when no byte can be a separator
        lines = pl.read_csv(
            io.BytesIO(data),
            separator="\x00",
            quote_char=None,
            has_header=False,
            schema={"line": pl.String},
        )["line"].fill_null("")
    lines = lines.slice(header_lines)
    if lines.len() != records:
        reader = csv.reader(_lines(data.decode("utf-8")), delimiter=delimiter)
        next(reader, None)
        counts = pl.Series([len(record) for record in reader], dtype=pl.Int32)
        return None if counts.len() != records or (counts == width).all() else counts
    quoted = b'"' in data
    counts = pl.concat(
        [
            _counted(lines.slice(start, _SLICE), delimiter, quoted)
            for start in range(0, lines.len(), _SLICE)
        ]
        or [pl.Series(dtype=pl.Int32)]
    )
    return None if (counts == width).all() else counts


_SLICE = 200_000
_HEAD = 1 << 20
"""Bytes decoded to find the header and the delimiter when the rest needs no decoding."""


def _counted(lines: pl.Series, delimiter: str, quoted: bool) -> pl.Series:
    """Cells of each line: delimiters outside quotes, plus one (an empty line has none).
    Doubled quotes go first (an escaped quote or an empty quoted cell hides no delimiter), so
    the quote-pair pattern runs only where quotes remain."""
    unquoted = lines
    if quoted:
        unquoted = lines.str.replace_all('""', "", literal=True)
        still = unquoted.str.contains('"', literal=True)
        if still.any():
            unquoted = unquoted.scatter(
                still.arg_true(), unquoted.filter(still).str.replace_all('"[^"]*"', "")
            )
    counts = unquoted.str.count_matches(delimiter, literal=True).cast(pl.Int32) + 1
    return pl.select(pl.when(lines == "").then(0).otherwise(counts)).to_series().cast(pl.Int32)


def _plain_utf8(raw: bytes) -> bool:
    """UTF-8 without BOM nor carriage return, checked a slice at a time (no copy of the file
    as text)."""
    if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), _HEAD * 16):
            decoder.decode(view[start : start + _HEAD * 16])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _frame(data: bytes, delimiter: str, names: list[str]) -> pl.DataFrame:
    """Every column as text; short rows padded, long rows cut (the engine reports both)."""
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
    )


def _frame_of_records(
    records: Iterator[list[str]], names: list[str]
) -> tuple[pl.DataFrame, pl.Series]:
    """A file polars refuses (a stray quote) cut into cells by the C csv reader, as a
    spreadsheet and frictionless do, with the cell count of each record."""
    rows = list(records)
    width = len(names)
    cells = [[cell or None for cell in row[:width]] + [None] * (width - len(row)) for row in rows]
    frame = pl.DataFrame(cells, schema=dict.fromkeys(names, pl.String), orient="row")
    return frame, pl.Series([len(row) for row in rows], dtype=pl.Int32)


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
