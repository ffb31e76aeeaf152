"""The memory broker's commit order, at the unit level: transactions that
finish their COMMITs in any order reach the streams in the order they staged,
and one whose COMMIT outcome is unknown sends its recipients' streams back to
the database instead of leaving a hole."""

import asyncio

import pytest

from leopard import events
from leopard.broker import CommitOrder, MemoryBroker
from leopard.hub import RESYNC, Event, Hub
from leopard.keys import BROKER, ENGINE
from leopard.services import work as work_module
from leopard.services.notifications import NewNotification, create
from leopard.services.work import unit_of_work

from .sse import SSE


def note(i, type_="SYSTEM"):
    return Event("notification", f'{{"id":{i}}}', id=i, type=type_)


def released():
    out = []
    return out, CommitOrder(lambda user, event: out.append((user, event.id, event)))


def test_commits_that_return_out_of_order_are_released_in_stage_order():
    out, order = released()
    first = order.stage([(1, note(13))])
    second = order.stage([(1, note(14)), (2, note(15))])
    third = order.stage([(1, note(16))])
    order.committed(third)
    order.committed(second)
    assert out == []  # 13 is not out yet, so nothing after it is
    order.committed(first)
    assert [(u, i) for u, i, _ in out] == [(1, 13), (1, 14), (2, 15), (1, 16)]
    assert len(order) == 0
    assert all(e.committed_at is not None for _, _, e in out)


def test_a_ticket_whose_commit_is_unknown_resyncs_its_recipients_in_its_place():
    out, order = released()
    lost = order.stage([(1, note(13)), (2, note(14)), (1, note(15))])
    after = order.stage([(1, note(16))])
    order.committed(after)
    assert out == []
    order.unknown(lost)
    # 13-15 are never pushed (they may not exist); each recipient once catches
    # up from the database, and only then comes 16.
    assert [(u, e) for u, _, e in out[:2]] == [(1, RESYNC), (2, RESYNC)]
    assert [(u, i) for u, i, _ in out[2:]] == [(1, 16)]


def test_a_filtered_stream_gets_its_types_in_order_and_the_rest_does_not_hold_it():
    hub = Hub()
    broker = MemoryBroker(hub)
    typed = hub.subscribe(1, ["TASK_ASSIGNED"])
    tickets = [
        broker.order.stage([(1, note(i, "SYSTEM" if i % 2 else "TASK_ASSIGNED"))])
        for i in range(10, 20)
    ]
    for ticket in reversed(tickets):
        broker.publish(ticket)
    assert [e.id for e in typed.take()] == [10, 12, 14, 16, 18]


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
                await create(work, [NewNotification(alice.id, "SYSTEM", "x")])

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
                [lost] = await create(work, [NewNotification(alice.id, "SYSTEM", "a")])
        monkeypatch.setattr(work_module.Transaction, "end", end)
        async with unit_of_work(app[ENGINE], app[BROKER]) as work:
            [later] = await create(work, [NewNotification(alice.id, "SYSTEM", "b")])
        first, second = await sse.until("notification"), await sse.until("notification")
        assert [int(first.id), int(second.id)] == [lost.id, later.id]
        assert first.json["title"] == "a"
        await sse.nothing(0.3)


async def test_a_commit_cancelled_in_flight_leaves_nothing_waiting(engine, make_user):
    """A cancelled COMMIT must not hold every later transaction's events."""
    alice = await make_user()
    hub = Hub()
    broker = MemoryBroker(hub)
    sub = hub.subscribe(alice.id)

    async def write(title):
        async with unit_of_work(engine, broker) as work:
            await create(work, [NewNotification(alice.id, "SYSTEM", title)])
            work.tell(alice.id, events.unread_count(0))
            if title == "cancelled":
                asyncio.current_task().cancel()  # lands on the COMMIT's await

    with pytest.raises(asyncio.CancelledError):
        await asyncio.create_task(write("cancelled"))
    await write("after")
    assert len(broker.order) == 0
    assert [e.event for e in sub.take()] == [
        "resync",
        "notification",
        "unread_count",
    ]
