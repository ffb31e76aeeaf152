"""The stream over real HTTP: framing, replay, filters, fan-out, sync, lifetime."""

import asyncio
import contextlib
import time

import pytest

from leopard.auth import tokens
from leopard.keys import BROKER, ENGINE, HUB
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work

from ..support.sse import SSE

S = "/api/v1/notifications/stream/"


async def notify(app, user_id, count=1, type_="SYSTEM"):
    async with unit_of_work(app[ENGINE], app[BROKER]) as work:
        rows = await create_notifications(
            work, [NewNotification(user_id, type_, f"n{i}") for i in range(count)]
        )
    return [r.id for r in rows]


async def test_the_stream_has_the_contract_headers_and_starts_with_retry(
    serve, make_app, make_user
):
    client = await serve(make_app(sse_retry_ms=1234))
    alice = await make_user()
    resp = await client.get(S, headers=alice.headers)
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/event-stream")
    assert resp.headers["Cache-Control"] == "no-cache"
    assert resp.headers["X-Accel-Buffering"] == "no"
    assert await resp.content.readline() == b"retry: 1234\n"
    resp.close()


async def test_a_new_notification_arrives_as_an_event_with_its_id(client, make_user):
    alice = await make_user()
    async with SSE.open(client, headers=alice.headers) as sse:
        assert sse.start.json == {"unread_count": 0}
        [nid] = await notify(client.app, alice.id)
        frame = await sse.next()
        assert (frame.event, frame.id) == ("notification", str(nid))
        rest = await client.get(f"/api/v1/notifications/{nid}/", headers=alice.headers)
        expected = await rest.json()
        got = frame.json
        assert got.pop("delivered_at") is None
        expected.pop("delivered_at")
        assert got == expected


async def test_last_event_id_replays_what_came_after_oldest_first(client, make_user):
    alice = await make_user()
    ids = await notify(client.app, alice.id, 5)
    for how in ("header", "query"):
        kwargs = (
            {"headers": {**alice.headers, "Last-Event-ID": str(ids[1])}}
            if how == "header"
            else {"headers": alice.headers, "params": {"last_event_id": ids[1]}}
        )
        resp = await client.get(S, **kwargs)
        sse = SSE(resp)
        replayed = [f.json["id"] for f in [await sse.next() for _ in range(3)]]
        assert replayed == ids[2:]
        count = await sse.next()
        assert (count.event, count.json) == ("unread_count", {"unread_count": 5})
        resp.close()


async def test_replay_and_live_have_no_gap_and_no_duplicate(client, make_user):
    alice = await make_user()
    before = await notify(client.app, alice.id, 3)
    resp = await client.get(S, headers={**alice.headers, "Last-Event-ID": "0"})
    sse = SSE(resp)
    live = await notify(client.app, alice.id, 3)
    got = [f.id for f in [await sse.until("notification") for _ in range(6)]]
    assert got == [str(i) for i in before + live]
    await sse.nothing()
    resp.close()


async def test_types_limit_replay_and_live(client, make_user):
    alice = await make_user()
    [_, assigned] = await notify(client.app, alice.id, 1) + await notify(
        client.app, alice.id, 1, "TASK_ASSIGNED"
    )
    resp = await client.get(
        S,
        headers={**alice.headers, "Last-Event-ID": "0"},
        params={"types": "TASK_ASSIGNED,TASK_COMMENT"},
    )
    sse = SSE(resp)
    assert (await sse.until("notification")).json["id"] == assigned
    await notify(client.app, alice.id, 1, "SYSTEM")
    [comment] = await notify(client.app, alice.id, 1, "TASK_COMMENT")
    assert (await sse.until("notification")).json["id"] == comment
    resp.close()


async def test_an_unknown_type_or_bad_last_event_id_answers_400(client, make_user):
    alice = await make_user()
    resp = await client.get(S, headers=alice.headers, params={"types": "NOPE"})
    assert resp.status == 400
    resp = await client.get(S, headers={**alice.headers, "Last-Event-ID": "abc"})
    assert resp.status == 400


async def test_every_stream_of_a_user_gets_every_event_and_no_one_else(
    client, make_user
):
    alice, bob = await make_user(), await make_user()
    async with (
        SSE.open(client, headers=alice.headers) as tab1,
        SSE.open(client, headers=alice.headers) as tab2,
        SSE.open(client, headers=bob.headers) as other,
    ):
        ids = await notify(client.app, alice.id, 2)
        for tab in (tab1, tab2):
            assert [n["id"] for n in await tab.notifications(2)] == ids
        await other.nothing()


