"""Receive an officer's file: streamed to disk under a name the server chooses, size-capped.

The multipart body is parsed as it arrives (python-multipart's streaming parser), so a file
never sits whole in memory and never lands anywhere but the request's own temporary folder.
The size limit is enforced on the declared length first (nothing is written at all), then on
every byte received, whatever part it belongs to (the partial file goes with its folder); the
number of parts is capped too, and after a refusal the rest of the body is read only up to a
bound, then the connection is dropped. The form's CSRF field must come
before the file: a forged request is refused before a byte of its file is written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO

from python_multipart.exceptions import ParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from publisher.i18n import N_

FILE_FIELD = "fichier"
ACCEPTED_SUFFIXES = (".csv", ".json", ".geojson")
FORM_OVERHEAD = 64 * 1024
"""Room for the form's other fields and the multipart boundaries around the file."""
MAX_FIELD_SIZE = 4 * 1024
MAX_PARTS = 16
"""The page's form has four parts (CSRF token, schema, action, file)."""
SHOWN_NAME_LENGTH = 120
_UNITS = {"": 1, "o": 1, "b": 1, "ko": 1000, "kb": 1000, "mo": 1000**2, "mb": 1000**2}
_UNITS |= {"go": 1000**3, "gb": 1000**3}
_SIZE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-zA-Z]*)\s*$")


class UploadRefused(Exception):
    """The request cannot be processed; `message` is a French catalog key, filled with
    `params` once translated, and `status` the HTTP answer."""

    def __init__(self, message: str, status: int, **params: str):
        super().__init__(message)
        self.message = message
        self.status = status
        self.params = params


@dataclass
class Upload:
    """The form's fields and, if one was sent, the file saved in the request's folder."""

    fields: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    shown_name: str = ""
    size: int = 0


def parse_size(text: str) -> int:
    """`50Mo`, `500 ko`, `1Go`, `2000000` → bytes (French or English units, powers of 1000)."""
    match = _SIZE.match(text)
    unit = match.group(2).lower() if match else ""
    if match is None or unit not in _UNITS:
        raise ValueError(text)
    return int(float(match.group(1).replace(",", ".")) * _UNITS[unit])


def shown_size(size: int) -> str:
    """`50 Mo`: the limit as the officer reads it in the message."""
    for unit, factor in (("Go", 1000**3), ("Mo", 1000**2), ("ko", 1000)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}".replace(".", ",")
    return f"{size} octets"


