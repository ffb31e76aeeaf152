"""GET /api/v1/notifications/stream/: the caller's notifications as they commit."""

import asyncio
import logging
import math
import random
import time

from aiohttp import web
from aiohttp_apispec import docs, querystring_schema
from aiohttp_sse import EventSourceResponse

from .. import events, metrics, tokens
from ..auth import STREAM_COOKIE, public, stream_auth
from ..errors import BadQuery, TooManyStreams
from ..hub import RESYNC
from ..keys import BROKER, CLAIMS, DELIVERY, ENGINE, HUB, QUERY, SETTINGS, USER
from ..queries import notifications as q
from ..schemas.common import MAX_ID, Error
from ..schemas.notifications import StreamQuery
from .users import ERRORS

log = logging.getLogger("leopard.stream")

# A write that a client does not take within this long marks it stalled; the
# kernel gets the same bound (TCP_USER_TIMEOUT) through aiohttp-sse.
SEND_TIMEOUT = 10.0
# Heartbeats fall on a grid of this many seconds (at most), so that the pings of
# thousands of streams come in a few wakeups rather than one each.
PING_SLOT = 1.0
REPLAY_PAGE = 500
COOKIE_PATH = "/api/v1/notifications/stream/"

STREAM_DOC = """`text/event-stream`. Starts with `retry:`; with `Last-Event-ID`
(or `?last_event_id=`) replays the caller's later notifications oldest first;
then `event: unread_count`; then, live: `event: notification` (with `id:`, data
the notification), `event: read|unread|deleted` (data `{"ids": [...]}` or
`{"all": true}`, no id) followed by `event: unread_count` (data
`{"unread_count": N}`), and `: ping` every LEOPARD_SSE_HEARTBEAT seconds.
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


class EventStream(EventSourceResponse):
    """aiohttp-sse's response, cheaper per event and spread out in its pings.

    - `send` writes Leopard's own events (a plain id and name, one line of
      JSON) without checking or splitting them;
    - a write is armed with the send timeout (a timer each) only when the
      client has left enough unread in the socket's buffer that the write
      could wait for it to drain;
    - the first heartbeat comes after a random part of the interval: streams
      opened together (a reconnect storm, a benchmark) would otherwise all
      ping in the same instant, every interval, for as long as they live;
      and heartbeats fall on a grid of PING_SLOT, so the pings due close
      together are written in one wakeup.
    """

    ROOMY = 16 * 1024  # far below the transport's high-water mark (64 KiB)
    PING = b": ping\n\n"

    async def _write_frame(self, frame: bytes) -> None:
        transport = self._req.transport if self._req is not None else None
        roomy = transport is not None and (
            transport.get_write_buffer_size() + len(frame) <= self.ROOMY
        )
        try:
            if roomy:
                await self.write(frame)
            else:
                async with asyncio.timeout(self._send_timeout):
                    await self.write(frame)
        except ConnectionResetError:
            self.stop_streaming()
            raise
        except TimeoutError:
            self.stop_streaming()
            self._abort_transport()
            raise

    async def send(self, data, id=None, event=None, retry=None):
        if retry is not None or "\n" in data or "\r" in data:
            return await super().send(data, id=id, event=event, retry=retry)
        head = f"id: {id}\n" if id is not None else ""
        if event is not None:
            head += f"event: {event}\n"
        await self._write_frame(f"{head}data: {data}\n\n".encode())

    async def _ping(self) -> None:
        loop = asyncio.get_running_loop()
        interval = self._ping_interval
        slot = min(PING_SLOT, interval / 8)
        due = loop.time() + random.uniform(0, interval)
        while True:
            # On a grid of slots: the pings due in one slot share one wakeup of
            # the event loop (each wakeup of an idle process costs more than
            # the ping it sends).
            due = math.ceil(due / slot) * slot
            woken = loop.create_future()
            timer = loop.call_at(due, _wake, woken)
            try:
                await woken
            finally:
                timer.cancel()
            due += interval
            try:
                await self._write_frame(self.PING)
            except (TimeoutError, ConnectionResetError, RuntimeError):
                break  # RuntimeError: written after the end


def _wake(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def _cut_off(request):
    def cut():
        if request.transport is not None:
            request.transport.abort()

    return cut


class Stream:
    """One open stream: catch up from the database, then the subscription's
    events until it ends. `cursor` is the newest notification id the client has
    (or had no need of), so a catch-up replays exactly what it lacks."""

    def __init__(self, request, resp, sub, cursor: int, types):
        self.app, self.resp, self.sub = request.app, resp, sub
        self.user_id = request[USER].id
        self.delivery = request.app[DELIVERY]
        self.cursor, self.types = cursor, types
        self.replayed_to = 0  # live notifications up to here came by replay

    async def send(self, event) -> None:
        if event is RESYNC:
            await self.catch_up()
        elif event.id is not None:
            if event.id <= self.replayed_to:
                return
            await self.resp.send(event.data, id=str(event.id), event=event.event)
            self.cursor = max(self.cursor, event.id)
            self.delivery.add(event.id)
            metrics.delivered(event)
        else:
            await self.resp.send(event.data, event=event.event)

    async def catch_up(self) -> None:
        """Replay after the cursor, oldest first, then the unread count. One
        query a page, the count with it: stream opens are what a reconnect
        storm is made of. A new client (cursor None) starts from now."""
        engine = self.app[ENGINE]
        if self.cursor is None:
            # Nothing is replayed: what committed after the subscription and
            # before this query is buffered, and must not be skipped as replayed.
            async with engine.acquire() as conn:
                self.cursor, count = await q.stream_start(conn, self.user_id)
        else:
            count = await self._replay(engine)
            self.replayed_to = self.cursor
        await self.send(events.unread_count(count))

    async def _replay(self, engine) -> int:
        while True:
            async with engine.acquire() as conn:
                rows, count = await q.catch_up(
                    conn, self.user_id, self.cursor, self.types, REPLAY_PAGE
                )
            for row in rows:
                await self.send(events.notification(row))
            if len(rows) < REPLAY_PAGE:
                return count

    async def pump(self, expires_at: float) -> str:
        """Write events as they come; return why the stream ends. The token's
        expiry closes the subscription: one timer per stream, not one per wait."""
        delay = max(0.0, expires_at - time.time())
        expiry = asyncio.get_running_loop().call_later(delay, self.sub.close, "expired")
        try:
            while not self.sub.closed:
                await self.sub.wait()
                for event in self.sub.take():
                    await self.send(event)
            return self.sub.closed
        finally:
            expiry.cancel()


@stream_auth
@docs(
    tags=["notifications"],
    summary="The live stream (Server-Sent Events)",
    description=STREAM_DOC,
    produces=["text/event-stream"],
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
    if last_id is None and not app[BROKER].hears_everything():
        # What commits between the subscription and the start query would be
        # neither heard nor replayed: start from before the subscription, as a
        # client with Last-Event-ID would (see Stream.catch_up).
        async with app[ENGINE].acquire() as conn:
            last_id, _ = await q.stream_start(conn, user.id)
    # Subscribe before the catch-up query (or, for a new client, the query of
    # where it starts): what commits meanwhile is buffered, and duplicates of
    # replayed ids are skipped, so there is no gap.
    sub = hub.subscribe(user.id, query.get("types"))
    opened, reason = time.monotonic(), "disconnected"
    log.info("stream open user=%s streams=%d", user.id, hub.count(user.id))
    try:
        resp = EventStream(
            ping_interval=settings.sse_heartbeat, send_timeout=SEND_TIMEOUT, sep="\n"
        )
        await resp.prepare(request)
        # A client this far behind is cut off at once; it reconnects and replays.
        sub.on_overflow = _cut_off(request)
        async with resp:
            await resp.write(f"retry: {settings.sse_retry_ms}\n\n".encode())
            stream = Stream(request, resp, sub, last_id, query.get("types"))
            await stream.catch_up()
            reason = await stream.pump(float(request[CLAIMS]["exp"]))
    except ConnectionResetError:
        reason = "disconnected"
    except TimeoutError:  # aiohttp-sse's send timeout: the client stopped reading
        reason = "stalled"
    finally:
        hub.unsubscribe(sub)
        reason = sub.closed or reason
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
        secure=request.secure,
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
    resp.del_cookie(STREAM_COOKIE, path=COOKIE_PATH)
    return resp
