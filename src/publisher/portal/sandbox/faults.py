"""Fault injection and rate limiting in front of the sandbox portal (an ASGI middleware).

A flaky network and a busy portal are what the client must survive, so the sandbox can
produce them on purpose: errors in the portal's shapes, answers lost after the work was done,
connections cut in the middle of an upload, bursts of 429 and a per-key rate limit, both with
`Retry-After` and `X-RateLimit-*` headers.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publisher.portal.sandbox.settings import Faults

WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})
EXPLORE_PREFIX = "/api/explore/"


class DroppedConnection(Exception):
    """Raised after the answer has started, so that the server cuts the connection."""


class _QuietDrops(logging.Filter):
    """Keep the server log free of the tracebacks of connections cut on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


class FaultInjector:
    """Wraps the sandbox application; every `/api/` call draws its fate once."""

    def __init__(self, app: ASGIApp, faults: Faults):
        self.app = app
        self.faults = faults
        self._random = random.Random(faults.seed)
        self._burst_left = 0
        self._windows: dict[str, tuple[float, int]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        faults = self.faults
        if faults.latency:
            await asyncio.sleep(faults.latency)
        wait = self._rate_limited(scope)
        if wait is not None:
            await _too_many(scope, send, faults, wait)
            return
        if self._burst_left:
            self._burst_left -= 1
            await _too_many(scope, send, faults, faults.retry_after)
            return
        draw = self._random.random()
        if draw < faults.burst_rate:
            self._burst_left = max(faults.burst_length - 1, 0)
            await _too_many(scope, send, faults, faults.retry_after)
            return
        draw -= faults.burst_rate
        if draw < faults.error_rate:
            await self._error(scope, receive, send)
            return
        draw -= faults.error_rate
        if draw < faults.drop_rate:
            await self._drop(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _error(self, scope: Scope, receive: Receive, send: Send) -> None:
        status = self._random.choice((500, 502, 503, 504))
        if status == 504:  # the gateway gave up, the portal did the work
            await self.app(scope, receive, _swallow)
        body = {
            "error_code": "internal_error",
            "message": "A server error occurred.",
            "trace_id": str(uuid.uuid4()),
        }
        await _answer(send, status, body)

    async def _drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Cut the connection: mid-body for an upload, after the work for other writes."""
        content_type = dict(scope["headers"]).get(b"content-type", b"")
        if content_type.startswith(b"multipart/"):
            await receive()  # the first part of the upload arrives, then the line drops
        elif scope["method"] in WRITE_METHODS:
            await self.app(scope, receive, _swallow)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-length", b"1024"), (b"content-type", b"application/json")],
            }
        )
        raise DroppedConnection

    def _rate_limited(self, scope: Scope) -> float | None:
        """Seconds until the caller's window reopens, or None when the call is allowed."""
        limit = self.faults.rate_limit
        if limit is None:
            return None
        caller = _caller_id(scope)
        now = time.monotonic()
        start, count = self._windows.get(caller, (now, 0))
        if now - start >= self.faults.rate_window:
            start, count = now, 0
        if count >= limit:
            return self.faults.rate_window - (now - start)
        self._windows[caller] = (start, count + 1)
        return None


async def _swallow(message: Message) -> None:
    """Where the portal's answer goes when the network loses it."""


def _caller_id(scope: Scope) -> str:
    """The key a call is counted against (hashed: the sandbox keeps no key in memory)."""
    headers = dict(scope["headers"])
    credential = headers.get(b"authorization", b"") + b"?" + scope.get("query_string", b"")
    return hashlib.sha256(credential).hexdigest()


async def _too_many(scope: Scope, send: Send, faults: Faults, wait: float) -> None:
    reset = datetime.now(UTC) + timedelta(seconds=wait)
    if scope["path"].startswith(EXPLORE_PREFIX):
        body: dict[str, Any] = {
            "errorcode": 10002,
            "reset_time": reset.isoformat(timespec="seconds"),
            "limit_time_unit": "minute",
            "call_limit": faults.rate_limit or 0,
            "error": "Too many requests on the domain. Please contact the domain administrator.",
        }
    else:
        body = {"error_code": "too_many_requests", "message": "Trop de requêtes, réessayez."}
    headers = {
        "X-RateLimit-Limit": str(faults.rate_limit or 0),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": str(int(reset.timestamp())),
    }
    if faults.retry_after_header:
        headers["Retry-After"] = f"{max(wait, 0.0):g}"
    await _answer(send, 429, body, headers)


async def _answer(
    send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    payload = json.dumps(body).encode()
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        *((name.lower().encode(), value.encode()) for name, value in (headers or {}).items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload})
