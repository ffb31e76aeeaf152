"""Helpers of the order tests: concurrent writers, readers of ids, and the
one check they all make."""

import asyncio

from .sse import SSE

ROUNDS = 3
WRITERS = 16
EACH = 40
TYPES = ("SYSTEM", "TASK_UPDATED")


async def ids_of(engine, user_id, types=None) -> list[int]:
    """The recipient's notification ids in the database, in id order."""
    sql = "SELECT id FROM notifications WHERE assigned_to = %s"
    params = [user_id]
    if types:
        sql += " AND notification_type = ANY(%s)"
        params.append(list(types))
    async with engine.acquire() as conn:
        result = await conn.execute(sql + " ORDER BY id", params)
        return [row.id for row in await result.fetchall()]


async def read(sse, n: int, timeout: float = 20) -> list[int]:
    return [int((await sse.until("notification", timeout)).id) for _ in range(n)]


def assert_in_order(got: list[int], expected: list[int]) -> None:
    """Strictly increasing, nothing twice, nothing missing."""
    backwards = [(a, b) for a, b in zip(got, got[1:], strict=False) if b <= a]
    assert not backwards, f"written out of order: {backwards[:5]}"
    assert got == expected


async def post(client, admin, recipients, title, kind="SYSTEM") -> list[int]:
    resp = await client.post(
        "/api/v1/notifications/",
        json={"recipients": recipients, "title": title, "notification_type": kind},
        headers=admin.headers,
    )
    assert resp.status == 201, await resp.text()
    return (await resp.json())["ids"]


async def writers(client, admin, user_id, count=WRITERS, each=EACH, tag="w"):
    async def one(n):
        for i in range(each):
            await post(client, admin, [user_id], f"{tag}{n}-{i}", TYPES[(n + i) % 2])

    await asyncio.gather(*(one(n) for n in range(count)))


async def cut_again_and_again(client, person, total, rng) -> tuple[list[int], int]:
    """Read `total` ids, dropping the connection after a random k-th event
    (or at once, before any) and reconnecting with the last id received."""
    got: list[int] = []
    connections = 0
    while len(got) < total:
        # The first connection too: the writers may have begun already.
        headers = {**person.headers, "Last-Event-ID": str(got[-1] if got else 0)}
        # Not SSE.open, which skips to the unread count: past the replay.
        resp = await client.get("/api/v1/notifications/stream/", headers=headers)
        assert resp.status == 200
        sse = SSE(resp)
        for _ in range(min(rng.randint(0, 12), total - len(got))):
            got.append(int((await sse.until("notification", 20)).id))
        resp.close()
        connections += 1
    return got, connections
