"""delivered_at, written in batches rather than one UPDATE per event."""

import asyncio
import logging

from ..queries.notifications import mark_delivered
from ..store.db import UNAVAILABLE, first_line

log = logging.getLogger("leopard.delivery")


class DeliveryLog:
    """Collects the ids written to streams; `run` flushes them every `interval`.

    Bounded: if the database stays away and `limit` ids wait, further ids are
    not recorded (delivered_at is informative; the notifications are safe).
    """

    def __init__(self, engine, interval: float = 0.5, limit: int = 100_000):
        self.engine = engine
        self.interval = interval
        self.limit = limit
        self._ids: set[int] = set()

    def add(self, notification_id: int) -> None:
        if len(self._ids) < self.limit:
            self._ids.add(notification_id)

    async def flush(self) -> None:
        if not self._ids:
            return
        ids, self._ids = self._ids, set()
        try:
            async with self.engine.acquire() as conn:
                await mark_delivered(conn, sorted(ids))
        except UNAVAILABLE as exc:
            log.warning("delivered_at not written yet: %s", first_line(exc))
            self._ids |= set(list(ids)[: self.limit - len(self._ids)])

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.flush()
