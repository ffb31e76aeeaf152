"""LEOPARD_BROKER=postgres: fan-out across processes with LISTEN/NOTIFY.

Each transaction's events are sent with pg_notify inside that transaction, so
PostgreSQL delivers them exactly when (and only if) it commits, in commit order.
Every process LISTENs on one dedicated connection and hands what it hears to its
own hub. If that connection drops, it reconnects and every local stream replays
from its last id, so nothing committed during the gap is lost.
"""

import asyncio
import json
import logging
import uuid
from dataclasses import replace

import aiopg

from ..auth.usercache import UserCache
from ..queries.notifications import get_notification_by_id
from . import events
from .broker import commit_time
from .hub import Event

log = logging.getLogger("leopard.broker")

CHANNEL = "leopard"
# PostgreSQL refuses payloads of 8000 bytes or more; stay well below.
MAX_PAYLOAD = 7500
NOTIFY_ALL = "SELECT pg_notify(%s, p) FROM unnest(%s::text[]) AS p"


def _encode(user_id, event: Event) -> dict:
    return {
        "u": user_id,
        "e": event.event,
        "d": event.data,
        "i": event.id,
        "t": event.type,
    }


def chunks(messages, committed_at: float) -> list[str]:
    """Payloads of at most MAX_PAYLOAD bytes. A notification too big for one is
    sent as its id, and the listener reads it from the database."""
    out, batch, size = [], [], 0
    for user_id, event in messages:
        item = json.dumps(_encode(user_id, event), ensure_ascii=False)
        if len(item.encode()) > MAX_PAYLOAD - 200:
            item = json.dumps(
                {
                    "u": user_id,
                    "e": event.event,
                    "i": event.id,
                    "t": event.type,
                    "ref": True,
                }
            )
        if batch and size + len(item.encode()) > MAX_PAYLOAD - 100:
            out.append(batch)
            batch, size = [], 0
        batch.append(item)
        size += len(item.encode()) + 1
    if batch:
        out.append(batch)
    # The nonce keeps two equal payloads of one transaction from being merged.
    return [
        f'{{"n":"{uuid.uuid4().hex[:8]}","c":{committed_at},"m":[{",".join(b)}]}}'
        for b in out
    ]


class PostgresBroker:
    def __init__(self, hub, engine, dsn: str, users: UserCache | None = None):
        self.hub = hub
        self.engine = engine
        self.dsn = dsn
        # Cached users are safe only while this process hears every change.
        self.users = UserCache() if users is None else users
        self.users.pause()
        self.listening = asyncio.Event()
        self.backend_pid: int | None = None  # of the LISTEN connection

    def hears_everything(self) -> bool:
        """False while the LISTEN connection is down: events committed then
        reach local streams only by the catch-up that follows its return."""
        return self.listening.is_set()

    async def stage(self, conn, messages) -> None:
        await conn.execute(NOTIFY_ALL, (CHANNEL, chunks(messages, commit_time())))

    def committed(self, ticket) -> None:
        """Nothing to do after the commit: PostgreSQL delivers the NOTIFY, to
        every process in commit order (the order of each recipient's ids)."""

    def commit_unknown(self, ticket) -> None:
        """Nothing to do: the NOTIFY goes out if and only if it committed."""

    async def user_changed(self, user_id: int, ended: str | None = None) -> None:
        """As MemoryBroker.user_changed, in every process: at once in this one,
        in the others when the NOTIFY arrives."""
        self.users.forget(user_id)
        if ended:
            self.hub.close_user(user_id, ended)
        body = {"n": uuid.uuid4().hex[:8], "user": user_id, "end": ended}
        payload = json.dumps(body)
        async with self.engine.acquire() as conn:
            await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))

    async def run(self) -> None:
        """Listen until cancelled; reconnect (with backoff) whenever the
        connection is lost, then have every local stream catch up."""
        delay, gap = 0.1, False
        while True:
            try:
                async with aiopg.connect(
                    self.dsn, timeout=10, connect_timeout=3
                ) as conn:
                    async with conn.cursor() as cur:
                        await cur.execute(f"LISTEN {CHANNEL}")
                    self.backend_pid = await conn.get_backend_pid()
                    if gap:
                        log.info("broker listener back; streams catch up")
                        self.hub.resync_all()
                    self.users.resume()
                    self.listening.set()
                    delay = 0.1
                    while True:
                        message = await conn.notifies.get()
                        await self.dispatch(message.payload)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - any loss means reconnect
                self.listening.clear()
                self.users.pause()
                gap = True
                log.warning(
                    "broker listener lost (%s); retrying in %.1fs",
                    str(exc).strip() or type(exc).__name__,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def dispatch(self, payload: str) -> None:
        body = json.loads(payload)
        if "user" in body:
            self.users.forget(body["user"])
            if body["end"]:
                self.hub.close_user(body["user"], body["end"])
            return
        for m in body["m"]:
            user_id = m["u"]
            if not self.hub.count(user_id):
                continue
            if m.get("ref"):
                async with self.engine.acquire() as conn:
                    row = await get_notification_by_id(conn, m["i"])
                if row is None:  # deleted since
                    continue
                event = events.notification(row)
            else:
                event = Event(m["e"], m["d"], id=m["i"], type=m["t"])
            self.hub.publish(user_id, replace(event, committed_at=body["c"]))
