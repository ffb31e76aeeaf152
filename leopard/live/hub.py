"""Per-user sets of bounded subscriptions: subscribe / unsubscribe / publish.

No aiohttp and no SQL here. Publishing costs the number of the recipient's open
streams. Overflow policy: a subscription whose buffer is full is closed (reason
"overflow") rather than blocking the publisher or growing; its client reconnects
and catches up by replay from Last-Event-ID.
"""

import asyncio
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    """One frame for a user's streams; `data` is serialised once, shared by all."""

    event: str
    data: str
    id: int | None = None
    type: str | None = None  # the notification type, for `?types=` filters
    committed_at: float | None = None  # time.time() of the commit, for latency


# Not a frame: tells a stream to replay from its last id, after a broker gap.
RESYNC = Event(event="resync", data="")


class Subscription:
    """One open stream's buffer of events: `push` from the publisher (never
    blocking: a full buffer closes the subscription), `wait` and `take` from
    the stream's writer. `types` narrows which notifications it keeps; events
    without a type (read, unread_count, RESYNC) always pass."""

    __slots__ = (
        "user_id",
        "types",
        "maxsize",
        "closed",
        "on_overflow",
        "_items",
        "_waiter",
    )

    def __init__(self, user_id: int, maxsize: int, types: frozenset | None = None):
        self.user_id = user_id
        self.types = types
        self.maxsize = maxsize
        self.closed: str | None = None
        # Called when the buffer overflows: the stream's writer may be stuck on
        # a client that does not read, and only cutting the connection frees it.
        self.on_overflow = None
        self._items: deque[Event] = deque()
        self._waiter: asyncio.Future | None = None

    def push(self, event: Event) -> bool:
        if self.closed:
            return False
        if event.type is not None and self.types and event.type not in self.types:
            return False
        if len(self._items) >= self.maxsize:
            self.close("overflow")
            if self.on_overflow is not None:
                self.on_overflow()
            return False
        self._items.append(event)
        self._wake()
        return True

    def close(self, reason: str) -> None:
        if not self.closed:
            self.closed = reason
            self._items.clear()
            self._wake()

    def _wake(self):
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def pending(self) -> int:
        return len(self._items)

    def take(self) -> list[Event]:
        """Everything buffered now, oldest first."""
        items = list(self._items)
        self._items.clear()
        return items

    async def wait(self) -> None:
        """Until an event is buffered or the subscription is closed."""
        if self._items or self.closed:
            return
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None


class Hub:
    """The open streams of this process, by user: `subscribe` when a stream
    opens, `unsubscribe` when it ends, `publish` an event to every stream of
    one user. Each subscription holds at most `queue_size` events."""

    def __init__(self, queue_size: int = 1000):
        self.queue_size = queue_size
        self._subs: dict[int, set[Subscription]] = {}

    def subscribe(self, user_id: int, types=None) -> Subscription:
        sub = Subscription(
            user_id, self.queue_size, frozenset(types) if types else None
        )
        self._subs.setdefault(user_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        subs = self._subs.get(sub.user_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subs[sub.user_id]

    def count(self, user_id: int | None = None) -> int:
        if user_id is not None:
            return len(self._subs.get(user_id, ()))
        return sum(len(s) for s in self._subs.values())

    def publish(self, user_id: int, event: Event) -> int:
        """Buffer event on each of user_id's streams; return how many took it."""
        subs = self._subs.get(user_id)
        if not subs:
            return 0
        return sum(sub.push(event) for sub in tuple(subs))

    def close_user(self, user_id: int, reason: str) -> None:
        for sub in tuple(self._subs.get(user_id, ())):
            sub.close(reason)

    def resync_all(self) -> None:
        """Ask every stream to catch up from the database (events may be lost)."""
        for subs in tuple(self._subs.values()):
            for sub in tuple(subs):
                sub.push(RESYNC)

    def close_all(self, reason: str = "shutdown") -> None:
        for subs in tuple(self._subs.values()):
            for sub in tuple(subs):
                sub.close(reason)
