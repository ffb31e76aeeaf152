"""LEOPARD_BROKER=postgres: two Leopard apps on one database serve the same users."""

import asyncio

import psycopg2
import pytest

from leopard.keys import BROKER, ENGINE, HUB, USERS
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work

from ..support.sse import SSE


@pytest.fixture
async def pair(serve, make_app):
    """Two apps, as two processes would be, sharing the database and LISTENing."""
    a = await serve(make_app(broker="postgres"))
    b = await serve(make_app(broker="postgres"))
    return a, b


async def notify(app, user_id, count=1, message=""):
    async with unit_of_work(app[ENGINE], app[BROKER]) as work:
        rows = await create_notifications(
            work,
            [
                NewNotification(user_id, "SYSTEM", f"n{i}", message)
                for i in range(count)
            ],
        )
    return [r.id for r in rows]


async def test_a_notification_made_on_one_process_reaches_a_stream_on_the_other(
    pair, make_user
):
    a, b = pair
    alice = await make_user()
    async with SSE.open(b, headers=alice.headers) as sse:
        ids = await notify(a.app, alice.id, 3)
        got = await sse.notifications(3)
        assert [n["id"] for n in got] == ids
        assert got[0]["assigned_to"] == alice.id


async def test_an_admin_post_on_one_process_reaches_every_stream(pair, make_user):
    a, b = pair
    admin, alice = await make_user("admin"), await make_user()
    async with (
        SSE.open(a, headers=alice.headers) as on_a,
        SSE.open(b, headers=alice.headers) as on_b,
    ):
        resp = await a.post(
            "/api/v1/notifications/",
            json={"recipients": [alice.id], "title": "Both"},
            headers=admin.headers,
        )
        [nid] = (await resp.json())["ids"]
        assert (await on_a.next()).json["id"] == nid
        assert (await on_b.next()).json["id"] == nid


async def test_a_rolled_back_transaction_is_never_announced(pair, make_user):
    a, b = pair
    alice = await make_user()
    async with SSE.open(b, headers=alice.headers) as sse:
        with pytest.raises(RuntimeError):
            async with unit_of_work(a.app[ENGINE], a.app[BROKER]) as work:
                await create_notifications(
                    work, [NewNotification(alice.id, "SYSTEM", "never")]
                )
                raise RuntimeError("rolled back")
        await sse.nothing(0.5)


async def test_a_notification_too_big_for_notify_is_sent_by_id(pair, make_user):
    a, b = pair
    alice = await make_user()
    async with SSE.open(b, headers=alice.headers) as sse:
        [nid] = await notify(a.app, alice.id, message="é" * 9000)
        got = (await sse.next()).json
        assert got["id"] == nid and got["message"] == "é" * 9000


async def test_read_sync_and_deactivation_cross_processes(pair, make_user):
    a, b = pair
    admin, alice = await make_user("admin"), await make_user()
    [nid] = await notify(a.app, alice.id)
    async with SSE.open(b, headers=alice.headers) as sse:
        await a.post(f"/api/v1/notifications/{nid}/read/", headers=alice.headers)
        assert (await sse.until("read")).json == {"ids": [nid]}
        assert (await sse.until("unread_count")).json == {"unread_count": 0}
        await a.patch(
            f"/api/v1/users/{alice.id}/",
            json={"is_active": False},
            headers=admin.headers,
        )
        with pytest.raises(EOFError):
            await sse.next(5)


async def test_a_broadcast_reaches_many_users_across_processes(pair, make_user):
    a, b = pair
    admin = await make_user("admin")
    people = [await make_user() for _ in range(5)]
    streams = [SSE.open(b, headers=p.headers) for p in people]
    opened = [await s.__aenter__() for s in streams]
    try:
        resp = await a.post(
            "/api/v1/notifications/",
            json={"recipients": "all", "title": "Fire drill at 3"},
            headers=admin.headers,
        )
        assert resp.status == 201
        for sse in opened:
            assert (await sse.next()).json["title"] == "Fire drill at 3"
    finally:
        for s in streams:
            await s.__aexit__(None, None, None)


def _terminate(database_url, pid):
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert cur.fetchone()[0] is True
    conn.close()


