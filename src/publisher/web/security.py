"""Safe defaults of every answer: strict headers, and the CSRF token of every form.

CSRF uses the double-submit pattern: a random token in a `SameSite=Strict`, `HttpOnly` cookie,
repeated in a hidden field of each form; a POST is accepted only when both are present and
equal, and when its `Origin` (if the browser sends one) is this server. No server-side session
is needed. The token also marks the browser that owns a result (see `results.py`).

Against DNS rebinding (a foreign site whose name is made to point at this machine), a request
is answered only when its `Host` header names this server: a loopback name, or the address
given to `--host` (with the machine's own names when that address is a wildcard).
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import secrets
import socket
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publisher.i18n import N_, translator

CSRF_COOKIE = "publisher_csrf"
CSRF_FIELD = "csrf"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
"""No inline script or style anywhere (CSS and JS are files); pages and results are never
cached, since they may quote an officer's data. The referrer stays within the site (the
addresses of results never leave it), and is kept there because with `no-referrer` browsers
send `Origin: null` with a plain form, which the origin check must refuse."""


class SecurityHeaders:
    """ASGI middleware adding `SECURITY_HEADERS` to every response, errors included."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_TRUSTED = "publisher.trusted_host"


def trusted_hosts(host: str) -> list[str]:
    """The names a browser may use to reach a server listening on `host`: the loopback names,
    `host` itself and, when `host` is a wildcard (0.0.0.0, ::), the machine's own names and
    addresses. IPv6 addresses are written in brackets, as in a `Host` header."""
    names = {*LOOPBACK_HOSTS, host.strip("[]").lower()}
    try:
        wildcard = ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        wildcard = False
    if wildcard:
        machine = {socket.gethostname(), socket.getfqdn()}
        names |= {name.lower() for name in machine}
        for name in machine:
            with contextlib.suppress(OSError):
                names |= {str(info[4][0]) for info in socket.getaddrinfo(name, None)}
    return sorted(f"[{name}]" if ":" in name else name for name in names if name)


class TrustedHosts(TrustedHostMiddleware):
    """Starlette's `TrustedHostMiddleware`, its refusal (400) worded in the server's
    language."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str], language: str):
        async def trusted(scope: Scope, receive: Receive, send: Send) -> None:
            scope[_TRUSTED] = True
            await app(scope, receive, send)

        super().__init__(trusted, allowed_hosts=allowed_hosts, www_redirect=False)
        self.refusal = translator(language).gettext(
            N_(
                "Cette adresse ne désigne pas ce serveur : ouvrez la page à l'adresse que "
                "publisher serve a affichée à son démarrage."
            )
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return

        async def answer(message: Message) -> None:
            if scope.get(_TRUSTED):
                await send(message)
            elif message["type"] == "http.response.start":  # the refusal, said in French
                await PlainTextResponse(self.refusal, status_code=400)(scope, receive, send)

        await super().__call__(scope, receive, answer)


def csrf_token(request: Request) -> str:
    """The browser's token, or a new one (set as a cookie by the page that shows it)."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


def same_origin(headers: Headers) -> bool:
    """A browser sends `Origin` with a POST: it must name this very server."""
    origin = headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc == headers.get("host")


def token_matches(request: Request, submitted: str) -> bool:
    """The form's token equals the cookie's, and the request comes from this server's pages."""
    expected = request.cookies.get(CSRF_COOKIE, "")
    return (
        bool(expected)
        and hmac.compare_digest(expected.encode(), submitted.encode())
        and same_origin(request.headers)
    )
