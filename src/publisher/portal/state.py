"""What the last runs verified on one portal, and what they were doing when interrupted.

One SQLite file per portal (under `.publisher/state/`), two tables:

- `verified`: per dataset_id, the portal uid, the local content and metadata hashes that were
  published and read back, the portal's `updated_at` at that moment and the record count.
  It is a cache, never the truth: each run first lists the portal and drops every entry whose
  uid is gone or different, and an entry only lets a dataset skip its checks while the portal
  still shows the same `updated_at`. A lost or unreadable file is rebuilt from the portal.
- `journal`: one line per dataset a run starts writing to, closed when it ends. A line still
  open at the next start means that run was interrupted (Ctrl+C, crash, `kill -9`): those
  datasets are compared in full with the portal and finished.
- `pushed_records`: the hash of every realtime record the portal acknowledged, so that
  pushing the same records again sends nothing, whatever the batches.

Each change is one SQLite transaction, so a run killed at any instant leaves either the old
or the new line, never half of one. No API key is ever written here.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from publisher.portal.sqlite import transaction

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS verified (
    dataset_id TEXT PRIMARY KEY,
    uid TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    metadata_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    records INTEGER NOT NULL,
    verified_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run TEXT NOT NULL,
    dataset_id TEXT NOT NULL,
    action TEXT NOT NULL,
    started_at REAL NOT NULL,
    ended_at REAL,
    outcome TEXT
);
CREATE INDEX IF NOT EXISTS journal_open ON journal (ended_at);
CREATE TABLE IF NOT EXISTS pushed_records (
    dataset_id TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    pushed_at REAL NOT NULL,
    PRIMARY KEY (dataset_id, record_hash)
);
"""


@dataclass(frozen=True)
class Verified:
    """A dataset as it was last published and read back successfully."""

    dataset_id: str
    uid: str
    content_hash: str
    metadata_hash: str
    updated_at: str
    records: int


class PortalState:
    """The state file of one portal; safe to use from several threads."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open()
        except sqlite3.DatabaseError:
            logger.warning("état local illisible (%s) : reconstruit depuis le portail", path.name)
            path.unlink(missing_ok=True)
            self._open()

    def _open(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)
        finally:
            conn.close()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock, transaction(self.path) as conn:
            yield conn

    # Verified datasets ---------------------------------------------------------------

    def verified(self) -> dict[str, Verified]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT dataset_id, uid, content_hash, metadata_hash, updated_at, records "
                "FROM verified"
            ).fetchall()
        return {row[0]: Verified(*row) for row in rows}

    def reconcile(self, portal_uids: Mapping[str, str], considered: Iterable[str]) -> int:
        """Drop the entries of `considered` datasets that the portal listing contradicts
        (dataset gone, or another uid); return how many were dropped."""
        entries = self.verified()
        stale = [
            dataset_id
            for dataset_id in set(considered) & set(entries)
            if portal_uids.get(dataset_id) != entries[dataset_id].uid
        ]
        self.forget(stale)
        return len(stale)

    def forget(self, dataset_ids: Iterable[str]) -> None:
        with self._connect() as conn:
            conn.executemany(
                "DELETE FROM verified WHERE dataset_id = ?", ((d,) for d in dataset_ids)
            )

    # Journal -------------------------------------------------------------------------

    def interrupted(self) -> list[str]:
        """Datasets an earlier run started writing to and never finished."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT DISTINCT dataset_id FROM journal WHERE ended_at IS NULL ORDER BY 1"
            ).fetchall()
        return [row[0] for row in rows]

    def begin(self, run: str, dataset_id: str, action: str) -> None:
        """Before the first write: the dataset is no longer known to be verified."""
        with self._connect() as conn:
            conn.execute("DELETE FROM verified WHERE dataset_id = ?", (dataset_id,))
            conn.execute(
                "INSERT INTO journal (run, dataset_id, action, started_at) VALUES (?, ?, ?, ?)",
                (run, dataset_id, action, time.time()),
            )

    def end(self, dataset_id: str, outcome: str, verified: Verified | None) -> None:
        """Close every open line of the dataset (this run's and interrupted ones) and, when
        the publication was read back correctly, remember what was verified."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE journal SET ended_at = ?, outcome = ? "
                "WHERE dataset_id = ? AND ended_at IS NULL",
                (time.time(), outcome, dataset_id),
            )
            if verified is not None:
                conn.execute(
                    "INSERT OR REPLACE INTO verified VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        verified.dataset_id,
                        verified.uid,
                        verified.content_hash,
                        verified.metadata_hash,
                        verified.updated_at,
                        verified.records,
                        time.time(),
                    ),
                )

    def pushed(self, dataset_id: str) -> set[str]:
        """Hashes of the records of `dataset_id` the portal already acknowledged."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT record_hash FROM pushed_records WHERE dataset_id = ?", (dataset_id,)
            ).fetchall()
        return {row[0] for row in rows}

    def mark_pushed(self, dataset_id: str, record_hashes: Iterable[str]) -> None:
        now = time.time()
        with self._connect() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO pushed_records VALUES (?, ?, ?)",
                ((dataset_id, record_hash, now) for record_hash in record_hashes),
            )

    def remember(self, verified: Verified) -> None:
        """Record a dataset found up to date and read back correctly (no write was needed)."""
        self.end(verified.dataset_id, "vérifié", verified)
