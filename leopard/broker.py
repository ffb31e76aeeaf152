"""Brokers hand committed events to the streams that should see them.

The unit of work calls `stage(conn, messages)` inside its transaction and
`publish(messages)` after the commit. MemoryBroker serves one process: it hands
each event straight to the local hub after the commit. PostgresBroker
(pgbroker.py) serves several: its NOTIFY is delivered by PostgreSQL at commit.
"""

import time
from dataclasses import replace

from .usercache import UserCache


def stamped(messages, at: float | None = None):
    """The messages with their commit time (wall clock, comparable across
    processes), for the delivery-latency histogram."""
    at = time.time() if at is None else at
    return [(user_id, replace(event, committed_at=at)) for user_id, event in messages]


class MemoryBroker:
    def __init__(self, hub, users: UserCache | None = None):
        self.hub = hub
        self.users = UserCache() if users is None else users

    def hears_everything(self) -> bool:
        """Whether every event committed from now on reaches the hub."""
        return True

    async def stage(self, conn, messages) -> None:
        """Nothing to do inside the transaction: this broker waits for the commit."""

    async def publish(self, messages) -> None:
        """Deliver [(user_id, Event)] in order; called only after the commit."""
        for user_id, event in stamped(messages):
            self.hub.publish(user_id, event)

    async def user_changed(self, user_id: int, ended: str | None = None) -> None:
        """After a user's row changed: forget the cached row and, with a
        reason (deactivated, say), close every open stream of the user."""
        self.users.forget(user_id)
        if ended:
            self.hub.close_user(user_id, ended)
