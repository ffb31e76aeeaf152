"""The per-process caches of authentication: verified tokens and users."""

import asyncio
import time

import pytest

from leopard.auth import tokens
from leopard.auth.usercache import UserCache
from leopard.errors import Unauthorized
from leopard.store.sql import Row


def _row(user_id, **fields):
    return Row(id=user_id, role="staff", is_active=True, **fields)


def test_a_row_read_before_a_change_is_not_kept():
    cache = UserCache()
    generation = cache.generation  # a request starts reading user 1
    cache.forget(1)  # meanwhile user 1 changes
    cache.put(_row(1), generation)  # the request's row is from before
    assert cache.get(1) is None
    cache.put(_row(1), cache.generation)
    assert cache.get(1) == _row(1)


def test_rows_expire_and_the_oldest_make_room():
    cache = UserCache(seconds=0.05, size=2)
    for user_id in (1, 2, 3):
        cache.put(_row(user_id), cache.generation)
    assert cache.get(1) is None and cache.get(2) and cache.get(3)
    time.sleep(0.06)
    assert cache.get(2) is None and cache.get(3) is None


def test_a_paused_cache_keeps_nothing_until_resumed():
    cache = UserCache()
    cache.put(_row(1), cache.generation)
    cache.pause()
    assert cache.get(1) is None
    cache.put(_row(1), cache.generation)
    assert cache.get(1) is None
    cache.resume()
    cache.put(_row(1), cache.generation)
    assert cache.get(1).id == 1


def test_a_user_row_reads_as_attributes_and_as_a_mapping():
    row = _row(7, username="alice")
    assert row.username == "alice" and dict(row)["id"] == 7
    assert getattr(row, "missing", None) is None


def test_a_verified_token_is_refused_once_it_expires(settings):
    verified = tokens.Verified()
    token = tokens.issue(settings, 5, ttl=1)
    assert tokens.decode(settings, token, verified)["sub"] == "5"
    assert verified.get(token) is not None  # served without checking the signature
    time.sleep(1.1)
    with pytest.raises(Unauthorized, match="expired"):
        tokens.decode(settings, token, verified)
    assert verified.get(token) is None


def test_a_bad_token_is_never_remembered(settings):
    verified = tokens.Verified()
    token = tokens.issue(settings, 5)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for _ in range(2):
        with pytest.raises(Unauthorized):
            tokens.decode(settings, forged, verified)
    assert verified.get(forged) is None


def test_verified_tokens_are_bounded(settings):
    verified = tokens.Verified(size=3)
    issued = [tokens.issue(settings, i) for i in range(1, 6)]
    for token in issued:
        tokens.decode(settings, token, verified)
    assert [verified.get(t) is not None for t in issued] == [False] * 2 + [True] * 3


class Reads:
    """A read for UserCache.load that holds its query until released, as one
    waiting for a pooled connection does, and records the ids of each query."""

    def __init__(self, absent=()):
        self.queries, self.absent = [], set(absent)
        self.release = asyncio.Event()

    async def __call__(self, take):
        await self.release.wait()
        ids = take()
        self.queries.append(sorted(ids))
        await asyncio.sleep(0)  # the query's round trip
        return [_row(i) for i in ids if i not in self.absent]


async def test_concurrent_misses_share_one_read():
    cache, reads = UserCache(), Reads(absent={7})
    waiting = [asyncio.create_task(cache.load(i, reads)) for i in range(1, 51)]
    waiting.append(asyncio.create_task(cache.load(3, reads)))  # asked twice
    await asyncio.sleep(0.01)
    reads.release.set()
    rows = await asyncio.gather(*waiting)
    assert reads.queries == [list(range(1, 51))]
    assert [row.id if row else None for row in rows[:50]] == [
        None if i == 7 else i for i in range(1, 51)
    ]
    assert rows[50] == _row(3)
    # Kept: the next lookups read nothing.
    assert await cache.load(3, reads) == _row(3)
    assert cache.get(7) is None and len(reads.queries) == 1


async def test_a_miss_after_the_read_began_starts_the_next_one():
    cache, reads = UserCache(), Reads()
    reads.release.set()
    first = asyncio.create_task(cache.load(1, reads))
    await asyncio.sleep(0)  # the read has taken its ids and is in its round trip
    second = asyncio.create_task(cache.load(2, reads))
    assert (await first).id == 1 and (await second).id == 2
    assert reads.queries == [[1], [2]]


async def test_a_change_during_the_read_is_not_cached_over():
    cache, reads = UserCache(), Reads()

    async def changing(take):
        rows = await reads(take)
        cache.forget(1)  # the user changes while the answer is on its way
        return rows

    reads.release.set()
    assert (await cache.load(1, changing)).id == 1
    assert cache.get(1) is None


async def test_a_failed_read_fails_its_waiters_and_the_next_reads_again():
    cache, calls = UserCache(), []

    async def failing(take):
        calls.append(take())
        await asyncio.sleep(0)
        raise ConnectionError("database gone")

    waiting = [asyncio.create_task(cache.load(i, failing)) for i in (1, 2)]
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert [type(r) for r in results] == [ConnectionError, ConnectionError]
    reads = Reads()
    reads.release.set()
    assert (await cache.load(1, reads)).id == 1
    assert calls == [[1, 2]] and reads.queries == [[1]]


async def test_one_waiter_giving_up_leaves_the_read_to_the_others():
    cache, reads = UserCache(), Reads()
    gone = asyncio.create_task(cache.load(1, reads))
    staying = asyncio.create_task(cache.load(1, reads))
    other = asyncio.create_task(cache.load(2, reads))
    await asyncio.sleep(0)
    gone.cancel()
    reads.release.set()
    assert (await staying).id == 1 and (await other).id == 2
    assert gone.cancelled() and reads.queries == [[1, 2]]
