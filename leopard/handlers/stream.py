"""GET /api/v1/notifications/stream/: the caller's notifications as they commit."""

import logging
import time

from aiohttp import web
from aiohttp_apispec import docs, querystring_schema

from ..auth import tokens
from ..errors import BadQuery, TooManyStreams
from ..keys import BROKER, CLAIMS, DELIVERY, ENGINE, HUB, QUERY, SETTINGS, USER
from ..live.session import Stream
from ..schemas.common import MAX_ID, Error
from ..schemas.notifications import StreamQuery
from ..web.address import over_tls
from ..web.auth import STREAM_COOKIE, public, stream_auth
from . import ERRORS
from .sse import EventStream

log = logging.getLogger("leopard.stream")

# A write that a client does not take within this long marks it stalled; the
# kernel gets the same bound (TCP_USER_TIMEOUT) through aiohttp-sse.
SEND_TIMEOUT = 10.0
COOKIE_PATH = "/api/v1/notifications/stream/"

STREAM_DOC = """`text/event-stream`. Starts with `retry:`; with `Last-Event-ID`
(or `?last_event_id=`) replays the caller's later notifications oldest first;
then `event: unread_count`; then, live: `event: notification` (with `id:`, data
the notification), `event: read|unread|deleted` (data `{"ids": [...]}` or
`{"all": true}`, no id) followed by `event: unread_count` (data
`{"unread_count": N}`), `event: queue` (data `{"task_id": N, "team_id": T,
"queued": true|false}`, no id, not replayed) to every active member of a team
when a task enters or leaves its queue, and `: ping` every
LEOPARD_SSE_HEARTBEAT seconds.
Authenticates by Bearer header, the `leopard_stream` cookie (see `ticket/`) or
`?access_token=`. 429 past LEOPARD_SSE_MAX_STREAMS_PER_USER open streams.

Order: notification ids are written in strictly increasing order, replayed and
live alike, whatever the number of concurrent writers or processes, and each
at most once per connection. So a client cut off at any moment that reconnects
with the last id it received (EventSource does this by itself) gets every
later notification of its filter exactly once."""


def _last_event_id(request, query) -> int | None:
    header = request.headers.get("Last-Event-ID")
    if header is None:
        return query.get("last_event_id")
    try:
        value = int(header)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_ID:
        raise BadQuery("Last-Event-ID must be a notification id")
    return value


def _cut_off(request):
    def cut():
        if request.transport is not None:
            request.transport.abort()

    return cut


@stream_auth
@docs(
    tags=["notifications"],
    summary="The live stream (Server-Sent Events)",
    description=STREAM_DOC,
    produces=["text/event-stream"],
    parameters=[
        {
            "in": "header",
            "name": "Last-Event-ID",
            "required": False,
            "type": "integer",
            "minimum": 0,
            "maximum": MAX_ID,
            "description": "the last id received: the caller's later "
            "notifications are replayed first (EventSource sends it by itself "
            "when it reconnects)",
        }
    ],
    responses={
        **ERRORS,
        200: {"description": "the event stream"},
        429: {"schema": Error, "description": "too many open streams"},
    },
)
@querystring_schema(StreamQuery)
async def stream(request: web.Request) -> web.StreamResponse:
    app, user, query = request.app, request[USER], request[QUERY]
    settings, hub = app[SETTINGS], app[HUB]
    last_id = _last_event_id(request, query)
    if hub.count(user.id) >= settings.sse_max_streams_per_user:
        raise TooManyStreams(
            f"at most {settings.sse_max_streams_per_user} open streams per user"
        )
    if request.method == "HEAD":  # the stream's headers, and no stream held open
        return web.Response(
            content_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    stream = Stream(app[ENGINE], app[DELIVERY], user.id, last_id, query.get("types"))
    resp = EventStream(
        ping_interval=settings.sse_heartbeat, send_timeout=SEND_TIMEOUT, sep="\n"
    )
    opened, reason = time.monotonic(), "disconnected"
    try:
        sub = await stream.start(hub, app[BROKER].hears_everything())
        log.info("stream open user=%s streams=%d", user.id, hub.count(user.id))
        await resp.prepare(request)
        # A client this far behind is cut off at once; it reconnects and replays.
        sub.on_overflow = _cut_off(request)
        async with resp:
            await resp.write(f"retry: {settings.sse_retry_ms}\n\n".encode())
            reason = await stream.run(resp.send, float(request[CLAIMS]["exp"]))
    except (ConnectionResetError, TimeoutError) as exc:
        if not resp.prepared:
            # Nothing was written to the client yet, so it is not the client's:
            # the pool's wait ran out. Answered as on every route (503).
            raise
        # The client left, or stopped reading (aiohttp-sse's send timeout).
        reason = "disconnected" if isinstance(exc, ConnectionResetError) else "stalled"
    finally:
        if stream.sub is not None:
            hub.unsubscribe(stream.sub)
        if resp.prepared:
            reason = stream.sub.closed or reason
            log.info(
                "stream closed user=%s reason=%s after %.1fs",
                user.id,
                reason,
                time.monotonic() - opened,
            )
    return resp


@docs(
    tags=["notifications"],
    summary="Set the stream cookie for EventSource",
    description="Answers 204 and sets `leopard_stream` (HttpOnly, SameSite=Strict, "
    "Path /api/v1/notifications/stream/), a token only the stream accepts, "
    "valid as long as the caller's token.",
    responses={**ERRORS, 204: {"description": "cookie set"}},
)
async def stream_ticket(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    ttl = max(1, int(request[CLAIMS]["exp"] - time.time()))
    token = tokens.issue(settings, request[USER].id, ttl=ttl, scope=tokens.STREAM_SCOPE)
    resp = web.Response(status=204)
    resp.set_cookie(
        STREAM_COOKIE,
        token,
        max_age=ttl,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=over_tls(request, settings.trusted_proxies),
    )
    return resp


@public
@docs(
    tags=["notifications"],
    summary="Clear the stream cookie (sign-out)",
    description="Answers 204 and expires `leopard_stream` in this browser. Needs no "
    "token, so a client whose token has run out can still sign out cleanly.",
    security=[],
    responses={204: {"description": "cookie cleared"}},
)
async def stream_ticket_clear(request: web.Request) -> web.Response:
    resp = web.Response(status=204)
    resp.del_cookie(
        STREAM_COOKIE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=over_tls(request, request.app[SETTINGS].trusted_proxies),
    )
    return resp
