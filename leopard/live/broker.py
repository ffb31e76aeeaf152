"""Brokers hand committed events to the streams that should see them.

The unit of work calls `ticket = await stage(conn, messages)` inside its
transaction, as its last step before COMMIT, then `committed(ticket)` once the
commit succeeded, or `commit_unknown(ticket)` when its outcome is unknown.
MemoryBroker serves one process: it hands each event to the local hub after the
commit, in commit order (see CommitOrder). PostgresBroker (pgbroker.py) serves
several: its NOTIFY is delivered by PostgreSQL at commit, in commit order.
"""

import time
from collections import deque
from dataclasses import replace
from typing import Protocol

from ..auth.usercache import UserCache
from .hub import RESYNC


class Broker(Protocol):
    """What the unit of work, the stream handler and the user service need."""

    users: UserCache

    def hears_everything(self) -> bool: ...

    async def stage(self, conn, messages) -> object: ...

    def committed(self, ticket) -> None: ...

    def commit_unknown(self, ticket) -> None: ...

    async def user_changed(self, user_id: int, ended: str | None = None) -> None: ...


def commit_time() -> float:
    """What both brokers stamp a transaction's events with, for the
    delivery-latency histogram: the wall clock, comparable across processes."""
    return time.time()


class Ticket:
    """One transaction's messages, from its stage to the end of its commit."""

    __slots__ = ("messages", "outcome", "committed_at")

    def __init__(self, messages):
        self.messages = messages
        self.outcome: str | None = None  # "committed" or "unknown"
        self.committed_at: float | None = None


class CommitOrder:
    """Releases transactions' events in the order they were staged.

    Why it is needed: the coroutines whose COMMITs return close together resume
    in any order, so publishing "after my commit" would let a stream write 14
    before 13; a client cut off between the two would reconnect with
    `Last-Event-ID: 14` and never get 13.

    Why stage order is commit order for each recipient: a transaction stages
    while it still holds its recipients' advisory locks (queries.notifications),
    and the next writer to any of them gets the lock, and so draws its ids and
    stages, only after that COMMIT. So a ticket is released once it and every
    ticket staged before it have finished. The wait this adds is the spread of
    commit round trips that overlap, nothing more: staging is the last step
    before COMMIT.

    A ticket whose commit outcome is unknown (the connection broke on COMMIT,
    the task was cancelled) releases, in its place, a RESYNC to each of its
    recipients' streams: they catch up from the database, which holds the
    notifications if and only if the transaction committed.
    """

    def __init__(self, deliver):
        self.deliver = deliver  # (user_id, event) → None
        self._queue: deque[Ticket] = deque()

    def __len__(self) -> int:
        return len(self._queue)

    def stage(self, messages) -> Ticket:
        ticket = Ticket(messages)
        self._queue.append(ticket)
        return ticket

    def committed(self, ticket: Ticket) -> None:
        ticket.outcome = "committed"
        # Stamped now, not when released: the latency histogram shows the wait.
        ticket.committed_at = commit_time()
        self._release()

    def unknown(self, ticket: Ticket) -> None:
        ticket.outcome = "unknown"
        self._release()

    def _release(self) -> None:
        queue, deliver = self._queue, self.deliver
        while queue and queue[0].outcome is not None:
            ticket = queue.popleft()
            if ticket.outcome == "committed":
                at = ticket.committed_at
                for user_id, event in ticket.messages:
                    deliver(user_id, replace(event, committed_at=at))
            else:
                for user_id in dict.fromkeys(user for user, _ in ticket.messages):
                    deliver(user_id, RESYNC)


class MemoryBroker:
    def __init__(self, hub, users: UserCache | None = None):
        self.hub = hub
        self.users = UserCache() if users is None else users
        self.order = CommitOrder(hub.publish)

    def hears_everything(self) -> bool:
        """Whether every event committed from now on reaches the hub."""
        return True

    async def stage(self, conn, messages) -> Ticket:
        """Nothing is sent inside the transaction: its place in line is taken."""
        return self.order.stage(messages)

    def committed(self, ticket: Ticket) -> None:
        """After the commit: deliver [(user_id, Event)] in order, once every
        transaction staged earlier has finished too."""
        self.order.committed(ticket)

    def commit_unknown(self, ticket: Ticket) -> None:
        """The commit may or may not have happened: the recipients' streams
        catch up from the database instead."""
        self.order.unknown(ticket)

    async def user_changed(self, user_id: int, ended: str | None = None) -> None:
        """After a user's row changed: forget the cached row and, with a
        reason (deactivated, say), close every open stream of the user."""
        self.users.forget(user_id)
        if ended:
            self.hub.close_user(user_id, ended)
