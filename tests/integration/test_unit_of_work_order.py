"""The unit of work's commit order against PostgreSQL: concurrent writers
reach the hub in id order, and a COMMIT whose answer is lost or that is
cancelled leaves no hole and holds nothing."""

import asyncio
import logging
from urllib.parse import urlsplit

import pytest

from leopard.keys import BROKER, ENGINE
from leopard.live import events
from leopard.live import session as session_module
from leopard.live.broker import MemoryBroker
from leopard.live.hub import Hub
from leopard.services import work as work_module
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.users import create_user
from leopard.services.work import unit_of_work
from leopard.store.db import admin_sql

from ..conftest import Person
from ..support.outage import outage
from ..support.sse import SSE


async def test_the_unit_of_work_releases_concurrent_commits_in_id_order(
    engine, make_user
):
    """Many writers to one recipient, for real: the hub sees increasing ids."""
    alice = await make_user()
    hub = Hub(queue_size=10_000)
    broker = MemoryBroker(hub)
    sub = hub.subscribe(alice.id)

    async def writer():
        for _ in range(25):
            async with unit_of_work(engine, broker) as work:
                await create_notifications(
                    work, [NewNotification(alice.id, "SYSTEM", "x")]
                )

    await asyncio.gather(*(writer() for _ in range(12)))
    got = [e.id for e in sub.take()]
    assert len(got) == 300
    assert got == sorted(got)
    assert len(broker.order) == 0


async def test_a_commit_that_fails_after_committing_is_caught_up_from_the_database(
    client, make_user, monkeypatch
):
    """The COMMIT reaches PostgreSQL but its answer never reaches Leopard: the
    notification exists, was never pushed, and the stream fetches it itself
    before anything later."""
    alice = await make_user()
    app = client.server.app
    end = work_module.Transaction.end

    async def commit_then_fail(self, commit):
        await end(self, commit)
        if commit:
            raise ConnectionResetError("the answer to COMMIT was lost")

    async with SSE.open(client, headers=alice.headers) as sse:
        monkeypatch.setattr(work_module.Transaction, "end", commit_then_fail)
        with pytest.raises(ConnectionResetError):
            async with unit_of_work(app[ENGINE], app[BROKER]) as work:
                [lost] = await create_notifications(
                    work, [NewNotification(alice.id, "SYSTEM", "a")]
                )
        monkeypatch.setattr(work_module.Transaction, "end", end)
        async with unit_of_work(app[ENGINE], app[BROKER]) as work:
            [later] = await create_notifications(
                work, [NewNotification(alice.id, "SYSTEM", "b")]
            )
        first, second = await sse.until("notification"), await sse.until("notification")
        assert [int(first.id), int(second.id)] == [lost.id, later.id]
        assert first.json["title"] == "a"
        # Nothing twice. (An unread count may follow: b came live or, when it
        # committed before the catch-up's read, in the replay.)
        with pytest.raises(TimeoutError):
            await sse.until("notification", timeout=0.3)


async def test_a_commit_cancelled_in_flight_leaves_nothing_waiting(
    engine, make_user, monkeypatch
):
    """A cancelled COMMIT must not hold every later transaction's events."""
    alice = await make_user()
    hub = Hub()
    broker = MemoryBroker(hub)
    sub = hub.subscribe(alice.id)
    end = work_module.Transaction.end
    committing = asyncio.Event()

    async def slow_commit(self, commit):
        if commit:  # the COMMIT is in flight until the test cancels the task
            committing.set()
            await asyncio.sleep(10)
        await end(self, commit)

    async def write(title):
        async with unit_of_work(engine, broker) as work:
            await create_notifications(
                work, [NewNotification(alice.id, "SYSTEM", title)]
            )
            work.tell(alice.id, events.unread_count(0))

    monkeypatch.setattr(work_module.Transaction, "end", slow_commit)
    cancelled = asyncio.create_task(write("cancelled"))
    await committing.wait()
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    monkeypatch.setattr(work_module.Transaction, "end", end)
    await write("after")
    assert len(broker.order) == 0
    assert [e.event for e in sub.take()] == [
        "resync",
        "notification",
        "unread_count",
    ]


async def test_a_commit_lost_with_the_database_is_caught_up_when_it_is_back(
    fresh_database, server_url, make_app, serve, settings, monkeypatch, caplog
):
    """The COMMIT goes through, then the database goes down before its answer
    reaches Leopard. The stream cannot catch up yet: it stays open (pings
    carry on) and catches up once the database is back, the lost notification
    before anything later. A fresh database, so the outage touches no other
    test."""
    monkeypatch.setattr(session_module, "RESYNC_RETRY", 0.05)
    with fresh_database() as url:
        name = urlsplit(url).path.lstrip("/")
        client = await serve(make_app(database_url=url, sse_heartbeat=0.2))
        app = client.server.app
        row = await create_user(app[ENGINE], username="alice", password="pw-long-one")
        alice = Person(row, "pw-long-one", settings)
        end = work_module.Transaction.end

        async def commit_then_outage(self, commit):
            await end(self, commit)
            if commit:
                outage(server_url, name, keep_pid=0)
                raise ConnectionResetError("the answer to COMMIT was lost")

        async with SSE.open(client, headers=alice.headers) as sse:
            monkeypatch.setattr(work_module.Transaction, "end", commit_then_outage)
            try:
                with pytest.raises(ConnectionResetError):
                    async with unit_of_work(app[ENGINE], app[BROKER]) as work:
                        [lost] = await create_notifications(
                            work, [NewNotification(alice.id, "SYSTEM", "a")]
                        )
                monkeypatch.setattr(work_module.Transaction, "end", end)
                pings = 0
                while pings < 4:  # still open, four heartbeats into the outage
                    frame = await sse.frame(timeout=2)
                    assert frame.comment == "ping", frame
                    pings += 1
            finally:
                admin_sql(
                    server_url, f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'
                )
            # Nothing else is written: the lost one comes by the retried catch-up.
            caught_up = await sse.until("notification")
            assert (int(caught_up.id), caught_up.json["title"]) == (lost.id, "a")
            async with unit_of_work(app[ENGINE], app[BROKER]) as work:
                [later] = await create_notifications(
                    work, [NewNotification(alice.id, "SYSTEM", "b")]
                )
            assert int((await sse.until("notification")).id) == later.id
    waits = [r for r in caplog.records if "waits for the database" in r.getMessage()]
    assert len(waits) == 1 and waits[0].levelno == logging.WARNING
