"""One open stream, without HTTP: where it starts, the catch-up from the
database, then the subscription's events until it ends.

The handler (handlers/stream.py) keeps the request and the response; this
gets the engine, the delivery log, the user and a function that writes one
frame."""

import asyncio
import logging
import time

from .. import metrics
from ..queries import notifications as q
from ..store.db import UNAVAILABLE, first_line
from . import events
from .hub import RESYNC

log = logging.getLogger("leopard.stream")

REPLAY_PAGE = 500
# While the database does not answer, a resync is tried again this often.
RESYNC_RETRY = 1.0


class Stream:
    """`cursor` is the newest notification id the client has (or had no need
    of), so a catch-up replays exactly what it lacks."""

    def __init__(self, engine, delivery, user_id: int, last_id: int | None, types):
        self.engine, self.delivery, self.user_id = engine, delivery, user_id
        self.cursor, self.types = last_id, types
        self.sub = None
        self.write = None  # async (data, id=…, event=…), given to run()
        self.replayed_to = 0  # live notifications up to here came by replay
        self._count = None  # a new client's unread count, until it is sent

    async def start(self, hub, hears_everything: bool):
        """Subscribe, and decide where the client starts; return the
        subscription. The subscription comes before every query, so what
        commits meanwhile is buffered, and duplicates of replayed ids are
        skipped: there is no gap.

        - With Last-Event-ID: right after it (catch_up replays the rest).
        - A new client: from now, that is from the newest id after the
          subscription; what committed in between is buffered and sent even
          though it is not above that id (it was not replayed).
        - A new client while the broker may miss events (the postgres broker's
          LISTEN connection is down): from the newest id before the
          subscription, as a client with Last-Event-ID would be, since what
          commits in between would be neither heard nor replayed.
        """
        if self.cursor is None and not hears_everything:
            self.cursor, _ = await self._start_query()
        self.sub = hub.subscribe(self.user_id, self.types)
        if self.cursor is None:
            self.cursor, self._count = await self._start_query()
        return self.sub

    async def _start_query(self):
        async with self.engine.acquire() as conn:
            return await q.stream_start(conn, self.user_id)

    async def run(self, write, expires_at: float) -> str:
        """Catch up, then write events as they come; return why the stream
        ends. The token's expiry closes the subscription: one timer per
        stream, not one per wait."""
        self.write = write
        await self.catch_up()
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

    async def send(self, event) -> None:
        if event is RESYNC:
            await self.catch_up(patient=True)
        elif event.id is not None:
            if event.id <= self.replayed_to:
                return
            await self.write(event.data, id=str(event.id), event=event.event)
            self.cursor = max(self.cursor, event.id)
            self.delivery.add(event.id)
            metrics.delivered(event)
        else:
            await self.write(event.data, event=event.event)

    async def catch_up(self, patient: bool = False) -> None:
        """Replay after the cursor, oldest first, then the unread count (a new
        client has nothing to replay: its count came with its start). One
        query a page, the count with it: stream opens are what a reconnect
        storm is made of. `patient`: see _page."""
        if self._count is not None:
            count, self._count = self._count, None
        else:
            count = await self._replay(patient)
            self.replayed_to = self.cursor
        await self.send(events.unread_count(count))

    async def _replay(self, patient: bool) -> int:
        while True:
            rows, count = await self._page(patient)
            for row in rows:
                await self.send(events.notification(row))
            if len(rows) < REPLAY_PAGE:
                return count

    async def _page(self, patient: bool):
        """The next page after the cursor. A patient read (the catch-up after a
        gap in the live events, which a database outage may have caused: a
        COMMIT cut off with the database) waits for the database instead of
        ending the stream: it tries again every RESYNC_RETRY seconds while
        the stream stays open and pings. Nothing live is written meanwhile
        (it waits in the subscription's buffer, which ends the stream if it
        fills), so the client never holds an id past the gap; the stream
        ends if its subscription does."""
        logged = False
        while True:
            try:
                async with self.engine.acquire() as conn:
                    return await q.catch_up(
                        conn, self.user_id, self.cursor, self.types, REPLAY_PAGE
                    )
            except UNAVAILABLE as exc:
                if not patient or self.sub.closed:
                    raise
                if not logged:
                    logged = True
                    log.warning(
                        "stream user=%s waits for the database to catch up: %s",
                        self.user_id,
                        first_line(exc),
                    )
            await asyncio.sleep(RESYNC_RETRY)
