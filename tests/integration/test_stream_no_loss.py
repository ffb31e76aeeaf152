"""Hundreds of notifications created concurrently for one user while three
streams read them, one reconnecting midway: every id exactly once per stream."""

import asyncio

from ..support.sse import SSE

TOTAL = 300
WRITERS = 10


async def read_ids(sse, stop_after: int, ids: list[int]):
    while len(ids) < stop_after:
        frame = await sse.until("notification", timeout=15)
        ids.append(int(frame.id))


async def test_no_notification_is_lost_or_doubled_on_any_stream(client, make_user):
    admin, alice = await make_user("admin"), await make_user()

    async def writer(n):
        for i in range(TOTAL // WRITERS):
            resp = await client.post(
                "/api/v1/notifications/",
                json={"recipients": [alice.id], "title": f"w{n}-{i}"},
                headers=admin.headers,
            )
            assert resp.status == 201

    steady: list[list[int]] = [[], []]
    reconnecting: list[int] = []
    async with (
        SSE.open(client, headers=alice.headers) as s1,
        SSE.open(client, headers=alice.headers) as s2,
        SSE.open(client, headers=alice.headers) as s3,
    ):
        writing = asyncio.gather(*(writer(n) for n in range(WRITERS)))
        readers = [
            asyncio.create_task(read_ids(s, TOTAL, ids))
            for s, ids in ((s1, steady[0]), (s2, steady[1]))
        ]
        await read_ids(s3, TOTAL // 3, reconnecting)
        s3.resp.close()  # drop it midway; the writers go on meanwhile
        await asyncio.sleep(0.05)
        last = reconnecting[-1]
        resp = await client.get(
            "/api/v1/notifications/stream/",
            headers={**alice.headers, "Last-Event-ID": str(last)},
        )
        await read_ids(SSE(resp), TOTAL, reconnecting)
        await writing
        await asyncio.gather(*readers)
        resp.close()

    listed = await client.get("/api/v1/notifications/?limit=200", headers=alice.headers)
    assert (await listed.json())["count"] == TOTAL
    for ids in (*steady, reconnecting):
        assert len(ids) == TOTAL
        assert len(set(ids)) == TOTAL
    assert set(steady[0]) == set(steady[1]) == set(reconnecting)
