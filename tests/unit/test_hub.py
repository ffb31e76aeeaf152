"""The hub without HTTP: per-user fan-out, filters, bounds and closing."""

import asyncio

from leopard.live.hub import Event, Hub


def note(i, type_="SYSTEM"):
    return Event("notification", f'{{"id":{i}}}', id=i, type=type_)


def test_publish_reaches_every_stream_of_the_user_and_no_other():
    hub = Hub()
    a1, a2, b = hub.subscribe(1), hub.subscribe(1), hub.subscribe(2)
    assert hub.publish(1, note(10)) == 2
    assert [e.id for e in a1.take()] == [10]
    assert [e.id for e in a2.take()] == [10]
    assert b.take() == []
    assert hub.publish(3, note(11)) == 0


def test_a_type_filter_drops_other_notifications_but_not_sync_events():
    hub = Hub()
    sub = hub.subscribe(1, ["TASK_ASSIGNED"])
    hub.publish(1, note(1, "SYSTEM"))
    hub.publish(1, note(2, "TASK_ASSIGNED"))
    hub.publish(1, Event("read", '{"ids":[2]}'))
    assert [(e.event, e.id) for e in sub.take()] == [
        ("notification", 2),
        ("read", None),
    ]


def test_an_overflowing_stream_is_closed_and_never_blocks_the_publisher():
    hub = Hub(queue_size=3)
    slow, fast = hub.subscribe(1), hub.subscribe(1)
    for i in range(3):
        hub.publish(1, note(i))
        fast.take()
    assert slow.pending() == 3 and not slow.closed
    assert hub.publish(1, note(99)) == 1  # only the stream that keeps up
    assert slow.closed == "overflow" and slow.pending() == 0
    assert [e.id for e in fast.take()] == [99]
    assert hub.publish(1, note(100)) == 1


def test_unsubscribe_forgets_the_user_when_their_last_stream_goes():
    hub = Hub()
    a, b = hub.subscribe(1), hub.subscribe(1)
    assert hub.count(1) == 2 and hub.count() == 2
    hub.unsubscribe(a)
    hub.unsubscribe(b)
    hub.unsubscribe(b)  # twice is harmless
    assert hub.count(1) == 0 and hub.count() == 0
    assert hub._subs == {}


async def test_wait_wakes_on_publish_and_on_close():
    hub = Hub()
    sub = hub.subscribe(1)
    waiter = asyncio.create_task(sub.wait())
    await asyncio.sleep(0)
    assert not waiter.done()
    hub.publish(1, note(1))
    await asyncio.wait_for(waiter, 1)
    sub.take()
    waiter = asyncio.create_task(sub.wait())
    await asyncio.sleep(0)
    hub.close_user(1, "deactivated")
    await asyncio.wait_for(waiter, 1)
    assert sub.closed == "deactivated"
    assert hub.publish(1, note(2)) == 0


def test_close_all_closes_every_stream():
    hub = Hub()
    subs = [hub.subscribe(u) for u in (1, 1, 2, 3)]
    hub.close_all()
    assert all(s.closed == "shutdown" for s in subs)
