"""Brokers hand committed events to the streams that should see them.

MemoryBroker serves one process: it gives each event straight to the local hub.
"""

import time
from dataclasses import replace


def stamped(messages):
    """The messages with their commit time, for the delivery-latency histogram."""
    now = time.monotonic()
    return [(user_id, replace(event, committed_at=now)) for user_id, event in messages]


class MemoryBroker:
    def __init__(self, hub):
        self.hub = hub

    async def publish(self, messages) -> None:
        """Deliver [(user_id, Event)] in order; call only after the commit."""
        for user_id, event in stamped(messages):
            self.hub.publish(user_id, event)

    async def end_streams(self, user_id: int, reason: str) -> None:
        """Close every open stream of user_id (deactivated, say)."""
        self.hub.close_user(user_id, reason)
