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
from typing import BinaryIO

import polars as pl

from publisher.codes import make
from publisher.engine import Records
from publisher.findings import Finding, Location
from publisher.i18n import N_

DELIMITERS = (";", ",", "\t")
_DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}


@dataclass(frozen=True)
class Table:
    """A CSV file, or a batch of its records, decoded to UTF-8 text, every column kept as text.

    `data` is the file (or the batch, header included in the first one) re-encoded in UTF-8
    without BOM nor carriage return, so that every reader (polars, frictionless) sees the same
    characters; `frame` has one text column per header cell (renamed only when the header
    repeats a name); `row_numbers` the spreadsheet row of each record in the whole file.
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
    records_before: int = 0
    """Records of the file before this batch (a file read in batches, `read_batches`)."""

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
        cells = (
            self.cell_counts.gather(rows - 2 - self.records_before)
            if self.cell_counts is not None
            else None
        )
        return Records(frame.rename(names), rows, cells)


@dataclass(frozen=True)
class ReadResult:
    """What reading produced: a table when the file is tabular and readable, and findings."""

    table: Table | None
    findings: tuple[Finding, ...]
    json_document: object | None = None


BATCH_BYTES = 12 * 2**20
"""Bytes of a CSV file decoded, cut into cells and checked at a time: memory stays bounded
whatever the file's size (a batch holds about 57 000 rows of a subsidies file); why this
size: docs/engine.md, « Mémoire bornée »."""


@dataclass(frozen=True)
class ResourceFile:
    """A resource file to read batch by batch, as many times as needed (a sibling's keys)."""

    path: Path
    fmt: str
    declared_delimiter: str | None
    where: Location
    batch_bytes: int | None = BATCH_BYTES

    def batches(self) -> Iterator[ReadResult]:
        return read_batches(
            self.path, self.fmt, self.declared_delimiter, self.where, self.batch_bytes
        )


def read_resource(
    path: Path, fmt: str, declared_delimiter: str | None, where: Location
) -> ReadResult:
    """Read a whole resource file at once, by its declared format (csv, json, geojson): for
    what needs every row together (a corrected copy, a header to recognise)."""
    return next(read_batches(path, fmt, declared_delimiter, where, batch_bytes=None))


def read_batches(
    path: Path,
    fmt: str,
    declared_delimiter: str | None,
    where: Location,
    batch_bytes: int | None = BATCH_BYTES,
) -> Iterator[ReadResult]:
    """Read a resource file a batch of whole records at a time (`batch_bytes` of the file, or
    everything when None): each batch is a `ReadResult` whose table holds its rows, numbered
    as in the whole file. A JSON document, an unreadable or binary file is one batch."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_SNIFFED)
            container = sniff_container(head)
            if container is not None:  # one finding: nothing of a binary file is read as text
                yield ReadResult(
                    None, (make("FMT-01", where, detail=container, fix=_EXPORT_AS_CSV),)
                )
                return
            if fmt in ("json", "geojson"):
                yield _read_json(head + stream.read(), where)
                return
            blocks = _blocks(stream, head, batch_bytes)
            yield from _read_csv(blocks, declared_delimiter, where, path)
    except OSError as error:
        yield ReadResult(None, (_unreadable(where, f"lecture impossible ({error.strerror})"),))


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


def _blocks(stream: BinaryIO, head: bytes, batch_bytes: int | None) -> Iterator[bytes]:
    """The file's bytes in blocks of about `batch_bytes`, each ending where a record ends (a
    line feed outside quoted cells), so that every block is cut into cells on its own. A
    quote inside an unquoted cell (« écran 24" », not valid CSV, an FMT-01 finding) upsets
    the count of quotes: such a file may be cut elsewhere than at a record's end. UTF-16
    text (its line feeds are two bytes), lines ended by carriage returns alone (old Mac
    exports) and `batch_bytes=None` give one block."""
    lone_returns = b"\r" in head and LINE_FEED not in head
    if batch_bytes is None or lone_returns or head.startswith(_UTF16_BOMS):
        yield head + stream.read()
        return
    block = head + stream.read(batch_bytes)
    while True:  # the first block is yielded even when empty
        yield block + _rest_of_record(stream, block, _STRAY_QUOTE_LIMIT * batch_bytes)
        block = stream.read(batch_bytes)
        if not block:
            return


QUOTE, LINE_FEED = b'"', b"\n"
"""Bytes the records are cut at (named, as `.count` with a literal reads as a message to
translate)."""
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_STRAY_QUOTE_LIMIT = 4
"""A block grows at most this many times `batch_bytes` to close a quoted cell: an unclosed
quote must not hold the rest of the file in memory."""
_LINE_PIECE = 1 << 20
"""Bytes read at most at a time to end a block (a line may be very long)."""


def _line_feeds(path: Path, offset: int) -> int:
    """The line feeds in the first `offset` bytes of the file, read again a piece at a time:
    counting them in every block cost 2 % of a large file's check, for a figure that only a
    stray quote's finding needs (a block is cut after a line feed, and decoding keeps them)."""
    count = 0
    with path.open("rb") as stream:
        while offset > 0:
            piece = stream.read(min(offset, _LINE_PIECE))
            if not piece:
                break
            count += piece.count(LINE_FEED)
            offset -= len(piece)
    return count


def _rest_of_record(stream: BinaryIO, block: bytes, limit: int) -> bytes:
    """The lines that end the record `block` stops in: up to its line feed, and on while a
    quoted cell is open (an odd number of quotes so far: exact for any valid CSV, doubled
    quotes included), at most `limit` bytes."""
    rest: list[bytes] = []
    size = 0
    quotes = block.count(QUOTE)
    last = block[-1:]
    while (last not in (LINE_FEED, b"") or quotes % 2) and size <= limit:
        piece = stream.readline(_LINE_PIECE)
        if not piece:
            break
        rest.append(piece)
        quotes += piece.count(QUOTE)
        size += len(piece)
        last = piece[-1:]
    return b"".join(rest)


@dataclass
class _Decoder:
    """Each block as UTF-8 bytes without BOM nor carriage return. A file is UTF-8 until a
    block says otherwise; the legacy encoding then guessed is kept for the following blocks
    (a byte it does not define switches to Latin-1, as `decode` does). A file whose first
    blocks are valid UTF-8 and a later one is not mixes encodings: its UTF-8 blocks are read
    as UTF-8 (read at once, it would be read in the legacy encoding throughout)."""

    where: Location
    encoding: str = "utf-8"
    legacy: bool = False

    def __call__(self, block: bytes, first: bool) -> tuple[bytes, list[Finding]]:
        if not self.legacy and _plain_utf8(block):  # the common case: the bytes as they are
            return block, []
        findings = []
        if self.legacy:
            try:
                text = block.decode(self.encoding)
            except UnicodeDecodeError:
                self.encoding = "latin-1"
                text = block.decode(self.encoding)
        else:
            text, encoding = decode(block)
            if encoding not in ("utf-8", "utf-8-sig"):
                self.legacy, self.encoding = True, encoding
                findings.append(
                    make("FMT-ENCODING", self.where, encoding=_encoding_label(encoding))
                )
            elif first:
                self.encoding = encoding
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.encode("utf-8"), findings


def _read_csv(
    blocks: Iterator[bytes],
    declared_delimiter: str | None,
    where: Location,
    path: Path,
) -> Iterator[ReadResult]:
    """Each block of records as a batch: the first one also sniffs the delimiter and reads the
    header; rows are numbered as in the whole file. The file at `path` is read again only to
    place a stray quote's line (`_line_feeds`)."""
    decoder = _Decoder(where)
    shape: _Shape | None = None
    records = offset = filled = 0
    refused = False
    for block in blocks:
        first = shape is None
        data, findings = decoder(block, first)
        if shape is None:
            head = data[:_HEAD].decode("utf-8", errors="ignore")
            if not head or data.isspace():
                yield ReadResult(None, (*findings, make("FMT-EMPTY", where)))
                return
            shape = _Shape.sniff(head, declared_delimiter, where)
            findings.extend(shape.findings)
        header_lines = shape.header_lines if first else 0
        frame, cell_counts, stray, line = _cells(data, shape, header_lines)
        if line:
            line += _line_feeds(path, offset)
        offset += len(block)
        if stray and not refused:  # said once, at the first stray quote
            refused = True
            at = f" à la ligne {line}" if line else ""
            findings.append(
                make(
                    "FMT-01",
                    replace(where, row=line),
                    detail=f"Guillemet mal placé ou non refermé{at} : la suite du fichier ne "
                    "peut pas être découpée en cellules de façon sûre ; elle est découpée au "
                    "mieux, comme le ferait un tableur.",
                    fix="Ouvrez le fichier dans un éditeur de texte à cette ligne et supprimez "
                    'le guillemet isolé (ou doublez-le, "", s\'il fait partie du texte).',
                )
            )
        blank_rows, row_numbers, frame = _set_blank_rows_apart(frame, records)
        filled += frame.height
        table = Table(
            shape.header,
            frame,
            data,
            decoder.encoding,
            shape.delimiter,
            row_numbers,
            blank_rows,
            cell_counts,
            records,
        )
        records += frame.height + blank_rows.height
        yield ReadResult(table, tuple(findings))
    if shape is not None and not filled:  # known once every batch is read
        yield ReadResult(None, (make("FMT-HEADER-ONLY", where),))


@dataclass(frozen=True)
class _Shape:
    """What the head of a CSV file says of all of it: delimiter, header and its length."""

    delimiter: str
    header: tuple[str, ...]
    names: list[str]
    header_lines: int
    findings: tuple[Finding, ...]

    @classmethod
    def sniff(cls, head: str, declared_delimiter: str | None, where: Location) -> _Shape:
        delimiter = sniff_delimiter(head[: head.find("\n")] if "\n" in head else head)
        findings = []
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
        lines = header_record.line_num
        return cls(delimiter, header, _unique_names(header), lines, tuple(findings))


def _cells(
    data: bytes, shape: _Shape, header_lines: int
) -> tuple[pl.DataFrame, pl.Series | None, bool, int | None]:
    """The records of `data` (after its first `header_lines` lines) as text columns, the cell
    count of each (None when all have the header's width), whether polars refused the block
    (a stray quote: the C csv reader then cuts it, as a spreadsheet would) and the line of
    that quote in the block when it can be found."""
    try:
        frame, long_rows = _frame(data, shape.delimiter, shape.names, header_lines)
        counts = _cell_counts(data, shape.delimiter, frame, long_rows, header_lines)
        return frame, counts, False, None
    except pl.exceptions.PolarsError:
        text = data.decode("utf-8")
        line = _first_stray_quote(text.split("\n"), shape.delimiter)
        records = csv.reader(_lines(text), delimiter=shape.delimiter)
        if header_lines:
            next(records, None)
        frame, cell_counts = _frame_of_records(records, shape.names)
        return frame, cell_counts, True, line or None


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, one at a time, so the csv reader copies only what it reads."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _set_blank_rows_apart(
    frame: pl.DataFrame, records_before: int
) -> tuple[pl.DataFrame, pl.Series, pl.DataFrame]:
    """(blank records with their line in `_row`, line of each other record, the others): a
    record is blank when every cell is empty or spaces. Only records whose first cell is blank
    are looked at in full. Lines count from the header (line 1) of the whole file."""
    start = records_before + 2
    row_numbers = pl.int_range(start, start + frame.height, eager=True).alias("_row")
    if not frame.width:
        return pl.DataFrame(), row_numbers, frame
    first = frame.get_column(frame.columns[0])
    maybe_blank = first.is_null() | first.str.contains(r"^\s*$")
    if not maybe_blank.any():
        return pl.DataFrame(), row_numbers, frame
    candidates = frame.with_columns(row_numbers).filter(maybe_blank)
    blank = pl.all_horizontal(
        pl.exclude("_row").is_null() | pl.exclude("_row").str.contains(r"^\s*$")
    )
    blank_rows = candidates.filter(blank)
    if blank_rows.is_empty():
        return blank_rows, row_numbers, frame
    keep = ~row_numbers.is_in(blank_rows["_row"].implode())
    return blank_rows, row_numbers.filter(keep), frame.filter(keep)


