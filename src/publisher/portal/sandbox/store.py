"""State of the sandbox portal: one SQLite file, uploaded files beside it.

Every operation opens its own connection and runs in one transaction (writes take the lock
at once with `BEGIN IMMEDIATE`), so concurrent requests and several processes sharing the
state directory see one consistent portal.

Publication jobs follow the clock instead of a worker: ordering a job stores its phases
(`queued` then `processing` or `deleting`) with their start times, the status read at any
moment is the phase reached, and the first operation after the end of the job, in any
process, carries out its effect (records extracted and swapped in, or removed) in a write
transaction. Nothing is lost when a server stops in the middle of a job.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import string
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from publisher.portal.content import field_name, stable_hash
from publisher.portal.sandbox.records import Extracted, ExtractionError, extract
from publisher.portal.sandbox.settings import SandboxSettings
from publisher.portal.sqlite import transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_hash TEXT PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    permissions TEXT NOT NULL,
    commune TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS datasets (
    uid TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    is_restricted INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    default_security TEXT NOT NULL,
    is_published INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'idle',
    previous TEXT,
    since TEXT NOT NULL,
    message TEXT,
    status_params TEXT NOT NULL DEFAULT '{}',
    job TEXT,
    job_due REAL
);
CREATE INDEX IF NOT EXISTS datasets_job_due ON datasets (job_due);
CREATE TABLE IF NOT EXISTS files (
    dataset_uid TEXT NOT NULL REFERENCES datasets (uid) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    mimetype TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (dataset_uid, uid)
);
CREATE TABLE IF NOT EXISTS resources (
    uid TEXT PRIMARY KEY,
    dataset_uid TEXT NOT NULL REFERENCES datasets (uid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
    dataset_uid TEXT PRIMARY KEY REFERENCES datasets (uid) ON DELETE CASCADE,
    dataset_id TEXT NOT NULL UNIQUE,
    is_restricted INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    fields TEXT NOT NULL,
    records_count INTEGER NOT NULL,
    data_processed TEXT NOT NULL,
    metadata_processed TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    dataset_uid TEXT NOT NULL REFERENCES snapshots (dataset_uid) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (dataset_uid, position)
);
CREATE TABLE IF NOT EXISTS pushed (
    dataset_uid TEXT NOT NULL REFERENCES snapshots (dataset_uid) ON DELETE CASCADE,
    record_id TEXT NOT NULL,
    resource_uid TEXT NOT NULL,
    record TEXT NOT NULL,
    pushed_at REAL NOT NULL,
    PRIMARY KEY (dataset_uid, record_id)
);
"""

PERMISSIONS = (
    "create_dataset",
    "edit_dataset",
    "publish_dataset",
    "manage_dataset",
    "explore_restricted_dataset",
)
READY = ("idle", "error", "limit_reached")
RUNNING = ("queued", "processing")
LANGUAGES = frozenset({"en", "fr", "nl", "pt", "it", "ar", "de", "es", "ca", "eu", "sv"})
REQUIRED_DEFAULT = ("title", "modified", "language")
DATASOURCE_TYPES = frozenset(
    {
        "http",
        "ftp",
        "sharepoint",
        "google_drive",
        "federated",
        "uploaded_file",
        "amazon_s3",
        "azure_blob_storage",
        "realtime",
    }
)
DATASET_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,254}")
FIELD_TYPES: dict[tuple[str, str], str] = {
    ("default", "title"): "text",
    ("default", "description"): "text",
    ("default", "publisher"): "text",
    ("default", "references"): "text",
    ("default", "timezone"): "text",
    ("default", "keyword"): "list",
    ("default", "geographic_reference"): "list",
    ("default", "attributions"): "list",
    ("default", "modified"): "datetime",
    ("default", "language"): "language",
    ("default", "modified_updates_on_metadata_change"): "bool",
    ("default", "modified_updates_on_data_change"): "bool",
    ("default", "geographic_reference_auto"): "bool",
    ("internal", "license_id"): "text",
    ("internal", "theme_id"): "list",
    ("internal", "draft"): "bool",
}
DEFAULT_SECURITY = {
    "is_data_visible": True,
    "visible_fields": None,
    "filter_query": "",
    "api_calls_quota": None,
}
UID_ALPHABET = string.ascii_lowercase + string.digits

JSON = dict[str, Any]


class ApiError(Exception):
    """An error answer in the Automation API shape: `error_code`, `message`, `detail`."""

    def __init__(self, status: int, code: str, message: str, detail: JSON | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail

    def body(self) -> JSON:
        body: JSON = {"error_code": self.code, "message": self.message}
        if self.detail is not None:
            body["detail"] = self.detail
        return body


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} introuvable.")


def invalid(field: str, message: str) -> ApiError:
    return ApiError(400, "validation_error", "Données invalides.", {field: [message]})


