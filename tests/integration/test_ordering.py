"""One recipient's notification ids commit in increasing order, whatever the
concurrency, so a replay from Last-Event-ID can never skip one."""

import asyncio
import random

from leopard.live.broker import MemoryBroker
from leopard.live.hub import Hub
from leopard.queries.notifications import replay_notifications
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work


async def write(engine, broker, user_id, hold=0.0, inserted=None):
    async with unit_of_work(engine, broker) as work:
        [row] = await create_notifications(
            work, [NewNotification(user_id, "SYSTEM", "x")]
        )
        if inserted is not None:
            inserted.set()
        if hold:
            await work.conn.execute("SELECT pg_sleep(%s)", (hold,))
    return row.id


async def test_a_later_writer_waits_for_the_earlier_ones_commit(engine, make_user):
    alice = await make_user()
    broker = MemoryBroker(Hub())
    inserted = asyncio.Event()

    async def fast():
        await inserted.wait()  # starts while `slow` holds its transaction open
        fast_id = await write(engine, broker, alice.id)
        # Read as soon as fast's COMMIT returned (not when slow's coroutine
        # resumes, which may come later whatever the commit order): without
        # the per-recipient lock, fast would have committed a larger id while
        # slow's smaller one was still uncommitted.
        async with engine.acquire() as conn:
            visible = await replay_notifications(conn, alice.id, 0, limit=10)
        return fast_id, [row.id for row in visible]

    slow_id, (fast_id, visible) = await asyncio.gather(
        write(engine, broker, alice.id, hold=0.5, inserted=inserted), fast()
    )
    assert slow_id < fast_id
    assert visible == [slow_id, fast_id]


async def test_writers_to_different_recipients_do_not_wait_for_each_other(
    engine, make_user
):
    alice, bob = await make_user(), await make_user()
    broker = MemoryBroker(Hub())
    loop = asyncio.get_running_loop()
    slow = asyncio.create_task(write(engine, broker, alice.id, hold=1.0))
    await asyncio.sleep(0.1)
    started = loop.time()
    await write(engine, broker, bob.id)
    assert loop.time() - started < 0.5
    await slow


async def test_a_reader_replaying_from_its_last_id_never_misses_one(engine, make_user):
    alice = await make_user()
    broker = MemoryBroker(Hub())
    written: list[int] = []
    seen: list[int] = []
    done = asyncio.Event()

    async def writer():
        for _ in range(15):
            written.append(
                await write(engine, broker, alice.id, hold=random.random() * 0.02)
            )

    async def reader():
        last = 0
        while True:
            finished = done.is_set()
            async with engine.acquire() as conn:
                rows = await replay_notifications(conn, alice.id, last)
            seen.extend(r.id for r in rows)
            last = rows[-1].id if rows else last
            if finished:
                return
            await asyncio.sleep(0.001)

    reading = asyncio.create_task(reader())
    await asyncio.gather(*(writer() for _ in range(6)))
    done.set()
    await reading
    assert len(written) == 90
    assert seen == sorted(written)
