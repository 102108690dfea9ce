"""HTTP face of the sandbox portal: the Automation and Explore routes of the contract (§7.1).

Handlers only parse the request, authenticate and format the answer; the store does the
work in a worker thread, since SQLite calls block. Every path answers with or without its
trailing slash, and errors always have the `error_code` / `message` / `detail` shape.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from publisher.portal.sandbox.faults import FaultInjector
from publisher.portal.sandbox.settings import SandboxSettings
from publisher.portal.sandbox.store import ApiError, Caller, Store

AUTOMATION = "/api/automation/v1.0"
EXPLORE = "/api/explore/v2.1"
PUSH = "/api/push/1.0"
ACTIONS = ("publish", "unpublish", "publish_metadata", "abort")
CSV_DELIMITERS = frozenset({";", ",", "\t", "|"})
UNSUPPORTED_QUERY = ("select", "where", "order_by", "group_by", "refine", "exclude")
MAX_WINDOW = 10_000

Handler = Callable[[Request], Awaitable[Response]]


def create_app(settings: SandboxSettings) -> Starlette:
    """Build the sandbox application; its state lives in `settings.state_dir`."""
    store = Store(settings)

    def routes(path: str, handler: Handler, methods: list[str]) -> list[Route]:
        return [Route(path, handler, methods=methods), Route(f"{path}/", handler, methods=methods)]

    def bind(handler: Callable[..., Awaitable[Response]], **extra: Any) -> Handler:
        return partial(handler, store, **extra)

    table = [
        *routes(f"{AUTOMATION}/datasets", bind(datasets), ["GET", "POST"]),
        *routes(f"{AUTOMATION}/datasets/{{uid}}", bind(dataset), ["GET", "PUT", "DELETE"]),
        *routes(f"{AUTOMATION}/datasets/{{uid}}/status", bind(status), ["GET"]),
        *routes(f"{AUTOMATION}/datasets/{{uid}}/resources", bind(resources), ["GET", "POST"]),
        *routes(f"{AUTOMATION}/datasets/{{uid}}/resources/files", bind(upload), ["POST"]),
        *routes(
            f"{AUTOMATION}/datasets/{{uid}}/resources/{{resource_uid}}",
            bind(resource),
            ["GET", "PUT", "DELETE"],
        ),
        *routes(f"{AUTOMATION}/datasets/{{uid}}/metadata", bind(metadata), ["GET", "PUT"]),
        *routes(
            f"{AUTOMATION}/datasets/{{uid}}/metadata/{{template}}", bind(metadata), ["GET", "PUT"]
        ),
        *routes(
            f"{AUTOMATION}/datasets/{{uid}}/metadata/{{template}}/{{field}}",
            bind(metadata),
            ["GET", "PUT", "DELETE"],
        ),
        *routes(f"{EXPLORE}/catalog/datasets", bind(catalog), ["GET"]),
        *routes(f"{EXPLORE}/catalog/datasets/{{dataset_id}}", bind(explore_dataset), ["GET"]),
        *routes(f"{EXPLORE}/catalog/datasets/{{dataset_id}}/records", bind(records), ["GET"]),
        *routes(
            f"{EXPLORE}/catalog/datasets/{{dataset_id}}/exports/{{export_format}}",
            bind(export),
            ["GET"],
        ),
    ]
    for action in ACTIONS:
        table += routes(
            f"{AUTOMATION}/datasets/{{uid}}/{action}", bind(order, action=action), ["POST"]
        )
    table += [
        *routes(f"{PUSH}/{{dataset_id}}/{{resource_uid}}/push", bind(push), ["POST"]),
        *routes(f"{PUSH}/{{dataset_id}}/{{resource_uid}}/delete", bind(push_delete), ["POST"]),
        *routes(
            f"{PUSH}/{{dataset_id}}/{{resource_uid}}/{{record_id}}/delete",
            bind(push_delete),
            ["GET"],
        ),
    ]
    faults = settings.faults
    app = Starlette(
        routes=table,
        middleware=[Middleware(FaultInjector, faults=faults)] if faults.active else [],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _internal_error,
        },
    )
    app.state.store = store
    return app


# Automation ----------------------------------------------------------------------------


async def datasets(store: Store, request: Request) -> Response:
    caller = await _caller(store, request)
    if request.method == "POST":
        body = await _body(request)
        return JSONResponse(await run_in_threadpool(store.create_dataset, caller, body), 201)
    limit, offset = _window(request, default=20, maximum=1000)
    total, results = await run_in_threadpool(
        store.list_datasets, caller, request.query_params.get("dataset_id"), limit, offset
    )
    return _page(request, total, results, limit, offset)


async def dataset(store: Store, request: Request) -> Response:
    caller = await _caller(store, request)
    uid = request.path_params["uid"]
    if request.method == "PUT":
        body = await _body(request)
        return JSONResponse(await run_in_threadpool(store.put_dataset, caller, uid, body))
    if request.method == "DELETE":
        await run_in_threadpool(store.delete_dataset, caller, uid)
        return Response(status_code=204)
    return JSONResponse(await run_in_threadpool(store.get_dataset, caller, uid))


async def status(store: Store, request: Request) -> Response:
    caller = await _caller(store, request)
    uid = request.path_params["uid"]
    return JSONResponse(await run_in_threadpool(store.status, caller, uid))


async def order(store: Store, request: Request, *, action: str) -> Response:
    caller = await _caller(store, request)
    await run_in_threadpool(store.order, caller, request.path_params["uid"], action)
    return JSONResponse({"detail": "ok"})


async def resources(store: Store, request: Request) -> Response:
    caller = await _caller(store, request)
    uid = request.path_params["uid"]
    if request.method == "POST":
        body = await _body(request)
        return JSONResponse(await run_in_threadpool(store.create_resource, caller, uid, body), 201)
    limit, offset = _window(request, default=20, maximum=1000)
    total, results = await run_in_threadpool(store.list_resources, caller, uid, limit, offset)
    return _page(request, total, results, limit, offset)


async def upload(store: Store, request: Request) -> Response:
    caller = await _caller(store, request)
    async with request.form() as form:
        part = form.get("file")
        if not isinstance(part, UploadFile) or not part.filename:
            raise ApiError(
                400,
                "validation_error",
                "Données invalides.",
                {"file": ["Une partie « file » avec un nom de fichier est attendue."]},
            )
        data = await part.read()
        name, mimetype = part.filename, part.content_type or "application/octet-stream"
    uid = request.path_params["uid"]
    return JSONResponse(await run_in_threadpool(store.add_file, caller, uid, name, data, mimetype))


async def resource(store: Store, request: Request) -> Response:
    caller = await _caller(store, request)
    uid, resource_uid = request.path_params["uid"], request.path_params["resource_uid"]
    if request.method == "PUT":
        body = await _body(request)
        answer = await run_in_threadpool(store.put_resource, caller, uid, resource_uid, body)
        return JSONResponse(answer)
    if request.method == "DELETE":
        await run_in_threadpool(store.delete_resource, caller, uid, resource_uid)
        return Response(status_code=204)
    return JSONResponse(await run_in_threadpool(store.get_resource, caller, uid, resource_uid))


async def metadata(store: Store, request: Request) -> Response:
    caller = await _caller(store, request)
    uid = request.path_params["uid"]
    template = request.path_params.get("template")
    field = request.path_params.get("field")
    if request.method == "PUT":
        body = await _body(request)
        answer = await run_in_threadpool(store.put_metadata, caller, uid, body, template, field)
        return JSONResponse(answer)
    if request.method == "DELETE":
        await run_in_threadpool(store.delete_metadata_field, caller, uid, template, field)
        return Response(status_code=204)
    return JSONResponse(await run_in_threadpool(store.get_metadata, caller, uid, template, field))


# Realtime push ---------------------------------------------------------------------------


async def push(store: Store, request: Request) -> Response:
    """Records pushed to a realtime source: one JSON object or an array of them."""
    caller = await _push_caller(store, request)
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "bad_request", "Le corps de la requête n'est pas du JSON.") from None
    items = body if isinstance(body, list) else [body]
    await run_in_threadpool(
        store.push_records,
        caller,
        request.query_params.get("pushkey"),
        request.path_params["dataset_id"],
        request.path_params["resource_uid"],
        items,
    )
    return JSONResponse({"status": "ok"})


async def push_delete(store: Store, request: Request) -> Response:
    """Delete a pushed record, named by its id or given in full."""
    caller = await _push_caller(store, request)
    record_id = request.path_params.get("record_id")
    record = None if record_id else await _body(request)
    await run_in_threadpool(
        store.delete_pushed,
        caller,
        request.query_params.get("pushkey"),
        request.path_params["dataset_id"],
        request.path_params["resource_uid"],
        record_id,
        record,
    )
    return JSONResponse({"status": "ok"})


async def _push_caller(store: Store, request: Request) -> Caller | None:
    """A push is authorised by the source's push key, or else by an API key."""
    if request.query_params.get("pushkey"):
        return None
    caller = await _caller(store, request, required=False)
    if caller is None:
        raise ApiError(401, "authentication_required", "Clé de push (pushkey) requise.")
    return caller


