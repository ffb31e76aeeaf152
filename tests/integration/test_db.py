"""The engine: no client timer per query, TCP watching the server instead, and
a new connection that gets no answer given up quickly."""

import asyncio
import contextlib
import socket
import time

import psycopg2
import pytest
import uvloop

from leopard.store import db
from leopard.store.db import (
    CONNECT_TIMEOUT,
    REFUSED_CONNECT_TIMEOUT,
    REFUSED_RECENTLY,
    TCP_USER_TIMEOUT_MS,
    open_engine,
)


async def test_queries_wait_on_no_client_timer(database_url):
    async with open_engine(database_url, maxsize=2) as engine:
        async with engine.acquire() as conn:
            raw = conn.connection
            assert raw.timeout is None  # aiopg: no asyncio.wait_for per query
            cursor = await raw.cursor()
            try:
                assert cursor.timeout is None
            finally:
                cursor.close()
            params = raw.raw.get_dsn_parameters()
            assert params["keepalives"] == "1"
            assert params["tcp_user_timeout"] == str(TCP_USER_TIMEOUT_MS)
            assert await conn.scalar("SELECT 1") == 1


@contextlib.asynccontextmanager
async def silent_server(port: int = 0):
    """A port that takes connections and never answers: (port, accepted)."""
    accepted = []

    async def silent(reader, writer):
        accepted.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", port)
    try:
        yield server.sockets[0].getsockname()[1], accepted
    finally:
        for writer in accepted:
            writer.close()
        server.close()
        await server.wait_closed()


async def given_up_after(url: str) -> float:
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="no answer") as caught:
        await open_engine(url)
    took = time.monotonic() - started
    bound = float(str(caught.value).split("within ")[1].removesuffix(" s"))
    assert bound <= took < bound + 2
    return bound


async def test_a_server_that_never_answers_is_given_up_after_the_connect_timeout():
    """libpq ignores connect_timeout for aiopg's non-blocking connections, and
    aiopg's pool connects under its lock: without a bound of Leopard's own,
    every request waited the pool's 10 s behind one silent handshake."""
    async with silent_server() as (port, accepted):
        bound = await given_up_after(f"postgresql://leopard@127.0.0.1:{port}/leopard")
        assert accepted  # it did reach the server: the handshake is what waited
    assert bound == CONNECT_TIMEOUT


async def test_after_a_refusal_a_server_gets_less_time_to_answer():
    """A server that has just refused a connection is most likely going away
    (a shutdown refuses, then stops answering before it is gone)."""
    port = closed_port()
    url = f"postgresql://leopard@127.0.0.1:{port}/leopard"
    with pytest.raises(psycopg2.OperationalError, match="refused"):
        await open_engine(url)
    async with silent_server(port):  # now it takes the connection, silent
        assert await given_up_after(url) == REFUSED_CONNECT_TIMEOUT
        db._refused_at[url] -= REFUSED_RECENTLY  # the refusal long ago
        assert await given_up_after(url) == CONNECT_TIMEOUT


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once closed


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_a_refused_connection_leaves_no_watcher_on_its_socket(loop):
    """A connection attempt that fails while aiopg waits to write (refused
    here; cut by a server shutting down in the outage test) must leave the
    event loop nothing on the descriptor libpq closed: under uvloop the next
    socket to get that number raised "unable to perform operation on
    <UVPoll closed=True>" (or was never heard), so a database outage turned
    into 500s and requests that got no answer."""

    async def scenario():
        port = closed_port()
        for _ in range(3):  # each attempt gets the descriptor the last one had
            with pytest.raises(psycopg2.OperationalError, match="refused"):
                await open_engine(f"postgresql://leopard@127.0.0.1:{port}/leopard")

        async def hello(reader, writer):
            writer.write(b"hello\n")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(hello, "127.0.0.1", 0)
        try:
            for _ in range(3):  # sockets that get those numbers are heard
                reader, writer = await asyncio.open_connection(
                    "127.0.0.1", server.sockets[0].getsockname()[1]
                )
                assert await asyncio.wait_for(reader.readline(), 5) == b"hello\n"
                writer.close()
        finally:
            server.close()
            await server.wait_closed()

    (uvloop.run if loop == "uvloop" else asyncio.run)(scenario())
