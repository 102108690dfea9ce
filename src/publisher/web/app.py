"""The officer's web page (`publisher serve`): check a file privately, browse the federation.

Starlette routes over the library: an upload goes to `uploads.receive_upload` (private
temporary folder, size cap, CSRF), is checked by `validation.check_file` against the schema
picked or detected (`detect.py`), corrected by `fix.fix_table`, then deleted; the result lives
in memory only (`results.py`) and is shown with the HTML report's own templates and CSS. The
browse page reads `federation.FederationView`. Pages are French, or English with `?lang=en`
(kept in a cookie).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from publisher.errors import InputFileError, PublisherError
from publisher.fix import default_target, fix_table
from publisher.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, Translator, translator
from publisher.model import load_schema_registry
from publisher.reports import build_document, render_json
from publisher.reports.html import finding_groups, template_environment, template_helpers
from publisher.schemas import SchemaRegistry
from publisher.validation import check_file
from publisher.web.detect import Detection, detect_schema
from publisher.web.federation import FederationView
from publisher.web.results import Examination, ResultStore
from publisher.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SECURITY_HEADERS,
    SecurityHeaders,
    TrustedHosts,
    csrf_token,
    token_matches,
    trusted_hosts,
)
from publisher.web.uploads import (
    Upload,
    UploadRefused,
    forged,
    receive_upload,
    request_folder,
    shown_size,
)

LANG_COOKIE = "publisher_lang"
LOG = logging.getLogger("publisher.web")
DETECT = "detecter"
REPORT_CSS = "report.css"


@dataclass(frozen=True)
class WebSettings:
    """How the server was started: the data repository, the upload cap, where uploads go
    (None: the system's temporary folder), the language when the browser asks none and the
    address listened on (the `Host` a request may name, besides the loopback ones)."""

    root: Path
    max_upload: int
    upload_root: Path | None = None
    language: str = SOURCE_LANGUAGE
    host: str = "127.0.0.1"


class Pages:
    """Jinja pages of the web application, on top of the report's templates."""

    def __init__(self) -> None:
        self.environment = template_environment("publisher.web")

    def render(
        self, request: Request, name: str, *, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """The page `name` in the browser's language, with the CSRF token its forms carry."""
        tr = request_translator(request)
        token = csrf_token(request)
        html = self.environment.get_template(name).render(
            **template_helpers(tr),
            lang=tr.language,
            other_lang="en" if tr.language == SOURCE_LANGUAGE else SOURCE_LANGUAGE,
            path=request.url.path,
            csrf_field=CSRF_FIELD,
            csrf=token,
            max_upload=shown_size(request.app.state.settings.max_upload),
            **context,
        )
        response = HTMLResponse(html, status_code=status_code)
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(LANG_COOKIE, tr.language, samesite="strict")
        return response

    def error(self, request: Request, status: int, message: str, hint: str = "") -> HTMLResponse:
        return self.render(
            request, "erreur.html.j2", status_code=status, message=message, hint=hint
        )


def request_translator(request: Request) -> Translator:
    """`?lang=` first, then the cookie it left, then the server's language."""
    for asked in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if asked in LANGUAGES:
            return translator(asked)
    return translator(request.app.state.settings.language)


def create_app(settings: WebSettings) -> Starlette:
    """The application for the data repository at `settings.root`."""
    app = Starlette(
        routes=[
            Route("/", home),
            Route("/controle", check, methods=["POST"]),
            Route("/resultat/{token}", result),
            Route("/resultat/{token}/rapport.json", result_report),
            Route("/resultat/{token}/copie-corrigee.csv", result_copy),
            Route("/resultat/{token}/oublier", forget, methods=["POST"]),
            Route("/federation", federation),
            Route(f"/static/{REPORT_CSS}", report_css),
            Mount("/static", StaticFiles(packages=[("publisher.web", "static")]), name="static"),
        ],
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                TrustedHosts,
                allowed_hosts=trusted_hosts(settings.host),
                language=settings.language,
            ),
        ],
        exception_handlers={HTTPException: http_error, Exception: internal_error},
    )
    app.state.settings = settings
    app.state.registry = load_schema_registry(settings.root)
    app.state.pages = Pages()
    app.state.results = ResultStore()
    app.state.federation = FederationView(settings.root)
    return app


def _pages(request: Request) -> Pages:
    return request.app.state.pages


async def home(request: Request) -> Response:
    registry: SchemaRegistry = request.app.state.registry
    return _pages(request).render(
        request,
        "accueil.html.j2",
        schemas=list(registry),
        forgotten=request.query_params.get("oublie") == "1",
    )


async def check(request: Request) -> Response:
    """Receive the file, check it, keep the result in memory, delete the file, redirect."""
    settings: WebSettings = request.app.state.settings
    try:
        with request_folder(settings.upload_root) as folder:
            upload = await receive_upload(
                request.headers.get("content-type", ""),
                request.headers.get("content-length"),
                request.stream(),
                folder,
                settings.max_upload,
                partial(token_matches, request),
            )
            examination = await run_in_threadpool(examine, upload, request.app.state.registry)
    except UploadRefused as refusal:
        return _refused(request, refusal)
    except PublisherError as error:
        # the library's own words, never its path: here that is the server's temporary file
        return _pages(request).error(request, 422, error.message, error.hint or "")
    except Exception as error:  # a bug: its message or traceback could quote the file
        if os.environ.get("PUBLISHER_DEBUG"):
            raise
        LOG.error("Erreur interne (%s) pendant un contrôle de fichier.", type(error).__name__)
        return await internal_error(request, error)
    token = request.app.state.results.put(request.cookies[CSRF_COOKIE], examination)
    return RedirectResponse(f"/resultat/{token}", status_code=303)


