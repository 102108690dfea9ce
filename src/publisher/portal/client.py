"""Client of an Opendatasoft portal: Automation API v1 to write, Explore API v2.1 to read back.

This module is the only place that speaks HTTP to the portal. Everything that can go wrong
on the wire leaves it as a `publisher.errors.PortalError` with a French message naming the
dataset, so callers never see an httpx exception. Transient failures (429, 502/503/504,
dropped connections, timeouts; 500 for idempotent methods) are retried with exponential
backoff and jitter, honouring `Retry-After`; a POST that creates something is only asked
again after looking whether the lost attempt landed, so that nothing is created twice. The
API key goes in the `Authorization` header only: never in a URL, a log line, an exception
message or `repr()`. A client given a `commune` refuses, before any call, to touch a dataset
of another commune.
"""

from __future__ import annotations

import logging
import mimetypes
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from publisher.errors import PortalAuthError, PortalError, PortalUnavailableError
from publisher.portal.payload import ResourceFile

logger = logging.getLogger(__name__)

AUTOMATION_PATH = "/api/automation/v1.0/"
EXPLORE_PATH = "/api/explore/v2.1/"
PUSH_PATH = "/api/push/1.0/"
READY_STATES = frozenset({"idle", "error", "limit_reached"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "DELETE"})
RETRIED_TRANSPORT_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
PAGE_SIZE = 100
POLL_CEILING = 30.0
RETRY_AFTER_CEILING = 300.0
KEY_HINT = (
    "vérifiez PUBLISHER_ODS_API_KEY : la clé doit avoir été créée sur ce portail, "
    "ne pas être révoquée et être copiée sans espace"
)
MIMETYPES = {".csv": "text/csv", ".json": "application/json", ".geojson": "application/geo+json"}

JSON = dict[str, Any]


def wrap_metadata(metadata: dict[str, dict[str, Any]]) -> dict[str, dict[str, JSON]]:
    """Turn template → field → plain value into the API's `{"value": …}` wrapping."""
    return {
        template: {name: {"value": value} for name, value in fields.items()}
        for template, fields in metadata.items()
    }


class _Found(Exception):
    """A creation whose answer was lost turned out to have landed: here is what it made."""

    def __init__(self, value: JSON):
        super().__init__("found")
        self.value = value