def _cell_counts(
    data: bytes, delimiter: str, frame: pl.DataFrame, long_rows: bool, header_lines: int
) -> pl.Series | None:
    """Cells per record (None when every record has the header's width), counted on each line
    with its quoted parts taken out, a slice of lines at a time. Without longer records, only
    those whose last cell is empty can be shorter: only their lines are counted. A quoted cell
    spanning lines makes lines and records differ: the C csv reader then counts them."""
    records, width = frame.height, frame.width
    suspects = None
    if not long_rows:
        if not width:
            return None
        suspects = frame.get_column(frame.columns[-1]).is_null()
        if not suspects.any():
            return None
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
        if header_lines:
            next(reader, None)
        counts = pl.Series([len(record) for record in reader], dtype=pl.Int32)
        return None if counts.len() != records or (counts == width).all() else counts
    quoted = b'"' in data
    if suspects is None:
        counts = _counted_by_slices(lines, delimiter, quoted)
    else:
        counts = pl.repeat(width, records, dtype=pl.Int32, eager=True).scatter(
            suspects.arg_true(), _counted_by_slices(lines.filter(suspects), delimiter, quoted)
        )
    return None if (counts == width).all() else counts


def _counted_by_slices(lines: pl.Series, delimiter: str, quoted: bool) -> pl.Series:
    return pl.concat(
        [
            _counted(lines.slice(start, _SLICE), delimiter, quoted)
            for start in range(0, lines.len(), _SLICE)
        ]
        or [pl.Series(dtype=pl.Int32)]
    )