@dataclass(frozen=True)
class Caller:
    """The owner of the API key of a request: its permissions and optional commune scope."""

    key_uid: str
    permissions: frozenset[str]
    commune: str | None

    def require(self, permission: str, dataset_id: str | None = None) -> None:
        """403 unless the key holds `permission` and, when scoped, owns `dataset_id`."""
        if permission not in self.permissions:
            raise ApiError(
                403,
                "permission_denied",
                f"La clé d'API n'a pas la permission « {permission} ».",
            )
        if dataset_id is not None and not self.owns(dataset_id):
            raise ApiError(
                403,
                "permission_denied",
                f"Cette clé d'API est réservée aux jeux de la commune « {self.commune} » "
                f"(identifiants commençant par « {self.commune}- »).",
            )

    def owns(self, dataset_id: str) -> bool:
        return self.commune is None or dataset_id.startswith(f"{self.commune}-")


def iso(timestamp: float) -> str:
    """UTC timestamp with microseconds, so that two transitions never share a `since`."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def hash_key(key: str) -> str:
    """Keys are stored hashed: the database alone does not give access to the portal."""
    return hashlib.sha256(key.encode()).hexdigest()


def _new_uid(prefix: str) -> str:
    return prefix + "".join(secrets.choice(UID_ALPHABET) for _ in range(6))


def _check_value(template: str, field: str, value: Any) -> str | None:
    """Why `value` does not suit the field, or None."""
    kind = FIELD_TYPES.get((template, field))
    if kind == "text" and not isinstance(value, str):
        return "Une chaîne de caractères est attendue."
    if kind == "list" and not (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        return "Une liste de chaînes de caractères est attendue."
    if kind == "bool" and not isinstance(value, bool):
        return "Un booléen est attendu."
    if kind == "language" and value not in LANGUAGES:
        return f"Langue inconnue, valeurs possibles : {', '.join(sorted(LANGUAGES))}."
    if kind == "datetime":
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return "Une date et heure ISO 8601 est attendue."
    if field in REQUIRED_DEFAULT and template == "default" and value in ("", None):
        return "Ce champ est obligatoire."
    return None


def _unwrap_field(template: str, field: str, wrapped: Any) -> JSON:
    """Check one `{"value": …}` object and keep only what the sandbox stores."""
    if not isinstance(wrapped, dict) or "value" not in wrapped:
        raise invalid(f"{template}.{field}", 'Un objet {"value": …} est attendu.')
    problem = _check_value(template, field, wrapped["value"])
    if problem:
        raise invalid(f"{template}.{field}", problem)
    return {"value": wrapped["value"]}


class Store:
    """All reads and writes of the sandbox; methods raise `ApiError` for the HTTP layer."""

    def __init__(self, settings: SandboxSettings):
        self.settings = settings
        settings.files_dir.mkdir(parents=True, exist_ok=True)
        with self._connect(write=False) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)

    @contextmanager
    def _connect(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        with transaction(self.settings.database, write=write, foreign_keys=True) as conn:
            yield conn

    # API keys --------------------------------------------------------------------------

    def add_api_key(
        self, key: str, label: str, permissions: tuple[str, ...], commune: str | None = None
    ) -> str:
        """Register a key and return its uid; a key already known gets `permissions`, so that
        a state directory made by an older sandbox gives its keys what they need now."""
        unknown = set(permissions) - set(PERMISSIONS)
        if unknown:
            raise ValueError(f"permissions inconnues : {', '.join(sorted(unknown))}")
        with self._connect(write=True) as conn:
            row = conn.execute(
                "SELECT uid FROM api_keys WHERE key_hash = ?", (hash_key(key),)
            ).fetchone()
            if row:
                conn.execute(
                    "UPDATE api_keys SET permissions = ? WHERE key_hash = ?",
                    (json.dumps(sorted(permissions)), hash_key(key)),
                )
                return str(row["uid"])
            uid = _new_uid("ak_")
            conn.execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, NULL)",
                (
                    hash_key(key),
                    uid,
                    label,
                    json.dumps(sorted(permissions)),
                    commune,
                    iso(time.time()),
                ),
            )
            return uid

    def authenticate(self, key: str) -> Caller | None:
        with self._connect(write=False) as conn:
            row = conn.execute(
                "SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
                (hash_key(key),),
            ).fetchone()
        if row is None:
            return None
        return Caller(row["uid"], frozenset(json.loads(row["permissions"])), row["commune"])

    # Datasets --------------------------------------------------------------------------

    def list_datasets(
        self, caller: Caller, dataset_id: str | None, limit: int, offset: int
    ) -> tuple[int, list[JSON]]:
        caller.require("edit_dataset")
        self._settle()
        with self._connect(write=False) as conn:
            rows = conn.execute(
                "SELECT * FROM datasets WHERE ? IS NULL OR dataset_id = ? ORDER BY created_at, uid",
                (dataset_id, dataset_id),
            ).fetchall()
        visible = [self._dataset_json(row) for row in rows if caller.owns(row["dataset_id"])]
        return len(visible), visible[offset : offset + limit]

    def create_dataset(self, caller: Caller, body: JSON) -> JSON:
        metadata = self._check_metadata(body.get("metadata"))
        dataset_id = body.get("dataset_id")
        if dataset_id is None:
            dataset_id = field_name(metadata["default"]["title"]["value"]).replace("_", "-")
        caller.require("create_dataset", str(dataset_id))
        is_restricted = body.get("is_restricted", True)
        if not isinstance(is_restricted, bool):
            raise invalid("is_restricted", "Un booléen est attendu.")
        security = body.get("default_security") or DEFAULT_SECURITY
        now = iso(time.time())
        with self._connect(write=True) as conn:
            self._check_dataset_id(conn, dataset_id, None)
            uid = self._free_uid(conn, "da_", "datasets")
            conn.execute(
                "INSERT INTO datasets (uid, dataset_id, created_at, updated_at, is_restricted, "
                "metadata, default_security, since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    uid,
                    dataset_id,
                    now,
                    now,
                    int(is_restricted),
                    json.dumps(metadata),
                    json.dumps(security),
                    now,
                ),
            )
            return self._dataset_json(self._row(conn, uid))

    def get_dataset(self, caller: Caller, uid: str) -> JSON:
        self._settle()
        with self._connect(write=False) as conn:
            return self._dataset_json(self._owned(conn, caller, uid, "edit_dataset"))

    def put_dataset(self, caller: Caller, uid: str, body: JSON) -> JSON:
        metadata = self._check_metadata(body.get("metadata"))
        self._settle()
        with self._connect(write=True) as conn:
            row = self._owned(conn, caller, uid, "edit_dataset")
            dataset_id = body.get("dataset_id", row["dataset_id"])
            if dataset_id != row["dataset_id"]:
                caller.require("edit_dataset", str(dataset_id))
                if row["is_published"]:
                    raise invalid("dataset_id", "Non modifiable tant que le jeu est publié.")
                self._check_dataset_id(conn, dataset_id, uid)
            is_restricted = body.get("is_restricted", bool(row["is_restricted"]))
            if not isinstance(is_restricted, bool):
                raise invalid("is_restricted", "Un booléen est attendu.")
            security = body.get("default_security") or json.loads(row["default_security"])
            if is_restricted != bool(row["is_restricted"]) or security != json.loads(
                row["default_security"]
            ):
                caller.require("manage_dataset")
            conn.execute(
                "UPDATE datasets SET dataset_id = ?, is_restricted = ?, metadata = ?, "
                "default_security = ?, updated_at = ? WHERE uid = ?",
                (
                    dataset_id,
                    int(is_restricted),
                    json.dumps(metadata),
                    json.dumps(security),
                    iso(time.time()),
                    uid,
                ),
            )
            return self._dataset_json(self._row(conn, uid))

    def delete_dataset(self, caller: Caller, uid: str) -> None:
        with self._connect(write=True) as conn:
            self._owned(conn, caller, uid, "edit_dataset")
            conn.execute("DELETE FROM datasets WHERE uid = ?", (uid,))
        shutil.rmtree(self.settings.files_dir / uid, ignore_errors=True)

    # Files and resources ---------------------------------------------------------------

    def add_file(self, caller: Caller, uid: str, filename: str, data: bytes, mimetype: str) -> JSON:
        """Store an upload; same name and same bytes give back the same uid."""
        name = re.sub(r"[^A-Za-z0-9._-]+", "_", PurePosixPath(filename).name).strip("._")
        if not name:
            raise invalid("file", "Nom de fichier invalide.")
        digest = hashlib.sha256(data).hexdigest()
        with self._connect(write=True) as conn:
            self._owned(conn, caller, uid, "edit_dataset")
            candidate, counter = name, 1
            while row := conn.execute(
                "SELECT * FROM files WHERE dataset_uid = ? AND uid = ?", (uid, candidate)
            ).fetchone():
                if row["sha256"] == digest:
                    return _file_json(row)
                path = PurePosixPath(name)
                candidate, counter = f"{path.stem}-{counter}{path.suffix}", counter + 1
            folder = self.settings.files_dir / uid
            folder.mkdir(parents=True, exist_ok=True)
            partial = folder / f".{candidate}.{secrets.token_hex(4)}"
            partial.write_bytes(data)
            os.replace(partial, folder / candidate)
            conn.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
                (uid, candidate, mimetype, digest, iso(time.time())),
            )
            return _file_json(self._file_row(conn, uid, candidate))

    def list_resources(
        self, caller: Caller, uid: str, limit: int, offset: int
    ) -> tuple[int, list[JSON]]:
        with self._connect(write=False) as conn:
            self._owned(conn, caller, uid, "edit_dataset")
            rows = conn.execute(
                "SELECT * FROM resources WHERE dataset_uid = ? ORDER BY position", (uid,)
            ).fetchall()
        return len(rows), [_resource_json(row) for row in rows[offset : offset + limit]]

    def create_resource(self, caller: Caller, uid: str, body: JSON) -> JSON:
        with self._connect(write=True) as conn:
            self._owned(conn, caller, uid, "edit_dataset")
            stored = self._check_resource(conn, uid, body)
            resource_uid = self._free_uid(conn, "re_", "resources")
            position = conn.execute(
                "SELECT COALESCE(MAX(position), 0) + 1 FROM resources WHERE dataset_uid = ?",
                (uid,),
            ).fetchone()[0]
            now = iso(time.time())
            conn.execute(
                "INSERT INTO resources VALUES (?, ?, ?, ?, ?)",
                (resource_uid, uid, position, json.dumps(stored), now),
            )
            self._touch(conn, uid, now)
            return _resource_json(self._resource_row(conn, uid, resource_uid))

    def get_resource(self, caller: Caller, uid: str, resource_uid: str) -> JSON:
        with self._connect(write=False) as conn:
            self._owned(conn, caller, uid, "edit_dataset")
            return _resource_json(self._resource_row(conn, uid, resource_uid))

    def put_resource(self, caller: Caller, uid: str, resource_uid: str, body: JSON) -> JSON:
        with self._connect(write=True) as conn:
            self._owned(conn, caller, uid, "edit_dataset")
            previous = json.loads(self._resource_row(conn, uid, resource_uid)["body"])
            stored = self._check_resource(conn, uid, body)
            if previous["datasource"].get("pushkey") and stored["datasource"]["type"] == "realtime":
                stored["datasource"]["pushkey"] = previous["datasource"]["pushkey"]
            now = iso(time.time())
            conn.execute(
                "UPDATE resources SET body = ?, updated_at = ? WHERE uid = ?",
                (json.dumps(stored), now, resource_uid),
            )
            self._touch(conn, uid, now)
            return _resource_json(self._resource_row(conn, uid, resource_uid))

    def delete_resource(self, caller: Caller, uid: str, resource_uid: str) -> None:
        with self._connect(write=True) as conn:
            self._owned(conn, caller, uid, "edit_dataset")
            self._resource_row(conn, uid, resource_uid)
            conn.execute("DELETE FROM resources WHERE uid = ?", (resource_uid,))
            self._touch(conn, uid, iso(time.time()))

    # Metadata --------------------------------------------------------------------------

    def get_metadata(
        self, caller: Caller, uid: str, template: str | None = None, field: str | None = None
    ) -> JSON:
        with self._connect(write=False) as conn:
            metadata = json.loads(self._owned(conn, caller, uid, "edit_dataset")["metadata"])
        if template is None:
            return metadata
        self._check_template(template)
        values = metadata.get(template, {})
        if field is None:
            return values
        if field not in values:
            raise not_found(f"Champ {template}.{field}")
        return values[field]

    def put_metadata(
        self,
        caller: Caller,
        uid: str,
        body: Any,
        template: str | None = None,
        field: str | None = None,
    ) -> JSON:
        """Replace all metadata, one template, or one field: the documented PUT semantics."""
        if template is not None:
            self._check_template(template)
        with self._connect(write=True) as conn:
            metadata = json.loads(self._owned(conn, caller, uid, "edit_dataset")["metadata"])
            if template is None:
                metadata = self._check_metadata(body)
                answer: JSON = metadata
            elif field is None:
                metadata = self._check_metadata({**metadata, template: body})
                answer = metadata[template]
            else:
                answer = self._unwrap(template, field, body)
                metadata.setdefault(template, {})[field] = answer
            self._save_metadata(conn, uid, metadata)
            return answer

    def delete_metadata_field(self, caller: Caller, uid: str, template: str, field: str) -> None:
        self._check_template(template)
        with self._connect(write=True) as conn:
            metadata = json.loads(self._owned(conn, caller, uid, "edit_dataset")["metadata"])
            if field not in metadata.get(template, {}):
                raise not_found(f"Champ {template}.{field}")
            if template == "default" and field in REQUIRED_DEFAULT:
                raise invalid(f"default.{field}", "Ce champ est obligatoire.")
            del metadata[template][field]
            self._save_metadata(conn, uid, metadata)

    # Publication -----------------------------------------------------------------------

    def status(self, caller: Caller, uid: str) -> JSON:
        self._settle()
        with self._connect(write=False) as conn:
            return self._status(self._owned(conn, caller, uid, "edit_dataset"), time.time())

    def order(self, caller: Caller, uid: str, action: str) -> None:
        """Queue `publish`, `unpublish`, `publish_metadata` or `abort` (§7.2 preconditions)."""
        settings = self.settings
        with self._connect(write=True) as conn:
            row = self._owned(conn, caller, uid, "publish_dataset")
            now = time.time()
            if row["job_due"] is not None and row["job_due"] <= now:
                self._finish(conn, row)
                row = self._row(conn, uid)
            current = self._status(row, now)["status"]
            allowed = RUNNING if action == "abort" else READY
            if current not in allowed:
                raise ApiError(
                    400,
                    "invalid_dataset_status",
                    f"Précondition non remplie : le statut du jeu est « {current} » "
                    f"mais doit être l'un de « {', '.join(allowed)} ».",
                )
            work = "deleting" if action == "unpublish" else "processing"
            phases: list[tuple[str, float]] = [("queued", now), (work, now + settings.queued_delay)]
            due = now + settings.queued_delay + settings.processing_delay
            if action == "abort":
                phases, due = [("aborting_processing", now)], now + settings.queued_delay
            job = {"kind": action, "phases": phases, "prior": current}
            conn.execute(
                "UPDATE datasets SET job = ?, job_due = ? WHERE uid = ?",
                (json.dumps(job), due, uid),
            )

    def _settle(self) -> None:
        """Carry out every job whose time has come; cheap when there is none."""
        now = time.time()
        with self._connect(write=False) as conn:
            if not conn.execute("SELECT 1 FROM datasets WHERE job_due <= ?", (now,)).fetchone():
                return
        with self._connect(write=True) as conn:
            rows = conn.execute("SELECT * FROM datasets WHERE job_due <= ?", (now,)).fetchall()
            for row in rows:
                self._finish(conn, row)

    def _finish(self, conn: sqlite3.Connection, row: sqlite3.Row) -> None:
        job = json.loads(row["job"])
        action, done = job["kind"], float(row["job_due"])
        state, message, params, published = "idle", None, {}, bool(row["is_published"])
        if action == "publish":
            try:
                files = self._resource_files(conn, row["uid"])
                extracted = extract(files) if files else self._realtime_only(conn, row["uid"])
            except ExtractionError as exc:
                state, message = "error", str(exc)
            else:
                limit = self.settings.max_records
                if limit is not None and len(extracted.records) > limit:
                    state = "limit_reached"
                    message = (
                        f"{len(extracted.records)} enregistrements pour une limite de {limit}."
                    )
                    params = {
                        "error": {
                            "limit_type": "records",
                            "limit": limit,
                            "value": len(extracted.records),
                        }
                    }
                else:
                    self._swap_snapshot(conn, row, extracted.fields, extracted.records, done)
                    published = True
        elif action == "publish_metadata":
            conn.execute(
                "UPDATE snapshots SET metadata = ?, is_restricted = ?, metadata_processed = ? "
                "WHERE dataset_uid = ?",
                (row["metadata"], row["is_restricted"], iso(done), row["uid"]),
            )
        elif action == "unpublish":
            conn.execute("DELETE FROM snapshots WHERE dataset_uid = ?", (row["uid"],))
            published = False
        conn.execute(
            "UPDATE datasets SET status = ?, previous = ?, since = ?, message = ?, "
            "status_params = ?, is_published = ?, job = NULL, job_due = NULL WHERE uid = ?",
            (
                state,
                job["phases"][-1][0],
                iso(done),
                message,
                json.dumps(params),
                int(published),
                row["uid"],
            ),
        )

    def _resource_files(self, conn: sqlite3.Connection, uid: str) -> list[tuple[JSON, bytes]]:
        """Bytes of every file resource; realtime sources get their records by push."""
        pairs = []
        bodies = [
            json.loads(row["body"])
            for row in conn.execute(
                "SELECT body FROM resources WHERE dataset_uid = ? ORDER BY position", (uid,)
            )
        ]
        if bodies and all(body["datasource"]["type"] == "realtime" for body in bodies):
            return []
        for body in bodies:
            source = body["datasource"]
            if source.get("type") == "realtime":
                continue
            if source.get("type") != "uploaded_file":
                raise ExtractionError(
                    f"{body['title']} : source « {source.get('type')} » non prise en charge "
                    "par le bac à sable."
                )
            path = self.settings.files_dir / uid / source["file"]["uid"]
            try:
                pairs.append((body, path.read_bytes()))
            except OSError:
                raise ExtractionError(f"{body['title']} : fichier téléversé introuvable.") from None
        return pairs

    def _realtime_only(self, conn: sqlite3.Connection, uid: str) -> Extracted:
        """A dataset fed only by push: its fields are those its sources declare."""
        names: list[str] = []
        for row in conn.execute("SELECT body FROM resources WHERE dataset_uid = ?", (uid,)):
            fields = json.loads(row["body"])["datasource"].get("fields") or []
            names.extend(name for name in fields if name not in names)
        if not names:
            raise ExtractionError("Le jeu n'a aucune ressource à traiter.")
        return Extracted([_text_field(name) for name in names], [])

    def _swap_snapshot(
        self,
        conn: sqlite3.Connection,
        row: sqlite3.Row,
        fields: list[JSON],
        records: list[JSON],
        done: float,
    ) -> None:
        conn.execute("DELETE FROM snapshots WHERE dataset_uid = ?", (row["uid"],))
        conn.execute(
            "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row["uid"],
                row["dataset_id"],
                row["is_restricted"],
                row["metadata"],
                json.dumps(fields),
                len(records),
                iso(done),
                iso(done),
            ),
        )
        conn.executemany(
            "INSERT INTO records VALUES (?, ?, ?)",
            ((row["uid"], position, json.dumps(record)) for position, record in enumerate(records)),
        )

    def _status(self, row: sqlite3.Row, now: float) -> JSON:
        """The status object; during a job, the phase its clock has reached."""
        status = {
            "status": row["status"],
            "previous": row["previous"],
            "next": None,
            "since": row["since"],
            "is_published": bool(row["is_published"]),
            "message": row["message"],
            "records_errors": [],
            "params": json.loads(row["status_params"]),
        }
        if row["job"] is None:
            return status
        job = json.loads(row["job"])
        phases = job["phases"]
        index = max(i for i, (_, start) in enumerate(phases) if start <= now)
        following = phases[index + 1][0] if index + 1 < len(phases) else "idle"
        return {
            **status,
            "status": phases[index][0],
            "previous": phases[index - 1][0] if index else job["prior"],
            "next": following,
            "since": iso(phases[index][1]),
            "message": None,
            "params": {},
        }

    # Realtime push -----------------------------------------------------------------------

    def push_records(
        self,
        caller: Caller | None,
        pushkey: str | None,
        dataset_id: str,
        resource_uid: str,
        records: list[Any],
    ) -> None:
        """Store pushed records, all or none; a record pushed again replaces itself."""
        self._settle()
        now = time.time()
        with self._connect(write=True) as conn:
            uid, source = self._push_source(conn, caller, pushkey, dataset_id, resource_uid)
            allowed = set(source["fields"])
            rows = []
            for position, record in enumerate(records):
                if not isinstance(record, dict) or not record:
                    raise invalid(f"records[{position}]", "Un objet JSON non vide est attendu.")
                unknown = sorted(set(record) - allowed)
                if unknown:
                    raise ApiError(
                        400,
                        "unknown_field",
                        f"Champ(s) inconnu(s) du jeu : {', '.join(unknown)}.",
                        {"fields": unknown, "record": position},
                    )
                rows.append(
                    (uid, _record_id(record, source), resource_uid, json.dumps(record), now)
                )
            conn.executemany("INSERT OR REPLACE INTO pushed VALUES (?, ?, ?, ?, ?)", rows)

    def delete_pushed(
        self,
        caller: Caller | None,
        pushkey: str | None,
        dataset_id: str,
        resource_uid: str,
        record_id: str | None,
        record: JSON | None,
    ) -> None:
        with self._connect(write=True) as conn:
            uid, source = self._push_source(conn, caller, pushkey, dataset_id, resource_uid)
            key = record_id or _record_id(record or {}, source)
            deleted = conn.execute(
                "DELETE FROM pushed WHERE dataset_uid = ? AND record_id = ?", (uid, key)
            ).rowcount
            if not deleted:
                raise not_found(f"Enregistrement {key}")

    def _push_source(
        self,
        conn: sqlite3.Connection,
        caller: Caller | None,
        pushkey: str | None,
        dataset_id: str,
        resource_uid: str,
    ) -> tuple[str, JSON]:
        """The published dataset and its enabled realtime source the key may push to."""
        row = conn.execute("SELECT * FROM datasets WHERE dataset_id = ?", (dataset_id,)).fetchone()
        if row is None:
            raise not_found(f"Jeu de données « {dataset_id} »")
        resource = conn.execute(
            "SELECT body FROM resources WHERE dataset_uid = ? AND uid = ?",
            (row["uid"], resource_uid),
        ).fetchone()
        source = json.loads(resource["body"])["datasource"] if resource else {}
        if source.get("type") != "realtime":
            raise not_found(f"Source temps réel {resource_uid}")
        if caller is not None:
            caller.require("edit_dataset", dataset_id)
        elif not secrets.compare_digest(str(pushkey), str(source["pushkey"])):
            raise ApiError(401, "invalid_push_key", "Clé de push (pushkey) invalide.")
        if not source.get("enabled", True):
            raise ApiError(400, "push_disabled", "Le point d'entrée temps réel est désactivé.")
        if not conn.execute(
            "SELECT 1 FROM snapshots WHERE dataset_uid = ?", (row["uid"],)
        ).fetchone():
            raise ApiError(
                400, "dataset_not_published", "Publiez le jeu avant d'y pousser des données."
            )
        return row["uid"], source

    # Explore ---------------------------------------------------------------------------

    def catalog(self, caller: Caller | None, limit: int, offset: int) -> tuple[int, list[JSON]]:
        self._settle()
        with self._connect(write=False) as conn:
            rows = conn.execute("SELECT * FROM snapshots ORDER BY dataset_id").fetchall()
            visible = [self._explore_json(conn, row) for row in rows if _visible(row, caller)]
        return len(visible), visible[offset : offset + limit]

    def explore_dataset(self, caller: Caller | None, dataset_id: str) -> JSON:
        self._settle()
        with self._connect(write=False) as conn:
            return self._explore_json(conn, self._snapshot(conn, caller, dataset_id))

    def explore_records(
        self, caller: Caller | None, dataset_id: str, limit: int | None, offset: int
    ) -> tuple[list[JSON], int, list[JSON]]:
        """Fields, total count and one page of records: the published snapshot's, then
        those pushed to its realtime sources."""
        self._settle()
        with self._connect(write=False) as conn:
            snapshot = self._snapshot(conn, caller, dataset_id)
            uid = snapshot["dataset_uid"]
            rows = conn.execute(
                "SELECT record FROM (SELECT 0 AS part, position AS at, record FROM records "
                "WHERE dataset_uid = ? UNION ALL SELECT 1, pushed_at, record FROM pushed "
                "WHERE dataset_uid = ?) ORDER BY part, at LIMIT ? OFFSET ?",
                (uid, uid, -1 if limit is None else limit, offset),
            ).fetchall()
            info = self._explore_json(conn, snapshot)
        return (
            info["fields"],
            int(info["metas"]["default"]["records_count"]),
            [json.loads(row["record"]) for row in rows],
        )

    def _snapshot(
        self, conn: sqlite3.Connection, caller: Caller | None, dataset_id: str
    ) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM snapshots WHERE dataset_id = ?", (dataset_id,)).fetchone()
        if row is None or not _visible(row, caller):
            raise not_found(f"Jeu de données « {dataset_id} »")
        return row

    def _explore_json(self, conn: sqlite3.Connection, snapshot: sqlite3.Row) -> JSON:
        """Dataset info as Explore v2.1 gives it: plain values under `metas`, the licence and
        themes by their labels, pushed records counted and their fields listed."""
        uid = snapshot["dataset_uid"]
        metadata = json.loads(snapshot["metadata"])
        metas = {
            template: {field: wrapped["value"] for field, wrapped in fields.items()}
            for template, fields in metadata.items()
            if template != "internal"
        }
        internal = {k: v["value"] for k, v in (metadata.get("internal") or {}).items()}
        if "license_id" in internal:
            metas["default"]["license"] = self.settings.licences.get(internal["license_id"])
        if "theme_id" in internal:
            metas["default"]["theme"] = [self.settings.themes.get(t) for t in internal["theme_id"]]
        pushed = conn.execute(
            "SELECT COUNT(*) FROM pushed WHERE dataset_uid = ?", (uid,)
        ).fetchone()[0]
        fields = json.loads(snapshot["fields"])
        for row in conn.execute(
            "SELECT body FROM resources WHERE dataset_uid = ? ORDER BY position", (uid,)
        ):
            for name in json.loads(row["body"])["datasource"].get("fields") or []:
                if all(field["name"] != name for field in fields):
                    fields.append(_text_field(name))
        count = snapshot["records_count"] + pushed
        metas["default"].update(
            records_count=count,
            data_processed=snapshot["data_processed"],
            metadata_processed=snapshot["metadata_processed"],
        )
        return {
            "dataset_id": snapshot["dataset_id"],
            "dataset_uid": uid,
            "has_records": count > 0,
            "data_visible": True,
            "features": [],
            "attachments": [],
            "alternative_exports": [],
            "fields": fields,
            "metas": metas,
        }

    # Helpers ---------------------------------------------------------------------------

    def _row(self, conn: sqlite3.Connection, uid: str) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM datasets WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            raise not_found(f"Jeu de données {uid}")
        return row

    def _owned(
        self, conn: sqlite3.Connection, caller: Caller, uid: str, permission: str
    ) -> sqlite3.Row:
        row = self._row(conn, uid)
        caller.require(permission, row["dataset_id"])
        return row

    def _file_row(self, conn: sqlite3.Connection, uid: str, file_uid: str) -> sqlite3.Row:
        return self._child_row(conn, "files", uid, file_uid, f"Fichier {file_uid}")

    def _resource_row(self, conn: sqlite3.Connection, uid: str, resource_uid: str) -> sqlite3.Row:
        return self._child_row(conn, "resources", uid, resource_uid, f"Ressource {resource_uid}")

    def _child_row(
        self, conn: sqlite3.Connection, table: str, uid: str, child_uid: str, label: str
    ) -> sqlite3.Row:
        """A row of a dataset's sub-table (`table` is one of our constants, never user input)."""
        row = conn.execute(
            f"SELECT * FROM {table} WHERE dataset_uid = ? AND uid = ?", (uid, child_uid)
        ).fetchone()
        if row is None:
            raise not_found(label)
        return row

    def _free_uid(self, conn: sqlite3.Connection, prefix: str, table: str) -> str:
        while True:
            uid = _new_uid(prefix)
            if not conn.execute(f"SELECT 1 FROM {table} WHERE uid = ?", (uid,)).fetchone():
                return uid

    def _touch(self, conn: sqlite3.Connection, uid: str, now: str) -> None:
        """Record a configuration edit: the next plan compares it with the last publication."""
        conn.execute("UPDATE datasets SET updated_at = ? WHERE uid = ?", (now, uid))

    def _save_metadata(self, conn: sqlite3.Connection, uid: str, metadata: JSON) -> None:
        conn.execute(
            "UPDATE datasets SET metadata = ?, updated_at = ? WHERE uid = ?",
            (json.dumps(metadata), iso(time.time()), uid),
        )

    def _check_dataset_id(self, conn: sqlite3.Connection, dataset_id: Any, uid: str | None) -> None:
        if not isinstance(dataset_id, str) or not DATASET_ID.fullmatch(dataset_id):
            raise invalid("dataset_id", "Lettres minuscules, chiffres, « - » et « _ » uniquement.")
        row = conn.execute(
            "SELECT uid FROM datasets WHERE dataset_id = ?", (dataset_id,)
        ).fetchone()
        if row is not None and row["uid"] != uid:
            raise invalid("dataset_id", f"Un jeu de données « {dataset_id} » existe déjà.")

    def _check_template(self, template: str) -> None:
        if template not in self.settings.templates:
            raise not_found(f"Modèle de métadonnées « {template} »")

    def _check_metadata(self, metadata: Any) -> JSON:
        """Validate a complete metadata object; `default` must hold its required fields."""
        if not isinstance(metadata, dict) or not isinstance(metadata.get("default"), dict):
            raise invalid("metadata.default", "Ce champ est obligatoire.")
        checked: JSON = {}
        for template, fields in metadata.items():
            if template not in self.settings.templates:
                raise invalid(f"metadata.{template}", "Modèle de métadonnées inconnu.")
            if not isinstance(fields, dict):
                raise invalid(f"metadata.{template}", "Un objet est attendu.")
            checked[template] = {
                field: self._unwrap(template, field, value) for field, value in fields.items()
            }
        for field in REQUIRED_DEFAULT:
            if field not in checked["default"]:
                raise invalid(f"metadata.default.{field}", "Ce champ est obligatoire.")
        return checked

    def _unwrap(self, template: str, field: str, wrapped: Any) -> JSON:
        """Check one `{"value": …}`; licence and theme ids must be in the domain's lists."""
        checked = _unwrap_field(template, field, wrapped)
        value = checked["value"]
        known = {"license_id": self.settings.licences, "theme_id": self.settings.themes}
        if template == "internal" and field in known:
            allowed = known[field]
            unknown = [
                v for v in (value if isinstance(value, list) else [value]) if v not in allowed
            ]
            if unknown:
                raise invalid(
                    f"{template}.{field}",
                    f"Identifiant inconnu du domaine : {', '.join(map(str, unknown))} "
                    f"(valeurs possibles : {', '.join(sorted(allowed))}).",
                )
        return checked

    def _check_resource(self, conn: sqlite3.Connection, uid: str, body: Any) -> JSON:
        if not isinstance(body, dict):
            raise invalid("resource", "Un objet est attendu.")
        for key in ("type", "title"):
            if not isinstance(body.get(key), str) or not body[key]:
                raise invalid(key, "Ce champ est obligatoire.")
        params = body.get("params") or {}
        if not isinstance(params, dict):
            raise invalid("params", "Un objet est attendu.")
        source = body.get("datasource")
        if not isinstance(source, dict) or source.get("type") not in DATASOURCE_TYPES:
            raise invalid("datasource", "Source absente ou de type inconnu.")
        if source["type"] == "realtime":
            fields = source.get("fields")
            if (
                not isinstance(fields, list)
                or not fields
                or not all(isinstance(name, str) and name for name in fields)
            ):
                raise invalid("datasource.fields", "La liste des champs poussés est obligatoire.")
            source = {
                "type": "realtime",
                "fields": fields,
                "record_id_fields": list(source.get("record_id_fields") or []),
                "enabled": bool(source.get("enabled", True)),
                "pushkey": source.get("pushkey") or secrets.token_urlsafe(16),
            }
        if source["type"] == "uploaded_file":
            file_uid = (source.get("file") or {}).get("uid")
            if (
                not isinstance(file_uid, str)
                or not conn.execute(
                    "SELECT 1 FROM files WHERE dataset_uid = ? AND uid = ?", (uid, file_uid)
                ).fetchone()
            ):
                raise invalid("datasource.file.uid", "Fichier téléversé inconnu pour ce jeu.")
        return {
            "type": body["type"],
            "title": body["title"],
            "params": params,
            "datasource": source,
        }

    def _dataset_json(self, row: sqlite3.Row) -> JSON:
        return {
            "uid": row["uid"],
            "dataset_id": row["dataset_id"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
            "is_published": bool(row["is_published"]),
            "is_restricted": bool(row["is_restricted"]),
            "metadata": json.loads(row["metadata"]),
            "default_security": json.loads(row["default_security"]),
        }


def _file_json(row: sqlite3.Row) -> JSON:
    return {
        "uid": row["uid"],
        "filename": row["uid"],
        "mimetype": row["mimetype"],
        "created_at": row["created_at"],
    }


def _resource_json(row: sqlite3.Row) -> JSON:
    body = json.loads(row["body"])
    uploaded = body["datasource"]["type"] == "uploaded_file"
    return {
        "uid": row["uid"],
        **body,
        "display_name": body["title"],
        "extraction_infos": {"label": body["type"], "type": body["type"]},
        "origin": {"label": "Uploaded file", "type": "uploaded_file"} if uploaded else None,
        "updated_at": row["updated_at"],
    }


def _visible(snapshot: sqlite3.Row, caller: Caller | None) -> bool:
    if not snapshot["is_restricted"]:
        return True
    return caller is not None and "explore_restricted_dataset" in caller.permissions


def _record_id(record: JSON, source: JSON) -> str:
    """Same record, same id: from the declared id fields, else from the whole record."""
    keys = source.get("record_id_fields") or sorted(record)
    return stable_hash([record.get(key) for key in keys])[:40]


def _text_field(name: str) -> JSON:
    return {"name": name, "label": name, "type": "text", "annotations": {}, "description": None}
