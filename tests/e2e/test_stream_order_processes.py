"""Commit order across processes: two `python run.py` with LEOPARD_BROKER=postgres
on one database, writers and streams on both. Every stream, on either process,
writes ids in strictly increasing order, and a client that reconnects to either
process with its last id misses nothing."""

import asyncio
import random
from types import SimpleNamespace

import aiohttp
import pytest

from leopard.store.db import open_engine

from ..support.order import (
    ROUNDS,
    TYPES,
    assert_in_order,
    cut_again_and_again,
    ids_of,
    read,
    writers,
)
from ..support.processes import leopards
from ..support.sse import SSE

pytestmark = pytest.mark.e2e


class RoundRobin:
    """An HTTP client that sends each request to the next process."""

    def __init__(self, session, ports):
        self.session, self.ports, self.turn = session, ports, 0

    def _url(self, path):
        self.turn += 1
        return f"http://127.0.0.1:{self.ports[self.turn % len(self.ports)]}{path}"

    def get(self, path, **kwargs):
        return self.session.get(self._url(path), **kwargs)

    def post(self, path, **kwargs):
        return self.session.post(self._url(path), **kwargs)


@pytest.fixture
def two_processes(tmp_path, data_dir, fresh_database):
    with (
        fresh_database() as url,
        leopards(
            2, tmp_path, data_dir, LEOPARD_DATABASE_URL=url, LEOPARD_BROKER="postgres"
        ) as started,
    ):
        yield url, started


async def person(client, admin, name):
    resp = await client.post(
        "/api/v1/users/",
        json={"username": name, "password": f"{name}-password"},
        headers=admin.headers,
    )
    assert resp.status == 201, await resp.text()
    user_id = (await resp.json())["id"]
    resp = await client.post(
        "/api/v1/auth/token/",
        json={"username": name, "password": f"{name}-password"},
    )
    token = (await resp.json())["access_token"]
    return SimpleNamespace(
        id=user_id, token=token, headers={"Authorization": f"Bearer {token}"}
    )


async def test_two_processes_every_stream_in_order_and_cut_anywhere(two_processes):
    url, leopards = two_processes
    ports = [leopard.port for leopard in leopards]
    admin = SimpleNamespace(headers={"Authorization": f"Bearer {leopards[0].token()}"})
    rng = random.Random(15)
    async with (
        aiohttp.ClientSession() as session,
        open_engine(url, maxsize=2) as engine,
    ):
        client = RoundRobin(session, ports)
        for round_ in range(ROUNDS):
            alice = await person(client, admin, f"alice{round_}")
            total = 16 * 25
            # Two streams on each process: Bearer and ?types=.
            async with (
                SSE.open(client, headers=alice.headers) as a1,
                SSE.open(client, headers=alice.headers) as a2,
                SSE.open(client, params={"access_token": alice.token}) as q1,
                SSE.open(
                    client, headers=alice.headers, params={"types": TYPES[1]}
                ) as typed,
            ):
                readers = [
                    asyncio.create_task(read(s, total, timeout=30))
                    for s in (a1, a2, q1)
                ]
                readers.append(asyncio.create_task(read(typed, total // 2, 30)))
                writing = asyncio.create_task(
                    writers(client, admin, alice.id, count=16, each=25)
                )
                # Meanwhile a client hops between the processes, cut anywhere.
                cut, _ = await cut_again_and_again(client, alice, total, rng)
                await writing
                got = await asyncio.gather(*readers)
            everything = await ids_of(engine, alice.id)
            assert len(everything) == total
            for ids in (*got[:3], cut):
                assert_in_order(ids, everything)
            assert_in_order(got[3], await ids_of(engine, alice.id, [TYPES[1]]))
    for leopard in leopards:  # both served streams and writes
        log = leopard.log.read_text()
        assert "stream open" in log and "POST /api/v1/notifications/" in log