_SLICE = 200_000
_HEAD = 1 << 20
"""Bytes decoded to find the header and the delimiter when the rest needs no decoding."""
_UTF8_SLICE = 1 << 20
"""Bytes decoded at a time to tell whether a block is UTF-8 (the text made is dropped at once)."""


def _counted(lines: pl.Series, delimiter: str, quoted: bool) -> pl.Series:
    """Cells of each line: delimiters outside quotes, plus one (an empty line has none). Only
    lines with a quote are rewritten: doubled quotes go first (an escaped quote or an empty
    quoted cell hides no delimiter), then each quoted part."""
    counts = lines.str.count_matches(delimiter, literal=True).cast(pl.Int32) + 1
    if quoted:
        with_quotes = lines.str.contains('"', literal=True)
        if with_quotes.any():
            unquoted = (
                lines.filter(with_quotes)
                .str.replace_all('""', "", literal=True)
                .str.replace_all('"[^"]*"', "")
            )
            recounted = unquoted.str.count_matches(delimiter, literal=True).cast(pl.Int32) + 1
            counts = counts.scatter(with_quotes.arg_true(), recounted)
    return pl.select(pl.when(lines == "").then(0).otherwise(counts)).to_series().cast(pl.Int32)


def _plain_utf8(raw: bytes) -> bool:
    """UTF-8 without BOM nor carriage return, checked a slice at a time (no copy of the file
    as text)."""
    if raw.startswith(b"\xef\xbb\xbf") or b"\r" in raw:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), _UTF8_SLICE):
            decoder.decode(view[start : start + _UTF8_SLICE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _frame(
    data: bytes, delimiter: str, names: list[str], header_lines: int
) -> tuple[pl.DataFrame, bool]:
    """Every column as text, the header's lines skipped, and whether some record may have
    more cells than the header: read strictly first; when polars refuses that, long rows are
    cut (short ones are always padded), the engine reporting both."""

    def read(cut_long_rows: bool) -> pl.DataFrame:
        return pl.read_csv(
            io.BytesIO(data),
            separator=delimiter,
            has_header=False,
            skip_lines=header_lines,
            schema=dict.fromkeys(names, pl.String),
            truncate_ragged_lines=cut_long_rows,
            extra_columns="ignore" if cut_long_rows else "raise",
            missing_columns="insert",
            raise_if_empty=False,
        )

    try:
        return read(cut_long_rows=False), False
    except pl.exceptions.PolarsError:  # a longer first record is a schema error to polars
        return read(cut_long_rows=True), True


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