def examine(upload: Upload, registry: SchemaRegistry) -> Examination:
    """Check the uploaded file against the schema asked, or the one its header suggests, and
    prepare its corrected copy."""
    path = upload.path
    if path is None:
        raise UploadRefused(N_("Choisissez le fichier à contrôler, puis envoyez de nouveau."), 400)
    detection = None
    if upload.fields.get("action") == DETECT:
        is_csv = path.suffix == ".csv"
        detection = detect_schema(path, registry) if is_csv else Detection((), tabular=False)
        schema = detection.chosen
    elif upload.fields.get("schema", "").strip():
        schema = registry.resolve(upload.fields["schema"])
    else:
        raise UploadRefused(
            N_("Choisissez un schéma dans la liste, ou « Détecter le schéma et contrôler »."), 400
        )
    validation = check_file(path, schema, shown_path=upload.shown_name)
    fixed, refusal = None, None
    if schema is not None and schema.is_tabular and path.suffix == ".csv":
        try:
            fixed = fix_table(path, schema)
        except InputFileError as error:
            refusal = error.message
    return Examination(upload.shown_name, upload.size, validation, detection, fixed, refusal)


def _examination(request: Request) -> Examination:
    found = request.app.state.results.get(
        request.cookies.get(CSRF_COOKIE, ""), request.path_params["token"]
    )
    if found is None:
        raise HTTPException(404)
    return found


async def result(request: Request) -> Response:
    examination = _examination(request)
    tr = request_translator(request)
    document = build_document(examination.validation, language=tr.language)
    return _pages(request).render(
        request,
        "resultat.html.j2",
        doc=document,
        groups=finding_groups(document["findings"]),
        examination=examination,
        token=request.path_params["token"],
        size=shown_size(examination.size),
    )


async def result_report(request: Request) -> Response:
    examination = _examination(request)
    document = build_document(examination.validation, language=request_translator(request).language)
    name = f"rapport-{Path(examination.shown_name).stem}.json"
    return Response(render_json(document), media_type="application/json", headers=_attachment(name))


async def result_copy(request: Request) -> Response:
    examination = _examination(request)
    if examination.fixed is None:
        raise HTTPException(404)
    name = default_target(Path(examination.shown_name)).name
    return Response(
        examination.fixed.data, media_type="text/csv; charset=utf-8", headers=_attachment(name)
    )


def _attachment(name: str) -> dict[str, str]:
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {
        "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''"
        + quote(name)
    }


async def forget(request: Request) -> Response:
    form = await request.form()
    if not token_matches(request, str(form.get(CSRF_FIELD, ""))):
        return _refused(request, forged())
    request.app.state.results.forget(
        request.cookies.get(CSRF_COOKIE, ""), request.path_params["token"]
    )
    return RedirectResponse("/?oublie=1", status_code=303)


def _refused(request: Request, refusal: UploadRefused) -> Response:
    message = request_translator(request).gettext(refusal.message).format(**refusal.params)
    return _pages(request).error(request, refusal.status, message)


async def federation(request: Request) -> Response:
    view: FederationView = request.app.state.federation
    try:
        status = await run_in_threadpool(view.status)
    except PublisherError as error:
        return _pages(request).error(request, 500, str(error))
    tr = request_translator(request)
    document = build_document(status.validation, language=tr.language)
    try:
        audit = await run_in_threadpool(status.audit, tr.language)
    except PublisherError as error:
        return _pages(request).error(request, 500, str(error))
    audits = {commune.slug: commune for commune in audit.communes}
    return _pages(request).render(
        request, "federation.html.j2", doc=document, status=status, audits=audits
    )


async def report_css(request: Request) -> Response:
    """The HTML report's stylesheet, the very file the report inlines."""
    pages = _pages(request)
    source, _, _ = pages.environment.loader.get_source(pages.environment, REPORT_CSS)
    return Response(source, media_type="text/css; charset=utf-8")


async def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    tr = request_translator(request)
    messages = {
        404: tr.gettext(
            "Cette page n'existe pas, ou ce résultat a été oublié : un résultat n'est gardé "
            "que quelques minutes, dans la mémoire du serveur, pour le navigateur qui a "
            "envoyé le fichier."
        ),
        405: tr.gettext("Cette adresse ne s'utilise pas ainsi : passez par les pages du site."),
    }
    message = messages.get(error.status_code, tr.gettext("La demande n'a pas pu être traitée."))
    return _pages(request).error(request, error.status_code, message)


async def internal_error(request: Request, error: Exception) -> Response:
    """A bug: a French page, with the safe headers (this answer bypasses the middleware)."""
    tr = request_translator(request)
    response = _pages(request).error(
        request,
        500,
        tr.gettext(
            "Erreur interne de publisher ({name}) : rien n'a été gardé du fichier. Signalez-la "
            "aux mainteneurs avec le nom du schéma choisi."
        ).format(name=type(error).__name__),
    )
    response.headers.update(SECURITY_HEADERS)
    return response
