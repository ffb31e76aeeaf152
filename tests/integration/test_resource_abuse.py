"""Resource abuse: clients that stop reading, clients that never finish their
headers. Memory stays bounded and everyone else keeps being served."""

import asyncio
import socket
import time

import pytest

from leopard.keys import BROKER, ENGINE, HUB
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work

from ..support.sse import SSE

pytestmark = pytest.mark.hardening


async def stalled_stream(port, token):
    """A stream whose client never reads a byte (a small receive window)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    request = (
        "GET /api/v1/notifications/stream/ HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    )
    await asyncio.get_running_loop().sock_sendall(sock, request.encode())
    return sock


async def until(predicate, within=10.0):
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_stalled_readers_are_cut_off_while_others_keep_receiving(
    serve, make_app, make_user
):
    client = await serve(make_app(sse_queue_size=20))
    app, hub = client.app, client.app[HUB]
    healthy = await make_user()
    stalled = [await make_user() for _ in range(6)]
    socks = [await stalled_stream(client.server.port, u.token) for u in stalled]
    await until(lambda: all(hub.count(u.id) == 1 for u in stalled))
    big = "x" * 30_000
    async with SSE.open(client, headers=healthy.headers) as sse:
        # Feed them until the kernel's and aiohttp's buffers are full and each
        # stalled stream overflows its 20 buffered events: then it is cut off.
        for round_ in range(60):
            if all(hub.count(u.id) == 0 for u in stalled):
                break
            items = [
                NewNotification(u.id, "SYSTEM", f"r{round_}", big)
                for u in stalled
                for _ in range(10)
            ] + [NewNotification(healthy.id, "SYSTEM", f"fine {round_}")]
            async with unit_of_work(app[ENGINE], app[BROKER]) as work:
                await create_notifications(work, items)
            started = time.monotonic()
            frame = await sse.until("notification", timeout=2)
            assert frame.json["title"] == f"fine {round_}"
            assert time.monotonic() - started < 1.0
        assert all(hub.count(u.id) == 0 for u in stalled), "none was cut off"
        assert hub.count(healthy.id) == 1
        # What is buffered for anyone stays under the bound.
        assert sum(sub.pending() for subs in hub._subs.values() for sub in subs) <= 20
    for sock in socks:
        sock.close()


async def test_clients_that_never_finish_their_headers_do_not_starve_others(
    client, make_user
):
    alice = await make_user()
    loop = asyncio.get_running_loop()
    slow = []
    for _ in range(200):
        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", client.server.port))
        await loop.sock_sendall(sock, b"GET /api/v1/users/me/ HTTP/1.1\r\nHost: x\r\n")
        slow.append(sock)
    try:
        for _ in range(5):
            started = time.monotonic()
            resp = await client.get("/api/v1/users/me/", headers=alice.headers)
            assert resp.status == 200
            assert time.monotonic() - started < 1.0
            for sock in slow:  # one more byte of header, never the end
                await loop.sock_sendall(sock, b"X")
    finally:
        for sock in slow:
            sock.close()


async def test_a_client_that_stops_reading_is_dropped_by_the_send_timeout(
    serve, make_app, make_user, monkeypatch
):
    # A buffer too big to overflow here: only the write timeout can drop it.
    monkeypatch.setattr("leopard.handlers.stream.SEND_TIMEOUT", 0.5)
    client = await serve(make_app(sse_queue_size=100_000))
    app, hub = client.app, client.app[HUB]
    user = await make_user()
    sock = await stalled_stream(client.server.port, user.token)
    await until(lambda: hub.count(user.id) == 1)
    big = "x" * 30_000
    for round_ in range(40):
        if hub.count(user.id) == 0:
            break
        async with unit_of_work(app[ENGINE], app[BROKER]) as work:
            await create_notifications(
                work, [NewNotification(user.id, "SYSTEM", f"r{round_}", big)] * 10
            )
        await asyncio.sleep(0.1)
    await until(lambda: hub.count(user.id) == 0, within=5)
    sock.close()
