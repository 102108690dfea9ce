"""Safe defaults of every answer: strict headers, and the CSRF token of every form.

CSRF uses the double-submit pattern: a random token in a `SameSite=Strict`, `HttpOnly` cookie,
repeated in a hidden field of each form; a POST is accepted only when both are present and
equal, and when its `Origin` (if the browser sends one) is this server. No server-side session
is needed. The token also marks the browser that owns a result (see `results.py`).
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