class _Transient(Exception):
    """A response worth asking again, with the wait the portal asked for if any."""

    def __init__(self, response: httpx.Response):
        super().__init__(response.status_code)
        self.response = response
        self.retry_after = _retry_after(response)


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from `Retry-After` (seconds or HTTP date) or Explore's `reset_time`."""
    header = response.headers.get("Retry-After")
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            try:
                when = parsedate_to_datetime(header)
            except (TypeError, ValueError):
                return None
            return max(0.0, (when - datetime.now(UTC)).total_seconds())
    try:
        reset = response.json().get("reset_time")
        when = datetime.fromisoformat(reset)
    except (ValueError, TypeError, AttributeError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _should_retry(idempotent: bool) -> Any:
    """Retry predicate: 500 is only asked again when asking twice is harmless."""

    def predicate(exc: BaseException) -> bool:
        if isinstance(exc, _Transient):
            status = exc.response.status_code
            return status in RETRY_STATUSES or (status == 500 and idempotent)
        return isinstance(exc, RETRIED_TRANSPORT_ERRORS)

    return predicate


class AutomationClient:
    """Synchronous client of one portal, authenticated by one API key.

    `poll_interval` is the first wait between two status reads while publishing (it doubles
    up to 30 s) and `publish_timeout` bounds the whole wait for one publication. `commune`
    is the commune the key belongs to (None for a key of the whole métropole). The client is
    safe to share between threads.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        poll_interval: float = 1.0,
        publish_timeout: float = 600.0,
        max_attempts: int = 6,
        retry_initial: float = 1.0,
        retry_max: float = 60.0,
        commune: str | None = None,
    ):
        if not api_key.strip():
            raise PortalAuthError(
                "aucune clé d'API pour le portail",
                hint="définissez PUBLISHER_ODS_API_KEY avec une clé créée sur le portail",
            )
        self.base_url = base_url.rstrip("/")
        self.commune = commune
        self._api_key = api_key.strip()
        self._secrets = {self._api_key}
        self.poll_interval = poll_interval
        self._publish_timeout = publish_timeout
        self._max_attempts = max_attempts
        backoff = wait_exponential(multiplier=retry_initial, max=retry_max)
        self._wait_strategy = backoff + wait_random(0, retry_initial)
        self._labels: dict[str, str] = {}
        self._http = httpx.Client(
            headers={"Authorization": f"apikey {self._api_key}", "Accept": "application/json"},
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"AutomationClient(base_url={self.base_url!r}, commune={self.commune!r})"

    def __enter__(self) -> AutomationClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the pooled connections."""
        self._http.close()

    # Datasets -------------------------------------------------------------------------

    def owns(self, dataset_id: str) -> bool:
        """Whether this client's key may touch `dataset_id` (its commune's prefix)."""
        return self.commune is None or dataset_id.startswith(f"{self.commune}-")

    def list_datasets(self) -> list[JSON]:
        """Every dataset the key can edit (all pages): what reconciliation starts from."""
        datasets = self._paginate("datasets/", {}, None)
        return [self._remember(d) for d in datasets if self.owns(str(d.get("dataset_id")))]

    def find_dataset(self, dataset_id: str) -> JSON | None:
        """The dataset whose slug is `dataset_id`, or None: the idempotency key of a push."""
        self._guard(dataset_id)
        page = self._json(
            self._request("GET", "datasets/", params={"dataset_id": dataset_id}, label=dataset_id),
            dataset_id,
        )
        for dataset in page.get("results") or []:
            if dataset.get("dataset_id") == dataset_id:
                return self._remember(dataset)
        return None

    def create_dataset(
        self, dataset_id: str, metadata: dict[str, dict[str, Any]], *, is_restricted: bool = True
    ) -> JSON:
        """Create the dataset, or return it if an earlier attempt already created it.

        Restricted by default: only keys allowed to explore restricted datasets see it until
        `make_public`, so nobody reads a publication that was not verified. A POST that timed
        out may have landed: the portal then reports a duplicate `dataset_id` on the retry, so
        the slug is looked up again before giving up.
        """
        self._guard(dataset_id)
        body = {
            "dataset_id": dataset_id,
            "is_restricted": is_restricted,
            "metadata": wrap_metadata(metadata),
        }
        try:
            created = self._create(
                "datasets/", body, dataset_id, lambda: self.find_dataset(dataset_id)
            )
        except PortalError as exc:
            duplicate = exc.status_code in (400, 409) and "dataset_id" in exc.message
            existing = self.find_dataset(dataset_id) if duplicate else None
            if existing is None:
                raise
            return existing
        return self._remember(created)

    def get_dataset(self, uid: str) -> JSON:
        """The dataset object: `updated_at` tells whether its configuration moved."""
        return self._remember(
            self._json(self._request("GET", f"datasets/{uid}/"), self._label(uid))
        )

    def make_public(self, uid: str) -> JSON:
        """Show the dataset to everyone (`is_restricted: false`, needs `manage_dataset`).

        The dataset PUT replaces the whole object, so the current one is read first and sent
        back with only the visibility changed. Live once the metadata are published.
        """
        current = self.get_dataset(uid)
        kept = ("dataset_id", "metadata", "default_security")
        body = {key: current[key] for key in kept if key in current} | {"is_restricted": False}
        return self._remember(
            self._json(self._request("PUT", f"datasets/{uid}/", json=body), self._label(uid))
        )

    def delete_dataset(self, uid: str) -> None:
        """Delete for good (back office and Explore); one already gone is not an error."""
        try:
            self._request("DELETE", f"datasets/{uid}/")
        except PortalError as exc:
            if exc.status_code != 404:
                raise

    # Resources and files ---------------------------------------------------------------

    def list_resources(self, uid: str) -> list[JSON]:
        """Every resource of the dataset, all pages read."""
        return self._paginate(f"datasets/{uid}/resources/", {}, self._label(uid))

    def upload_file(self, uid: str, name: str, data: bytes) -> JSON:
        """Upload bytes as `name`; the returned `uid` is what a resource must point to."""
        mimetype = MIMETYPES.get(PurePosixPath(name).suffix.lower()) or (
            mimetypes.guess_type(name)[0] or "application/octet-stream"
        )
        response = self._request(
            "POST",
            f"datasets/{uid}/resources/files/",
            files={"file": (name, data, mimetype)},
            idempotent=True,  # the same name and bytes give back the same file
        )
        return self._json(response, self._label(uid))

    def create_resource(self, uid: str, resource: ResourceFile, file_uid: str) -> JSON:
        """Add a resource reading the uploaded file `file_uid`, once even if answers are lost."""

        def landed() -> JSON | None:
            return next(
                (
                    r
                    for r in self.list_resources(uid)
                    if r.get("title") == resource.title
                    and (r.get("datasource") or {}).get("file", {}).get("uid") == file_uid
                ),
                None,
            )

        return self._create(
            f"datasets/{uid}/resources/", _resource_body(resource, file_uid), None, landed
        )

    def create_realtime_source(
        self, uid: str, title: str, fields: list[str], record_id_fields: list[str]
    ) -> JSON:
        """Add a realtime (push) source declaring the fields records may carry."""
        body = {
            "type": "realtime",
            "title": title,
            "params": {},
            "datasource": {
                "type": "realtime",
                "fields": fields,
                "record_id_fields": record_id_fields,
            },
        }

        def landed() -> JSON | None:
            return next(
                (
                    r
                    for r in self.list_resources(uid)
                    if (r.get("datasource") or {}).get("type") == "realtime"
                    and r.get("title") == title
                ),
                None,
            )

        return self._create(f"datasets/{uid}/resources/", body, None, landed)

    def update_resource(
        self, uid: str, resource_uid: str, resource: ResourceFile, file_uid: str
    ) -> JSON:
        """Repoint an existing resource to another uploaded file (full PUT of the resource)."""
        response = self._request(
            "PUT",
            f"datasets/{uid}/resources/{resource_uid}/",
            json=_resource_body(resource, file_uid),
        )
        return self._json(response, self._label(uid))

    def delete_resource(self, uid: str, resource_uid: str) -> None:
        """Remove a resource; one already gone (a retried DELETE) is not an error."""
        try:
            self._request("DELETE", f"datasets/{uid}/resources/{resource_uid}/")
        except PortalError as exc:
            if exc.status_code != 404:
                raise

    # Metadata --------------------------------------------------------------------------

    def get_metadata(self, uid: str) -> dict[str, dict[str, JSON]]:
        """All templates of the dataset, values wrapped as `{"value": …}`."""
        return self._json(self._request("GET", f"datasets/{uid}/metadata/"), self._label(uid))

    def update_template(self, uid: str, template: str, values: dict[str, Any]) -> None:
        """Set some fields of one template and keep all the others.

        A template PUT replaces the whole template, so the current one is read first and the
        new values merged into it: fields set on the portal by hand survive.
        """
        try:
            current = self._json(
                self._request("GET", f"datasets/{uid}/metadata/{template}/"), self._label(uid)
            )
        except PortalError as exc:
            if exc.status_code != 404:
                raise
            current = {}
        merged = {**(current or {}), **wrap_metadata({template: values})[template]}
        self._request("PUT", f"datasets/{uid}/metadata/{template}/", json=merged)

    # Publication -----------------------------------------------------------------------

    def get_status(self, uid: str) -> JSON:
        """Processing status: `status`, `previous`, `since`, `is_published`, `message`…"""
        return self._json(self._request("GET", f"datasets/{uid}/status/"), self._label(uid))

    def publish(self, uid: str, action: str = "publish") -> JSON:
        """Publish (or, with `action="publish_metadata"`, push metadata only) and wait until
        the result is live; return the final status.

        The status read just before the order is kept: a later `idle` only counts once a busy
        state was seen or `since` moved, else a re-publish would be taken for done while the
        portal still shows the previous publication. A 400 `invalid_dataset_status` means
        another job runs: wait for it, then order again so that our changes are processed.
        """
        label = self._label(uid)
        deadline = time.monotonic() + self._publish_timeout
        before = self._wait_ready(uid, deadline)
        while True:
            try:
                self._request("POST", f"datasets/{uid}/{action}/", idempotent=True)
                break
            except PortalError as exc:
                if exc.error_code != "invalid_dataset_status":
                    raise
            self._sleep_until(deadline, self.poll_interval, uid, before)
            before = self._wait_ready(uid, deadline)
        seen_busy = False

        def settled(status: JSON) -> bool:
            nonlocal seen_busy
            if status.get("status") not in READY_STATES:
                seen_busy = True
                return False
            since = status.get("since")
            return seen_busy or (since is not None and since != before.get("since"))

        final = next(filter(settled, self._poll(uid, deadline)))
        if final.get("status") == "idle" and final.get("is_published"):
            return final
        raise _publish_failure(label, final)

    # Explore ---------------------------------------------------------------------------

    def explore_dataset(self, dataset_id: str) -> JSON | None:
        """What the public catalog shows for `dataset_id`, or None when not published."""
        try:
            response = self._request(
                "GET",
                f"catalog/datasets/{quote(dataset_id, safe='')}",
                api=EXPLORE_PATH,
                label=dataset_id,
            )
        except PortalError as exc:
            if exc.status_code == 404:
                return None
            raise
        return self._json(response, dataset_id)

    def explore_export_csv(self, dataset_id: str) -> bytes:
        """The full CSV export of the published records (`,`, no BOM): for read-back."""
        response = self._request(
            "GET",
            f"catalog/datasets/{quote(dataset_id, safe='')}/exports/csv",
            api=EXPLORE_PATH,
            params={"delimiter": ",", "with_bom": "false"},
            label=dataset_id,
        )
        return response.content

    # Realtime push ---------------------------------------------------------------------

    def push_records(
        self, dataset_id: str, resource_uid: str, pushkey: str, records: list[JSON]
    ) -> None:
        """Push one batch to a realtime source.

        Retrying is harmless: the portal gives a record the same id each time it is pushed,
        so a batch whose answer was lost replaces itself instead of adding duplicates.
        """
        self._guard(dataset_id)
        self._secrets.add(pushkey)
        self._request(
            "POST",
            f"{quote(dataset_id, safe='')}/{quote(resource_uid, safe='')}/push/",
            api=PUSH_PATH,
            params={"pushkey": pushkey},
            json=records,
            label=dataset_id,
            idempotent=True,
        )

    def explore_records_count(self, dataset_id: str) -> int:
        """Number of records Explore serves for the published dataset."""
        response = self._request(
            "GET",
            f"catalog/datasets/{quote(dataset_id, safe='')}/records",
            api=EXPLORE_PATH,
            params={"limit": 0},
            label=dataset_id,
        )
        return int(self._json(response, dataset_id).get("total_count") or 0)

    # Plumbing --------------------------------------------------------------------------

    def _remember(self, dataset: JSON) -> JSON:
        """Keep uid → dataset_id so that errors on a uid path name the dataset."""
        if dataset.get("uid") and dataset.get("dataset_id"):
            self._labels[dataset["uid"]] = dataset["dataset_id"]
        return dataset

    def _label(self, uid: str) -> str:
        return self._labels.get(uid, uid)

    def _guard(self, dataset_id: str | None) -> None:
        """Refuse, before any call, a dataset outside the key's commune."""
        if dataset_id is not None and self.owns(dataset_id):
            return
        shown = dataset_id or "inconnu de ce client"
        raise PortalAuthError(
            f"la clé d'API de la commune {self.commune} ne peut pas agir sur le jeu {shown}",
            dataset_id=dataset_id,
            hint="chaque commune publie ses jeux avec sa propre clé : définissez "
            "PUBLISHER_ODS_API_KEY_<COMMUNE> pour la commune qui possède le jeu",
        )

    def _create(
        self, path: str, body: JSON, label: str | None, landed: Callable[[], JSON | None]
    ) -> JSON:
        """POST a creation; before asking again after a lost answer, look whether it landed."""
        try:
            response = self._request("POST", path, json=body, label=label, landed=landed)
        except _Found as found:
            return found.value
        return self._json(response, label)

    def _wait_ready(self, uid: str, deadline: float) -> JSON:
        """Wait until no job runs on the dataset, so that an order can be accepted."""
        return next(s for s in self._poll(uid, deadline) if s.get("status") in READY_STATES)

    def _poll(self, uid: str, deadline: float) -> Iterator[JSON]:
        """Status reads, the first at once, then spaced out up to 30 s until the deadline."""
        interval = self.poll_interval
        while True:
            status = self.get_status(uid)
            yield status
            self._sleep_until(deadline, interval, uid, status)
            interval = min(interval * 2, POLL_CEILING)

    def _sleep_until(self, deadline: float, interval: float, uid: str, status: JSON) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise PortalUnavailableError(
                f"la publication du jeu {self._label(uid)} n'est pas terminée après "
                f"{self._publish_timeout:g} s (statut {status.get('status')!s})",
                dataset_id=self._label(uid),
                hint="le portail est peut-être chargé : relancez plus tard, le traitement "
                "continue côté portail",
            )
        time.sleep(min(interval, remaining))

    def _paginate(self, path: str, params: dict[str, Any], label: str) -> list[JSON]:
        """Read every page by following the `offset` of `next`, as the API examples do."""
        results: list[JSON] = []
        offset = 0
        while True:
            page = self._json(
                self._request(
                    "GET",
                    path,
                    params={**params, "limit": PAGE_SIZE, "offset": offset},
                    label=label,
                ),
                label,
            )
            batch = page.get("results") or []
            results.extend(batch)
            following = page.get("next")
            if not following or not batch:
                return results
            query = parse_qs(urlsplit(following).query)
            offset = int(query.get("offset", [offset + len(batch)])[0])

    def _request(
        self,
        method: str,
        path: str,
        *,
        api: str = AUTOMATION_PATH,
        params: dict[str, Any] | None = None,
        json: Any = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        label: str | None = None,
        idempotent: bool | None = None,
        landed: Callable[[], JSON | None] | None = None,
    ) -> httpx.Response:
        """Send one call with retries, and turn every failure into a PortalError.

        `idempotent` says whether asking twice is harmless (by default: GET, PUT, DELETE);
        a creation passes `landed`, asked before each new attempt, whose answer (raised as
        `_Found`) ends the call when the lost attempt did create the thing.
        """
        if api == AUTOMATION_PATH and path.startswith("datasets/") and path != "datasets/":
            uid = path.split("/")[1]
            if self.commune is not None:
                self._guard(self._labels.get(uid))
            label = label or self._label(uid)
        url = f"{self.base_url}{api}{path}"
        safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        retrying = Retrying(
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            retry=retry_if_exception(_should_retry(safe or landed is not None)),
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    if landed is not None and attempt.retry_state.attempt_number > 1:
                        found = landed()
                        if found is not None:
                            raise _Found(found)
                    response = self._http.request(
                        method, url, params=params, json=json, files=files
                    )
                    if response.status_code in RETRY_STATUSES or response.status_code >= 500:
                        raise _Transient(response)
        except _Transient as exc:
            raise self._status_error(exc.response, label) from None
        except (httpx.HTTPError, httpx.InvalidURL, httpx.CookieConflict, httpx.StreamError) as exc:
            raise self._transport_error(exc, label) from None
        if not response.is_success:
            raise self._status_error(response, label)
        return response

    def _wait(self, state: RetryCallState) -> float:
        """Backoff with jitter, unless the portal said how long to wait."""
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return min(exc.retry_after, RETRY_AFTER_CEILING)
        return float(self._wait_strategy(state))

    def _log_retry(self, state: RetryCallState) -> None:
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, _Transient):
            reason = f"HTTP {exc.response.status_code}"
        else:
            reason = type(exc).__name__
        wait = state.next_action.sleep if state.next_action is not None else 0.0
        logger.warning(
            "portail : %s, nouvelle tentative %d/%d dans %.1f s",
            reason,
            state.attempt_number + 1,
            self._max_attempts,
            wait,
        )

    def _json(self, response: httpx.Response, label: str | None) -> Any:
        try:
            return response.json()
        except ValueError:
            raise PortalError(
                f"réponse illisible du portail pour {_where(label)} (HTTP {response.status_code}, "
                "JSON attendu)",
                status_code=response.status_code,
                dataset_id=label,
                hint=f"vérifiez que {self.base_url} est bien la racine d'un portail Opendatasoft",
            ) from None

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _status_error(self, response: httpx.Response, label: str | None) -> PortalError:
        """Map an HTTP error answer to the exception a user can act on."""
        status = response.status_code
        error_code, message = _error_body(response)
        message = self._redact(message)
        where = _where(label)
        common: dict[str, Any] = {
            "status_code": status,
            "error_code": error_code,
            "dataset_id": label,
        }
        if status == 401:
            return PortalAuthError(
                f"clé d'API refusée par le portail {self.base_url} pour {where} (401)",
                hint=KEY_HINT,
                **common,
            )
        if status == 403:
            return PortalAuthError(
                f"la clé d'API n'a pas le droit d'agir sur {where} (403) : {message}",
                hint="demandez pour cette clé les permissions create_dataset, edit_dataset, "
                "publish_dataset, manage_dataset et explore_restricted_dataset, et utilisez la "
                "clé de la commune qui possède le jeu",
                **common,
            )
        if status == 404:
            return PortalError(
                f"{where} introuvable sur le portail (404) : {message}",
                hint="le jeu a peut-être été supprimé ou renommé sur le portail : relancez le "
                "plan pour le recréer",
                **common,
            )
        if status in RETRY_STATUSES or status >= 500:
            return PortalUnavailableError(
                f"le portail {self.base_url} ne répond pas correctement pour {where} "
                f"(HTTP {status}) : {message}",
                hint="réessayez plus tard ; si l'erreur persiste, contactez l'administrateur "
                "du portail",
                **common,
            )
        return PortalError(
            f"le portail refuse la requête pour {where} "
            f"(HTTP {status}, {error_code or 'sans code'}) : {message}",
            hint="corrigez les métadonnées ou les fichiers indiqués puis relancez",
            **common,
        )

    def _transport_error(self, exc: Exception, label: str | None) -> PortalError:
        """Map an httpx exception; the key can only leak through a URL, which never holds it."""
        detail = self._redact(str(exc)) or type(exc).__name__
        if isinstance(exc, RETRIED_TRANSPORT_ERRORS):
            return PortalUnavailableError(
                f"portail {self.base_url} injoignable pour {_where(label)} après "
                f"{self._max_attempts} tentatives ({type(exc).__name__} : {detail})",
                dataset_id=label,
                hint="vérifiez la connexion réseau et l'adresse du portail, puis relancez",
            )
        return PortalError(
            f"échange impossible avec le portail {self.base_url} pour {_where(label)} "
            f"({type(exc).__name__} : {detail})",
            dataset_id=label,
            hint="vérifiez l'adresse du portail (schéma http:// ou https://, sans chemin d'API) "
            "et les réglages de proxy",
        )


def _where(label: str | None) -> str:
    return f"le jeu {label}" if label else "le portail"


def _error_body(response: httpx.Response) -> tuple[str | None, str]:
    """`error_code` and a readable message from Automation or Explore error bodies."""
    try:
        body = response.json()
    except ValueError:
        return None, response.reason_phrase or "réponse sans détail"
    if not isinstance(body, dict):
        return None, str(body)
    code = body.get("error_code") or body.get("errorcode")
    message = str(body.get("message") or body.get("error") or response.reason_phrase)
    detail = body.get("detail")
    if isinstance(detail, dict):
        parts = [
            f"{key} : {'; '.join(map(str, value))}"
            if isinstance(value, list)
            else f"{key} : {value}"
            for key, value in detail.items()
        ]
        message = f"{message} ({', '.join(parts)})"
    return (str(code) if code is not None else None), message


def _resource_body(resource: ResourceFile, file_uid: str) -> JSON:
    return {
        "type": resource.extractor,
        "title": resource.title,
        "params": dict(resource.params),
        "datasource": {"type": "uploaded_file", "file": {"uid": file_uid}},
    }


def _publish_failure(label: str, status: JSON) -> PortalError:
    """Explain a publication that ended in `error`, `limit_reached` or unpublished."""
    state = status.get("status")
    reason = status.get("message") or ""
    errors = status.get("records_errors") or []
    if errors:
        shown = "; ".join(str(error.get("message", error)) for error in errors[:3])
        reason = f"{reason} — erreurs d'enregistrements : {shown}".strip(" —")
    if state == "limit_reached":
        limit = (status.get("params") or {}).get("error") or {}
        reason = reason or f"limite {limit.get('limit_type', '?')} atteinte ({limit.get('value')})"
        hint = "trop d'enregistrements pour la limite du portail : contactez son administrateur"
    elif state == "idle":
        reason = reason or "le traitement s'est terminé mais le jeu n'est pas en ligne"
        hint = "vérifiez dans le back-office qu'aucune dépublication n'est en cours, puis relancez"
    else:
        hint = "corrigez le fichier ou ses paramètres de lecture (séparateur, encodage) et relancez"
    return PortalError(
        f"la publication du jeu {label} a échoué (statut {state}) : {reason or 'sans détail'}",
        error_code=str(state),
        dataset_id=label,
        hint=hint,
    )
