"""One SQLite connection per transaction, for the client's state and the sandbox's store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def transaction(
    database: Path | str, *, write: bool = True, foreign_keys: bool = False
) -> Iterator[sqlite3.Connection]:
    """A connection in one transaction: `BEGIN IMMEDIATE` serialises the writers (threads and
    processes alike), a failure rolls everything back, and the connection is always closed."""
    conn = sqlite3.connect(database, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        if foreign_keys:
            conn.execute("PRAGMA foreign_keys = ON")
        if not write:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.close()
