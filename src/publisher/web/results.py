"""Results of checked files, kept in memory only, briefly, for the browser that sent them.

The uploaded file is deleted before its response leaves; what the result page, the JSON
report and the corrected copy need is computed in that same request and kept here, keyed by
a random token, for `LIFETIME` seconds at most (or until the officer clicks « Oublier »), and
only ever handed to the browser whose CSRF cookie sent the file. Nothing of it is written to
disk; at most `CAPACITY` results are kept, the oldest going first.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from publisher.fix import FixResult
from publisher.validation import Validation
from publisher.web.detect import Detection

LIFETIME = 15 * 60
CAPACITY = 32


@dataclass(frozen=True)
class Examination:
    """What checking one uploaded file found, and what can be downloaded from it."""

    shown_name: str
    size: int
    validation: Validation
    detection: Detection | None
    fixed: FixResult | None
    fix_refusal: str | None


@dataclass(frozen=True)
class _Entry:
    owner: str
    expires: float
    examination: Examination


class ResultStore:
    """Token → examination, per owner, with expiry; safe across the server's threads."""

    def __init__(self, lifetime: float = LIFETIME, capacity: int = CAPACITY):
        self.lifetime = lifetime
        self.capacity = capacity
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, owner: str, examination: Examination) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._drop_expired()
            self._entries[token] = _Entry(owner, time.monotonic() + self.lifetime, examination)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return token

    def get(self, owner: str, token: str) -> Examination | None:
        with self._lock:
            self._drop_expired()
            entry = self._entries.get(token)
        if entry is None or not _same(entry.owner, owner):
            return None
        return entry.examination

    def forget(self, owner: str, token: str) -> None:
        with self._lock:
            entry = self._entries.get(token)
            if entry is not None and _same(entry.owner, owner):
                del self._entries[token]

    def __len__(self) -> int:
        with self._lock:
            self._drop_expired()
            return len(self._entries)

    def _drop_expired(self) -> None:
        now = time.monotonic()
        for token in [t for t, entry in self._entries.items() if entry.expires <= now]:
            del self._entries[token]


def _same(owner: str, other: str) -> bool:
    """Constant-time comparison of two browsers' tokens, whatever characters a cookie holds
    (`compare_digest` refuses non-ASCII text, so their UTF-8 bytes are compared)."""
    return secrets.compare_digest(owner.encode(), other.encode())
