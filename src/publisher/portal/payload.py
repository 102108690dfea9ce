"""What the rest of `publisher` hands to the portal layer: one dataset, ready to push.

Values are plain (`"fr"`, `["budget"]`); wrapping them as `{"value": …}` is the client's
job, so that nothing outside `publisher.portal` depends on the Automation API's shapes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HASH_LENGTH = 12


def upload_name(filename: str, data: bytes) -> str:
    """Name a file after its content, so that the portal's file uid tells whether it changed.

    `subventions.csv` with bytes hashing to `3f5a…` becomes `subventions.3f5a0c1d2e4b.csv`:
    comparing the uid a resource points to with this name needs no download.
    """
    path = Path(filename)
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    return f"{path.stem}.{digest}{path.suffix}"


def same_upload(file_uid: str | None, expected: str) -> bool:
    """Tell whether a portal file uid holds the content named `expected`.

    The portal may add a suffix when a name is already taken (`….3f5a0c1d2e4b-1.csv`): the
    stem with its hash and the extension are what identify the content.
    """
    if file_uid is None:
        return False
    if file_uid == expected:
        return True
    path = Path(expected)
    return file_uid.startswith(path.stem) and file_uid.endswith(path.suffix)


@dataclass(frozen=True)
class ResourceFile:
    """One local file that becomes one resource of the dataset.

    `extractor` is the resource `type` on the portal (`csvfile`, `jsonfile`, `geojsonfile`)
    and `params` its extractor parameters (`separator`, `encoding`, `headers_first_row`, …).
    """

    path: Path
    title: str
    extractor: str
    params: dict[str, Any] = field(default_factory=dict)

    def upload_name(self) -> str:
        """Content-addressed name of the file as it is now on disk."""
        return upload_name(self.path.name, self.path.read_bytes())


@dataclass(frozen=True)
class DatasetPayload:
    """A dataset as the portal should show it once published.

    `metadata` maps template → field → plain value; only the fields listed here are managed,
    anything else set on the portal by hand is left alone.
    """

    dataset_id: str
    commune: str
    metadata: dict[str, dict[str, Any]]
    files: tuple[ResourceFile, ...]