@contextmanager
def request_folder(root: Path | None) -> Iterator[Path]:
    """A fresh private folder for one request, removed with everything in it at the end."""
    folder = Path(tempfile.mkdtemp(prefix="publisher-envoi-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def shown_name(filename: str) -> str:
    """The name the officer's browser gave, reduced to a bare file name: only ever displayed,
    never used to open anything."""
    name = PureWindowsPath(PurePosixPath(filename).name).name
    name = "".join(char for char in name if char.isprintable()).strip()
    return name[:SHOWN_NAME_LENGTH] or "fichier"


async def receive_upload(
    content_type: str,
    content_length: str | None,
    body: AsyncIterator[bytes],
    folder: Path,
    limit: int,
    token_is_valid: Callable[[str], bool],
) -> Upload:
    """Parse a `multipart/form-data` body into `folder`; raise `UploadRefused` on a bad form,
    a missing or wrong CSRF field (`csrf`, checked by `token_is_valid`), an unsupported file
    type or a file over `limit` bytes."""
    kind, params = parse_options_header(content_type)
    if kind != b"multipart/form-data" or b"boundary" not in params:
        raise _unreadable()
    receiver = _Receiver(folder, limit, token_is_valid)
    parser = MultipartParser(params[b"boundary"], receiver.callbacks())
    allowed = limit + FORM_OVERHEAD
    received = 0
    try:
        declared = int(content_length) if content_length and content_length.isdigit() else 0
        if declared > allowed:
            raise _too_large(limit)
        async for chunk in body:
            received += len(chunk)
            if received > allowed:
                raise _too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except ParseError:
        raise _unreadable() from None
    except UploadRefused:
        await _discard(body, allowed)
        raise
    finally:
        receiver.close()
    if "csrf" not in receiver.upload.fields or not token_is_valid(receiver.upload.fields["csrf"]):
        raise forged()
    return receiver.upload


async def _discard(body: AsyncIterator[bytes], budget: int) -> None:
    """Read on without keeping anything, so that a browser still sending sees the answer, but
    no more than `budget` bytes: beyond, the rest is never read and the connection is dropped."""
    async for chunk in body:
        budget -= len(chunk)
        if budget < 0:
            return


def _unreadable() -> UploadRefused:
    return UploadRefused(N_("Le formulaire envoyé n'est pas lisible."), 400)


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        N_(
            "Le fichier dépasse la taille maximale acceptée ({limit}) : il n'a pas été "
            "contrôlé et rien n'en a été gardé. Déposez un extrait plus petit, ou demandez à "
            "la personne qui a lancé publisher serve d'augmenter --taille-max."
        ),
        413,
        limit=shown_size(limit),
    )


def forged() -> UploadRefused:
    """The refusal of a POST without the CSRF token of this server's pages."""
    return UploadRefused(
        N_(
            "Ce formulaire n'a pas été envoyé depuis cette page, ou il a expiré : rien n'a "
            "été traité. Rechargez la page et envoyez-le de nouveau."
        ),
        403,
    )


class _Receiver:
    """The parser's callbacks: header lines of each part, then its bytes to a field or the
    file."""

    def __init__(self, folder: Path, limit: int, token_is_valid: Callable[[str], bool]):
        self.folder = folder
        self.limit = limit
        self.token_is_valid = token_is_valid
        self.upload = Upload()
        self.headers: dict[bytes, bytes] = {}
        self.header_field = b""
        self.header_value = b""
        self.field_name: str | None = None
        self.field_value = bytearray()
        self.stream: BinaryIO | None = None
        self.parts = 0

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field_data,
            "on_header_value": self.header_value_data,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise _unreadable()
        self.headers, self.field_name, self.field_value = {}, None, bytearray()

    def header_field_data(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]
        if len(self.header_field) > MAX_FIELD_SIZE:
            raise _unreadable()

    def header_value_data(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]
        if len(self.header_field) + len(self.header_value) > MAX_FIELD_SIZE:
            raise _unreadable()

    def header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field, self.header_value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None or name != FILE_FIELD:
            self.field_name = name
            return
        if not filename:  # the form was sent without choosing a file
            return
        if not self.token_is_valid(self.upload.fields.get("csrf", "")):
            raise forged()
        if self.upload.path is not None:
            raise UploadRefused(
                N_("Envoyez un seul fichier à la fois : rien n'a été contrôlé ni gardé."), 400
            )
        shown = shown_name(filename.decode("utf-8", "replace"))
        suffix = PurePosixPath(shown).suffix.lower()
        if suffix not in ACCEPTED_SUFFIXES:
            raise UploadRefused(
                N_(
                    "Le fichier « {name} » n'est ni un CSV ni un JSON : exportez-le en CSV "
                    "(UTF-8) depuis votre tableur, puis déposez ce fichier-là."
                ),
                415,
                name=shown,
            )
        self.upload.path = self.folder / f"envoi{suffix}"
        self.upload.shown_name = shown
        self.stream = self.upload.path.open("xb")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.stream is not None:
            self.upload.size += end - start
            if self.upload.size > self.limit:
                raise _too_large(self.limit)
            self.stream.write(data[start:end])
        elif self.field_name is not None:
            self.field_value += data[start:end]
            if len(self.field_value) > MAX_FIELD_SIZE:
                raise _unreadable()

    def part_end(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        elif self.field_name is not None:
            self.upload.fields[self.field_name] = self.field_value.decode("utf-8", "replace")

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
