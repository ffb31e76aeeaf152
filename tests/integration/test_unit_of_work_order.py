"""The unit of work's commit order against PostgreSQL: concurrent writers
reach the hub in id order, and a COMMIT whose answer is lost or that is
cancelled leaves no hole and holds nothing."""

import asyncio

import pytest

from leopard.keys import BROKER, ENGINE
from leopard.live import events
from leopard.live.broker import MemoryBroker
from leopard.live.hub import Hub
from leopard.services import work as work_module
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work

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
        await sse.nothing(0.3)


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