# Explore -------------------------------------------------------------------------------


async def catalog(store: Store, request: Request) -> Response:
    caller = await _caller(store, request, required=False)
    limit, offset = _explore_window(request)
    total, results = await run_in_threadpool(store.catalog, caller, limit, offset)
    return JSONResponse({"total_count": total, "results": results})


async def explore_dataset(store: Store, request: Request) -> Response:
    caller = await _caller(store, request, required=False)
    dataset_id = request.path_params["dataset_id"]
    return JSONResponse(await run_in_threadpool(store.explore_dataset, caller, dataset_id))


async def records(store: Store, request: Request) -> Response:
    caller = await _caller(store, request, required=False)
    limit, offset = _explore_window(request)
    _, total, page = await run_in_threadpool(
        store.explore_records, caller, request.path_params["dataset_id"], limit, offset
    )
    return JSONResponse({"total_count": total, "results": page})


async def export(store: Store, request: Request) -> Response:
    """Full export, no record cap: `json` (array of records) or `csv` (`;` and BOM)."""
    caller = await _caller(store, request, required=False)
    export_format = request.path_params["export_format"]
    if export_format not in ("csv", "json"):
        raise ApiError(
            400, "bad_request", f"Format d'export « {export_format} » non pris en charge."
        )
    _reject_queries(request)
    limit = _int_param(request, "limit", -1)
    fields, _, rows = await run_in_threadpool(
        store.explore_records,
        caller,
        request.path_params["dataset_id"],
        None if limit < 0 else limit,
        0,
    )
    if export_format == "json":
        return JSONResponse(rows)
    delimiter = request.query_params.get("delimiter", ";")
    if delimiter not in CSV_DELIMITERS:
        raise ApiError(
            400, "bad_request", "Délimiteur invalide : « ; », « , », tabulation ou « | »."
        )
    list_separator = request.query_params.get("list_separator", ",")
    with_bom = request.query_params.get("with_bom", "true").lower() != "false"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    names = [field["name"] for field in fields]
    writer.writerow(names)
    for row in rows:
        writer.writerow(_csv_cell(row.get(name), list_separator) for name in names)
    text = ("\ufeff" if with_bom else "") + buffer.getvalue()
    return Response(text.encode(), media_type="text/csv; charset=utf-8")