async def test_read_unread_and_delete_reach_the_other_tabs_with_the_count(
    client, make_user
):
    alice = await make_user()
    ids = await notify(client.app, alice.id, 3)
    h = alice.headers
    async with SSE.open(client, headers=h) as tab:
        await client.post(f"/api/v1/notifications/{ids[0]}/read/", headers=h)
        frame = await tab.next()
        assert (frame.event, frame.id, frame.json) == ("read", None, {"ids": [ids[0]]})
        assert (await tab.next()).json == {"unread_count": 2}
        await client.post(f"/api/v1/notifications/{ids[0]}/unread/", headers=h)
        assert (await tab.next()).json == {"ids": [ids[0]]}
        assert (await tab.next()).json == {"unread_count": 3}
        await client.post(
            "/api/v1/notifications/bulk/",
            json={"action": "mark_read", "all": True},
            headers=h,
        )
        frame = await tab.next()
        assert (frame.event, frame.json) == ("read", {"all": True})
        assert (await tab.next()).json == {"unread_count": 0}
        await client.delete(f"/api/v1/notifications/{ids[1]}/", headers=h)
        frame = await tab.next()
        assert (frame.event, frame.json) == ("deleted", {"ids": [ids[1]]})
        assert (await tab.next()).json == {"unread_count": 0}


async def test_the_first_heartbeat_comes_at_a_random_point_of_the_interval(
    serve, make_app, make_user, monkeypatch
):
    """Streams opened together must not all ping in the same instant: each
    one's first ping waits random.uniform(0, interval), then every interval."""
    import leopard.handlers.sse as sse_module

    drawn = []

    def uniform(low, high):
        drawn.append((low, high))
        return 0.25 * high

    monkeypatch.setattr(sse_module.random, "uniform", uniform)
    client = await serve(make_app(sse_heartbeat=2.0))
    alice = await make_user()
    async with SSE.open(client, headers=alice.headers) as sse:
        started = time.monotonic()
        assert (await sse.frame(3)).comment == "ping"
        first = time.monotonic() - started
        assert (await sse.frame(3)).comment == "ping"
        second = time.monotonic() - started
    assert drawn == [(0, 2.0)]
    assert first < 1.0  # 0.5 s, not the 2 s interval
    assert 2.0 <= second < 3.0


async def test_a_heartbeat_comment_comes_every_interval(serve, make_app, make_user):
    client = await serve(make_app(sse_heartbeat=0.1))
    alice = await make_user()
    async with SSE.open(client, headers=alice.headers) as sse:
        started = time.monotonic()
        pings = [await sse.frame(1) for _ in range(3)]
        assert all(p.comment == "ping" for p in pings)
        assert time.monotonic() - started < 1.0


async def test_delivered_at_is_set_once_written_to_a_stream(client, make_user):
    alice, bob = await make_user(), await make_user()
    [undelivered] = await notify(client.app, bob.id)
    async with SSE.open(client, headers=alice.headers) as sse:
        [nid] = await notify(client.app, alice.id)
        await sse.until("notification")
    path = f"/api/v1/notifications/{nid}/"
    for _ in range(50):
        body = await (await client.get(path, headers=alice.headers)).json()
        if body["delivered_at"]:
            break
        await asyncio.sleep(0.1)
    assert body["delivered_at"] >= body["created_at"]
    other = await client.get(
        f"/api/v1/notifications/{undelivered}/", headers=bob.headers
    )
    assert (await other.json())["delivered_at"] is None


async def test_a_stalled_stream_is_cut_off_and_catches_up_by_replay(
    serve, make_app, make_user
):
    client = await serve(make_app(sse_queue_size=3))
    alice = await make_user()
    async with SSE.open(client, headers=alice.headers) as sse:
        # Ten events at once overflow a buffer of three before the stream runs.
        ids = await notify(client.app, alice.id, 10)
        with pytest.raises((EOFError, Exception)):
            while True:
                await sse.next(2)
    assert client.app[HUB].count(alice.id) == 0
    resp = await client.get(S, headers={**alice.headers, "Last-Event-ID": "0"})
    replay = SSE(resp)
    assert [(await replay.next()).json["id"] for _ in ids] == ids
    resp.close()


async def test_the_stream_ends_when_the_token_expires(client, make_user, settings):
    alice = await make_user()
    short = tokens.issue(settings, alice.id, ttl=1)
    async with SSE.open(client, headers={"Authorization": f"Bearer {short}"}) as sse:
        with pytest.raises(EOFError):
            await sse.next(5)


async def test_the_stream_ends_when_its_user_is_deactivated(client, make_user):
    admin, alice = await make_user("admin"), await make_user()
    async with SSE.open(client, headers=alice.headers) as sse:
        await client.patch(
            f"/api/v1/users/{alice.id}/",
            json={"is_active": False},
            headers=admin.headers,
        )
        with pytest.raises(EOFError):
            await sse.next(5)
    assert (await client.get(S, headers=alice.headers)).status == 401


async def test_a_disconnect_is_noticed_at_once(client, make_user):
    alice = await make_user()
    hub = client.app[HUB]
    async with SSE.open(client, headers=alice.headers):
        assert hub.count(alice.id) == 1
    for _ in range(50):
        if hub.count(alice.id) == 0:
            break
        await asyncio.sleep(0.02)
    assert hub.count(alice.id) == 0


