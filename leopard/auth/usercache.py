"""The users that requests authenticate as, cached per process for a few seconds.

Every request and stream open looks up its token's user. A client sends many
requests with one token, so the row is kept for USER_CACHE_SECONDS after it was
read. A change made through Leopard empties the entry at once: in this process
when the change commits, in the others when the broker's message arrives
(services.users.update_user → broker.user_changed). While the postgres broker
cannot listen, that message could be missed, so the cache is not used until it
listens again. A change made to the table directly, not through Leopard, is
seen within USER_CACHE_SECONDS.
"""

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
