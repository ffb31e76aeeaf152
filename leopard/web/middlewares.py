"""Errors as the contract's JSON, metrics, and writes shielded from disconnects."""

import asyncio
import logging
import time

from aiohttp import web

from .. import metrics
from ..errors import LeopardError
from ..keys import STATUS
from ..store.db import UNAVAILABLE, first_line
from .logs import route_name

log = logging.getLogger("leopard.http")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "service_unavailable",
}


def error_response(status, message, *, code=None, fields=None, headers=None):
    error = {"status": status, "code": code or CODES.get(status, "error")}
    error["message"] = message
    if fields:
        error["fields"] = fields
    return web.json_response({"error": error}, status=status, headers=headers)


def _headers(exc: web.HTTPException) -> dict:
    keep = ("Allow", "WWW-Authenticate", "Retry-After")
    return {k: v for k, v in exc.headers.items() if k in keep}


@web.middleware
async def metrics_middleware(request, handler):
    """Count every request by route name and status. Here rather than in the
    access logger: a stream its client left is cancelled and never logged."""
    started, status = time.perf_counter(), 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except asyncio.CancelledError:
        # The status already sent (a stream's 200), else nginx's 499: the
        # client closed the request before an answer.
        status = request.get(STATUS, 499)
        raise
    finally:
        metrics.observe_request(
            route_name(request), status, time.perf_counter() - started
        )


@web.middleware
async def shield_writes(request, handler):
    """A client that goes away mid-request must not cut a write in half: the
    handler runs on (commit, then publish) even when the request is cancelled."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return await handler(request)
    return await asyncio.shield(handler(request))


@web.middleware
async def error_middleware(request, handler):
    try:
        return await handler(request)
    except LeopardError as exc:
        headers = dict(exc.headers or {})
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return error_response(
            exc.status, exc.message, code=exc.code, fields=exc.fields, headers=headers
        )
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        message = exc.reason
        if exc.status == 413:
            message = "the request body is larger than 1 MiB"
        return error_response(exc.status, message, headers=_headers(exc))
    except UNAVAILABLE as exc:
        log.warning("database unavailable: %s", first_line(exc))
        return error_response(503, "the database is unavailable; try again shortly")
    except (asyncio.CancelledError, ConnectionResetError):
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal server error")