# Helpers -------------------------------------------------------------------------------


async def _caller(store: Store, request: Request, *, required: bool = True) -> Caller | None:
    """Key from `Authorization: apikey …` (any case) or `?apikey=`; 401 when unknown."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    key = value.strip() if scheme.lower() == "apikey" else request.query_params.get("apikey")
    if not key:
        if required:
            raise ApiError(401, "authentication_required", "Clé d'API requise.")
        return None
    caller = await run_in_threadpool(store.authenticate, key)
    if caller is None:
        raise ApiError(401, "invalid_api_key", "Clé d'API inconnue ou révoquée.")
    return caller


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "bad_request", "Le corps de la requête n'est pas du JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "Un objet JSON est attendu.")
    return body


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ApiError(
            400, "validation_error", "Données invalides.", {name: ["Un entier est attendu."]}
        ) from None


def _window(request: Request, *, default: int, maximum: int) -> tuple[int, int]:
    limit, offset = _int_param(request, "limit", default), _int_param(request, "offset", 0)
    if not 0 <= limit <= maximum:
        raise ApiError(
            400, "validation_error", "Données invalides.", {"limit": [f"Entre 0 et {maximum}."]}
        )
    if offset < 0:
        raise ApiError(400, "validation_error", "Données invalides.", {"offset": ["Positif."]})
    return limit, offset


def _explore_window(request: Request) -> tuple[int, int]:
    """Explore paging: 10 by default, 100 at most, `offset + limit` below 10 000."""
    _reject_queries(request)
    limit, offset = _window(request, default=10, maximum=100)
    if offset + limit >= MAX_WINDOW:
        raise ApiError(
            400,
            "InvalidRESTParameterError",
            f"offset + limit doit rester inférieur à {MAX_WINDOW} : utilisez les exports.",
        )
    return limit, offset


def _reject_queries(request: Request) -> None:
    """ODSQL is not imitated: say so rather than return unfiltered records."""
    for name in UNSUPPORTED_QUERY:
        if name in request.query_params:
            raise ApiError(
                400, "ODSQLError", f"Paramètre « {name} » non pris en charge par le bac à sable."
            )


def _page(request: Request, total: int, results: list[Any], limit: int, offset: int) -> Response:
    """Automation pagination envelope with absolute `next` / `previous` links."""
    following = (
        str(request.url.include_query_params(limit=limit, offset=offset + limit))
        if limit and offset + limit < total
        else None
    )
    preceding = (
        str(request.url.include_query_params(limit=limit, offset=max(offset - limit, 0)))
        if limit and offset > 0
        else None
    )
    return JSONResponse(
        {"total_count": total, "next": following, "previous": preceding, "results": results}
    )


def _csv_cell(value: Any, list_separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dict) and set(value) == {"lat", "lon"}:
        return f"{value['lat']}, {value['lon']}"
    if isinstance(value, list):
        return list_separator.join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


async def _api_error(request: Request, exc: ApiError) -> Response:
    return JSONResponse(exc.body(), exc.status)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Unknown routes and wrong methods, in the API's error shape."""
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
    return JSONResponse(
        {"error_code": code, "message": exc.detail}, exc.status_code, headers=exc.headers
    )


async def _internal_error(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {
            "error_code": "internal_error",
            "message": "Erreur interne du portail.",
            "trace_id": str(uuid.uuid4()),
        },
        500,
    )
