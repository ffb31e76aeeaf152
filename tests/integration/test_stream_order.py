"""Every stream writes notification ids in strictly increasing order, however
many writers commit at once: a client cut off anywhere that reconnects with the
last id it received gets every later notification exactly once.

EventSource reconnects with the id of the last event it dispatched. A stream
that wrote 14 before 13 and was cut between them would make its client skip
13 for good, so each test checks the order on the wire, not only the count.
"""

import asyncio
import random
from datetime import UTC, datetime, timedelta

from leopard.keys import BROKER, ENGINE
from leopard.services import reminders

from ..support.order import (
    EACH,
    ROUNDS,
    TYPES,
    WRITERS,
    assert_in_order,
    cut_again_and_again,
    ids_of,
    post,
    read,
    writers,
)
from ..support.sse import SSE


async def test_concurrent_writers_reach_every_stream_in_strictly_increasing_order(
    client, make_user, engine
):
    admin, alice = await make_user("admin"), await make_user()
    token = alice.headers["Authorization"].removeprefix("Bearer ")
    total = WRITERS * EACH
    for round_ in range(ROUNDS):
        async with (
            SSE.open(client, headers=alice.headers) as bearer,
            SSE.open(client, params={"access_token": token}) as by_query,
            SSE.open(client, headers=alice.headers, params={"types": TYPES[1]}) as one,
        ):
            before = await ids_of(engine, alice.id)
            readers = [
                asyncio.create_task(read(bearer, total)),
                asyncio.create_task(read(by_query, total)),
                asyncio.create_task(read(one, total // 2)),
            ]
            await writers(client, admin, alice.id, tag=f"r{round_}-")
            got = await asyncio.gather(*readers)
        everything = [i for i in await ids_of(engine, alice.id) if i not in before]
        typed = await ids_of(engine, alice.id, [TYPES[1]])
        assert len(everything) == total
        assert_in_order(got[0], everything)
        assert_in_order(got[1], everything)
        assert_in_order(got[2], [i for i in typed if i in set(everything)])


async def test_a_client_cut_off_anywhere_gets_every_id_once_in_order(
    client, make_user, engine
):
    admin = await make_user("admin")
    rng = random.Random(14)
    total = WRITERS * 30
    for _ in range(ROUNDS):
        alice = await make_user()
        # Two of her streams stay open throughout, as other tabs would.
        async with (
            SSE.open(client, headers=alice.headers) as tab1,
            SSE.open(client, headers=alice.headers) as tab2,
        ):
            tabs = [asyncio.create_task(read(s, total)) for s in (tab1, tab2)]
            writing = asyncio.create_task(writers(client, admin, alice.id, each=30))
            got, connections = await cut_again_and_again(client, alice, total, rng)
            await writing
            steady = await asyncio.gather(*tabs)
        assert connections > total / 12
        everything = await ids_of(engine, alice.id)
        assert_in_order(got, everything)
        for ids in steady:
            assert_in_order(ids, everything)


async def test_broadcasts_racing_with_targeted_writers_keep_every_stream_in_order(
    client, make_user, engine
):
    admin, alice = await make_user("admin"), await make_user()

    async def broadcaster():
        for i in range(15):
            await post(client, admin, "all", f"all-{i}")

    async with (
        SSE.open(client, headers=alice.headers) as a1,
        SSE.open(client, headers=alice.headers) as a2,
    ):
        before = await ids_of(engine, alice.id)
        total = 8 * 20 + 15
        readers = [asyncio.create_task(read(s, total)) for s in (a1, a2)]
        await asyncio.gather(
            writers(client, admin, alice.id, count=8, each=20), broadcaster()
        )
        got = await asyncio.gather(*readers)
    everything = [i for i in await ids_of(engine, alice.id) if i not in before]
    assert len(everything) == total
    for ids in got:
        assert_in_order(ids, everything)


OVERDUE_TASKS = """
INSERT INTO tasks (title, due_date, assigned_to, created_by)
SELECT 'due ' || g, %(due)s, %(user)s, %(user)s FROM generate_series(1, %(n)s) AS g
"""


async def test_the_reminder_sweeper_racing_with_writers_keeps_the_stream_in_order(
    client, make_user, engine, settings
):
    admin, alice = await make_user("admin"), await make_user()
    app = client.server.app
    async with engine.acquire() as conn:
        due = datetime.now(UTC) - timedelta(minutes=5)
        await conn.execute(OVERDUE_TASKS, {"due": due, "user": alice.id, "n": 120})

    async def sweeper():
        # Small batches: many short reminder transactions among the writers'.
        for _ in range(3):
            await reminders.sweep(app[ENGINE], app[BROKER], settings, batch=4)
            await asyncio.sleep(0.01)

    async with SSE.open(client, headers=alice.headers) as sse:
        total = 8 * 20 + 120
        reading = asyncio.create_task(read(sse, total))
        await asyncio.gather(
            writers(client, admin, alice.id, count=8, each=20), sweeper(), sweeper()
        )
        got = await reading
    everything = await ids_of(engine, alice.id)
    assert len(everything) == total
    assert_in_order(got, everything)