async def test_events_committed_while_the_listener_is_down_still_arrive(
    pair, make_user, database_url
):
    a, b = pair
    alice = await make_user()
    broker = b.app[BROKER]
    async with SSE.open(b, headers=alice.headers) as sse:
        before = await notify(a.app, alice.id, 2)
        assert [n["id"] for n in await sse.notifications(2)] == before
        old_pid = broker.backend_pid
        _terminate(database_url, old_pid)
        during = await notify(a.app, alice.id, 3)  # announced to no one on b
        for _ in range(100):
            if broker.listening.is_set() and broker.backend_pid != old_pid:
                break
            await asyncio.sleep(0.05)
        after = await notify(a.app, alice.id, 2)
        got = [n["id"] for n in await sse.notifications(5)]
        assert got == during + after
        await sse.nothing(0.3)


async def _refused_on(client, person, seconds=2.0) -> bool:
    """Whether client refuses person's token within seconds (the other
    process's message travels by NOTIFY)."""
    for _ in range(int(seconds / 0.02)):
        if (await client.get(ME, headers=person.headers)).status == 401:
            return True
        await asyncio.sleep(0.02)
    return False


ME = "/api/v1/users/me/"


async def test_a_deactivation_on_one_process_empties_the_others_user_cache(
    pair, make_user
):
    a, b = pair
    admin, alice = await make_user("admin"), await make_user()
    assert (await b.get(ME, headers=alice.headers)).status == 200
    assert b.app[USERS].get(alice.id) is not None  # b now answers from its cache
    resp = await a.patch(
        f"/api/v1/users/{alice.id}/", json={"is_active": False}, headers=admin.headers
    )
    assert resp.status == 200
    assert await _refused_on(b, alice)


async def test_no_cached_user_is_used_while_the_listener_is_down(
    pair, make_user, database_url
):
    """A change announced while b cannot hear it must not leave b on a stale
    row: b reads users from the database until it listens again."""
    a, b = pair
    alice = await make_user()
    broker, cache = b.app[BROKER], b.app[USERS]
    assert (await b.get(ME, headers=alice.headers)).status == 200
    old_pid = broker.backend_pid
    _terminate(database_url, old_pid)
    for _ in range(100):
        if not cache.enabled:
            break
        await asyncio.sleep(0.01)
    assert not cache.enabled and cache.get(alice.id) is None
    # Changed straight in the table: with the cache off, b sees it at once.
    async with a.app[ENGINE].acquire() as conn:
        await conn.execute(
            "UPDATE users SET is_active = false WHERE id = %s", (alice.id,)
        )
    assert (await b.get(ME, headers=alice.headers)).status == 401
    for _ in range(100):
        if broker.listening.is_set() and broker.backend_pid != old_pid:
            break
        await asyncio.sleep(0.05)
    assert cache.enabled


async def test_a_stream_opened_while_the_listener_is_down_misses_nothing(
    pair, make_user, database_url, monkeypatch
):
    """A new client subscribes, then asks where it starts. A notification
    committed between the two is not heard while b's LISTEN connection is
    down, and it is older than the start: it must still arrive."""
    import leopard.live.pgbroker as pgbroker
    import leopard.live.session as session_module

    a, b = pair
    alice = await make_user()
    broker, hub = b.app[BROKER], b.app[HUB]
    held = asyncio.Event()
    real_connect = pgbroker.aiopg.connect

    def connect(*args, **kwargs):  # b cannot listen again until released
        if not held.is_set():
            raise OSError("held down by the test")
        return real_connect(*args, **kwargs)

    monkeypatch.setattr(pgbroker.aiopg, "connect", connect)
    _terminate(database_url, broker.backend_pid)
    for _ in range(100):
        if not broker.listening.is_set():
            break
        await asyncio.sleep(0.01)
    assert not broker.hears_everything()

    window = []

    def in_the_window(real):
        async def query(conn, user_id, *args, **kwargs):
            if hub.count(user_id) and not window:  # subscribed, not started
                window.extend(await notify(a.app, user_id))
            return await real(conn, user_id, *args, **kwargs)

        return query

    q = session_module.q
    monkeypatch.setattr(q, "stream_start", in_the_window(q.stream_start))
    monkeypatch.setattr(q, "catch_up", in_the_window(q.catch_up))
    resp = await b.get("/api/v1/notifications/stream/", headers=alice.headers)
    try:
        assert resp.status == 200
        sse = SSE(resp)  # read from the first frame: the opener would skip some
        got = [n["id"] for n in await sse.notifications(1)]
        assert len(window) == 1 and got == window
        held.set()
        for _ in range(100):
            if broker.hears_everything():
                break
            await asyncio.sleep(0.05)
        after = await notify(a.app, alice.id)
        assert [n["id"] for n in await sse.notifications(1)] == after
        await sse.nothing(0.3)
    finally:
        resp.close()
