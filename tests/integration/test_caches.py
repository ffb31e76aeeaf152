"""The per-process caches of authentication: verified tokens and users."""

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
