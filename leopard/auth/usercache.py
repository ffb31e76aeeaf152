"""The users that requests authenticate as, cached per process for a few seconds.

Every request and stream open looks up its token's user. A client sends many
requests with one token, so the row is kept for USER_CACHE_SECONDS after it was
read. A change made through Leopard empties the entry at once: in this process
when the change commits, in the others when the broker's message arrives
(services.users.update_user → broker.user_changed). While the postgres broker
cannot listen, that message could be missed, so the cache is not used until it
listens again. A change made to the table directly, not through Leopard, is
seen within USER_CACHE_SECONDS.

Rows not in the cache are read together: the lookups that miss while one
query waits for its pooled connection join it (`load`), so a reconnect storm
after a restart, thousands of users at once, reads them in a few queries, not
one round trip each.
"""

import asyncio
import time

from ..store.sql import Row

USER_CACHE_SECONDS = 5.0


class UserCache:
    def __init__(self, seconds: float = USER_CACHE_SECONDS, size: int = 4096):
        self.seconds, self.size = seconds, size
        self.enabled = True
        # Bumped by every forget: a row read before a change is not kept after it.
        self.generation = 0
        self._rows: dict[int, tuple[Row, float]] = {}
        self._batch: _Batch | None = None

    def get(self, user_id: int) -> Row | None:
        if not self.enabled:
            return None
        hit = self._rows.get(user_id)
        if hit is None:
            return None
        if hit[1] <= time.monotonic():
            del self._rows[user_id]
            return None
        return hit[0]

    def put(self, row: Row, generation: int) -> None:
        """Keep row, read when the generation was `generation`, unless a change
        came in since."""
        if not self.enabled or generation != self.generation or self.seconds <= 0:
            return
        now, rows = time.monotonic(), self._rows
        # Oldest first: drop from the front what has expired or is one too many.
        rows.pop(row.id, None)
        rows[row.id] = (row, now + self.seconds)
        while len(rows) > self.size or next(iter(rows.values()))[1] <= now:
            del rows[next(iter(rows))]

    async def load(self, user_id: int, read) -> Row | None:
        """user_id's row: from the cache, or read with every other miss since
        the last read began. `read(take)` gets a connection, calls `take()`
        for the ids, and returns their rows (an absent user has none)."""
        row = self.get(user_id)
        if row is not None:
            return row
        batch = self._batch
        if batch is None:
            batch = self._batch = _Batch()
            batch.task = asyncio.get_running_loop().create_task(self._read(batch, read))
        waiter = batch.waiting.get(user_id)
        if waiter is None:
            waiter = batch.waiting[user_id] = asyncio.get_running_loop().create_future()
        # Shielded: one caller giving up does not cancel the others' read.
        return await asyncio.shield(waiter)

    async def _read(self, batch: "_Batch", read) -> None:
        generation = None

        def take() -> list[int]:
            nonlocal generation
            if self._batch is batch:
                self._batch = None  # later misses start the next read
            generation = self.generation
            return list(batch.waiting)

        try:
            rows = {row.id: row for row in await read(take)}
        except Exception as exc:  # the database's error, for every waiter
            self._end(batch, exc)
            return
        except BaseException:  # cancelled (the loop is closing)
            self._end(batch, None)
            raise
        for user_id, waiter in batch.waiting.items():
            row = rows.get(user_id)
            if row is not None:
                self.put(row, generation)
            if not waiter.done():
                waiter.set_result(row)

    def _end(self, batch: "_Batch", error: Exception | None) -> None:
        """A read that failed: its waiters get the error (cancelled: none)."""
        if self._batch is batch:
            self._batch = None
        for waiter in batch.waiting.values():
            if waiter.done():
                continue
            if error is None:
                waiter.cancel()
            else:
                waiter.set_exception(error)

    def forget(self, user_id: int | None = None) -> None:
        """Drop user_id's row (None: every row)."""
        self.generation += 1
        if user_id is None:
            self._rows.clear()
        else:
            self._rows.pop(user_id, None)

    def pause(self) -> None:
        """Changes may be missed from now on: forget everything, keep nothing."""
        self.enabled = False
        self.forget()

    def resume(self) -> None:
        self.forget()
        self.enabled = True


class _Batch:
    """The users one read will fetch, and who waits for each."""

    __slots__ = ("waiting", "task")

    def __init__(self):
        self.waiting: dict[int, asyncio.Future] = {}
        self.task: asyncio.Task | None = None  # held: the loop keeps only weak ones
