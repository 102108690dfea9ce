"""Fingerprints of repository files: the audit's evidence and the DCAT checksums agree."""

from __future__ import annotations

import hashlib
from pathlib import Path


class FileHashes:
    """sha256 of repository files (paths relative to the root), each file read once."""

    def __init__(self, root: Path):
        self.root = root
        self.known: dict[str, str] = {}

    def sha256(self, path: str) -> str:
        if path not in self.known:
            digest = hashlib.sha256()
            with (self.root / path).open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            self.known[path] = digest.hexdigest()
        return self.known[path]