async def test_streams_past_the_per_user_cap_answer_429(serve, make_app, make_user):
    client = await serve(make_app(sse_max_streams_per_user=2))
    alice, bob = await make_user(), await make_user()
    async with (
        SSE.open(client, headers=alice.headers),
        SSE.open(client, headers=alice.headers),
    ):
        resp = await client.get(S, headers=alice.headers)
        assert resp.status == 429
        assert (await resp.json())["error"]["code"] == "too_many_streams"
        async with SSE.open(client, headers=bob.headers):
            pass


async def test_the_ticket_sets_a_cookie_that_only_the_stream_accepts(client, make_user):
    alice = await make_user()
    resp = await client.post(f"{S}ticket/", headers=alice.headers)
    assert resp.status == 204
    cookie = resp.cookies["leopard_stream"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert cookie["path"] == S
    assert 3590 <= int(cookie["max-age"]) <= 3600
    # The cookie jar sends it back on the stream's path, and only there.
    async with SSE.open(client) as sse:
        [nid] = await notify(client.app, alice.id)
        assert (await sse.next()).json["id"] == nid
    bearer = {"Authorization": f"Bearer {cookie.value}"}
    resp = await client.get("/api/v1/users/me/", headers=bearer)
    assert resp.status == 401


async def test_the_stream_takes_an_access_token_in_the_query(client, make_user):
    alice = await make_user()
    async with SSE.open(client, params={"access_token": alice.token}) as sse:
        [nid] = await notify(client.app, alice.id)
        assert (await sse.next()).json["id"] == nid


async def test_the_stream_without_credentials_answers_401(client):
    resp = await client.get(S)
    assert resp.status == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"


async def test_the_access_log_never_shows_a_token(client, make_user, settings, caplog):
    alice = await make_user()
    short = tokens.issue(settings, alice.id, ttl=1)
    with caplog.at_level("INFO", logger="aiohttp.access"):
        async with SSE.open(client, params={"access_token": short}) as sse:
            with pytest.raises(EOFError):
                await sse.next(5)
        await client.get("/api/v1/users/me/", headers=alice.headers)
        await asyncio.sleep(0.1)
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert any("route=notifications-stream" in line for line in lines)
    assert any(f"user={alice.id}" in line for line in lines)
    assert not any(short in line or "access_token" in line for line in lines)


async def test_a_rolled_back_transaction_pushes_nothing(client, make_user):
    alice = await make_user()
    async with SSE.open(client, headers=alice.headers) as sse:
        with pytest.raises(RuntimeError):
            async with unit_of_work(client.app[ENGINE], client.app[BROKER]) as work:
                await create_notifications(
                    work, [NewNotification(alice.id, "SYSTEM", "never")]
                )
                raise RuntimeError("rolled back")
        await sse.nothing(0.5)


async def test_deleting_the_ticket_expires_the_stream_cookie(client, make_user):
    alice = await make_user()
    await client.post(f"{S}ticket/", headers=alice.headers)
    async with SSE.open(client):  # the cookie works
        pass
    resp = await client.delete(f"{S}ticket/")  # no token needed to sign out
    assert resp.status == 204
    cookie = resp.cookies["leopard_stream"]
    assert cookie.value == "" and cookie["path"] == S
    assert (await client.get(S)).status == 401


async def test_a_notification_committed_while_a_new_stream_starts_is_not_lost(
    client, make_user, monkeypatch
):
    """The race a new stream has: subscribed, but not yet knowing where it
    starts. A commit in between must reach it (once)."""
    from leopard.queries import notifications as queries

    alice = await make_user()
    real = queries.stream_start
    committed = []

    async def racing(conn, user_id):
        if user_id == alice.id and not committed:
            committed.extend(await notify(client.app, alice.id))
        return await real(conn, user_id)

    monkeypatch.setattr(queries, "stream_start", racing)
    resp = await client.get(S, headers=alice.headers)
    sse = SSE(resp)
    frames = [await sse.next() for _ in range(2)]
    got = {f.event: f for f in frames}
    assert got["notification"].json["id"] == committed[0]
    await sse.nothing()
    resp.close()


async def test_a_pool_that_gives_no_connection_in_time_answers_the_stream_503(
    client, make_user, monkeypatch
):
    """Every pooled connection busy: the stream's start waits for one, the
    pool's wait ends in a TimeoutError before there is a response, and the
    answer is the 503 of every route, not a 500; no subscription is left."""
    alice = await make_user()
    # A first request caches the user: the stream's own query is what waits.
    assert (await client.get("/api/v1/users/me/", headers=alice.headers)).status == 200
    engine = client.app[ENGINE]
    monkeypatch.setattr(engine._pool, "_timeout", 0.2)  # the pool's 10 s, shortened
    async with contextlib.AsyncExitStack() as held:
        for _ in range(engine.maxsize):
            await held.enter_async_context(engine.acquire())
        resp = await client.get(S, headers=alice.headers)
    assert resp.status == 503
    assert (await resp.json())["error"]["code"] == "service_unavailable"
    assert client.app[HUB].count(alice.id) == 0
