"""The sign-in throttle as the contract says it: per username, per client
address (five times as many), 15 minutes, 429 `too_many_attempts` with
Retry-After, counted in PostgreSQL; and the bounded password checks."""

import asyncio
import ipaddress
import logging
import os
import sys
import uuid

import pytest

from leopard.auth import passwords

pytestmark = pytest.mark.hardening

SIGN_IN = "/api/v1/auth/token/"
LIMIT = 3


def _name():
    return "nobody-" + uuid.uuid4().hex[:10]


def _xff(address=None):
    return {"X-Forwarded-For": address} if address else {}


async def attempt(client, username, password, address=None):
    """A sign-in from `address` (through the trusted proxy 127.0.0.1), or
    from the test's own address when none is given."""
    resp = await client.post(
        SIGN_IN,
        json={"username": username, "password": password},
        headers=_xff(address=address or client.address),
    )
    return resp.status, resp


TRUSTED = (ipaddress.ip_network("127.0.0.1/32"),)


@pytest.fixture
async def throttled(serve, make_app):
    """127.0.0.1 is a trusted proxy, and every test speaks for a client
    address of its own: the whole suite signs in from 127.0.0.1 to one
    database, and its failures would count against each test here."""
    client = await serve(make_app(login_max_failures=LIMIT, trusted_proxies=TRUSTED))
    client.address = _address()
    return client


behind_proxy = throttled


def _address():
    n = uuid.uuid4().int
    return f"10.{n % 250}.{n // 250 % 250}.{n // 62500 % 250 + 1}"


async def test_the_limit_th_failure_is_the_last_one_checked(throttled, make_user):
    alice = await make_user()
    for _ in range(LIMIT):
        assert (await attempt(throttled, alice.username, "wrong"))[0] == 401
    # Now even the right password is not checked.
    status, resp = await attempt(throttled, alice.username, alice.password)
    assert status == 429
    body = await resp.json()
    assert body["error"]["code"] == "too_many_attempts"
    assert 890 <= int(resp.headers["Retry-After"]) <= 900
    # Another username is not concerned (the address is far from its limit).
    bob = await make_user()
    assert (await attempt(throttled, bob.username, bob.password))[0] == 200


async def test_usernames_are_counted_whatever_their_case(throttled, make_user):
    alice = await make_user()
    for name in (alice.username.upper(), alice.username, alice.username.title()):
        assert (await attempt(throttled, name, "wrong"))[0] == 401
    assert (await attempt(throttled, alice.username, alice.password))[0] == 429


async def test_a_success_clears_the_usernames_failures(throttled, make_user):
    alice = await make_user()
    for _ in range(LIMIT - 1):
        assert (await attempt(throttled, alice.username, "wrong"))[0] == 401
    assert (await attempt(throttled, alice.username, alice.password))[0] == 200
    for _ in range(LIMIT):
        assert (await attempt(throttled, alice.username, "wrong"))[0] == 401
    assert (await attempt(throttled, alice.username, "wrong"))[0] == 429


async def test_unknown_usernames_are_throttled_the_same(throttled):
    name = _name()
    for _ in range(LIMIT):
        assert (await attempt(throttled, name, "guess"))[0] == 401
    assert (await attempt(throttled, name, "guess"))[0] == 429


async def test_the_block_ends_when_the_oldest_failure_leaves_the_window(
    throttled, make_user, engine
):
    alice = await make_user()
    for _ in range(LIMIT):
        await attempt(throttled, alice.username, "wrong")
    # Ten minutes pass for the failures: five remain before the window lets go.
    await _age(engine, alice.username, "10 minutes")
    status, resp = await attempt(throttled, alice.username, alice.password)
    assert status == 429 and 290 <= int(resp.headers["Retry-After"]) <= 300
    await _age(engine, alice.username, "5 minutes 1 second")
    assert (await attempt(throttled, alice.username, alice.password))[0] == 200


async def _age(engine, username, interval):
    async with engine.acquire() as conn:
        await conn.execute(
            "UPDATE login_failures SET failed_at = failed_at - %s::interval"
            " WHERE username = %s",
            (interval, username.lower()),
        )


async def test_one_address_may_fail_five_times_the_limit(behind_proxy):
    address = _address()
    for _ in range(5 * LIMIT):  # each username once: no username is blocked
        assert (await attempt(behind_proxy, _name(), "guess", address))[0] == 401
    status, resp = await attempt(behind_proxy, _name(), "guess", address)
    assert status == 429 and int(resp.headers["Retry-After"]) > 0
    # Another address behind the same proxy is not concerned.
    assert (await attempt(behind_proxy, _name(), "guess", _address()))[0] == 401


async def test_a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(
    serve, make_app, engine
):
    """No trusted proxy: every guess counts against the peer, 127.0.0.1,
    whatever X-Forwarded-For it claims."""
    throttled = await serve(make_app(login_max_failures=LIMIT))
    async with engine.acquire() as conn:
        await conn.execute("DELETE FROM login_failures WHERE address = '127.0.0.1'")
    for _ in range(5 * LIMIT):
        status, _ = await attempt(throttled, _name(), "guess", _address())
        assert status == 401
    assert (await attempt(throttled, _name(), "guess", _address()))[0] == 429
    async with engine.acquire() as conn:
        addresses = await conn.scalar(
            "SELECT array_agg(DISTINCT address) FROM login_failures"
            " WHERE failed_at > now() - interval '1 minute'"
            " AND username LIKE 'nobody-%%'"
        )
    assert "127.0.0.1" in addresses
    async with engine.acquire() as conn:
        await conn.execute("DELETE FROM login_failures WHERE address = '127.0.0.1'")


async def test_the_count_is_shared_by_servers_on_one_database(
    serve, make_app, make_user
):
    one = await serve(make_app(login_max_failures=LIMIT, trusted_proxies=TRUSTED))
    two = await serve(make_app(login_max_failures=LIMIT, trusted_proxies=TRUSTED))
    one.address = two.address = _address()
    alice = await make_user()
    assert (await attempt(one, alice.username, "wrong"))[0] == 401
    assert (await attempt(two, alice.username, "wrong"))[0] == 401
    assert (await attempt(one, alice.username, "wrong"))[0] == 401
    assert (await attempt(two, alice.username, alice.password))[0] == 429


async def test_concurrent_guesses_never_get_past_the_limit(throttled):
    """Twelve guesses at once for one username, five times: exactly LIMIT are
    checked (401), the rest answer 429."""
    for _ in range(5):
        name = _name()
        answers = await asyncio.gather(
            *(attempt(throttled, name, f"guess-{i}") for i in range(12))
        )
        statuses = sorted(status for status, _ in answers)
        assert statuses == [401] * LIMIT + [429] * (12 - LIMIT)


async def test_failed_sign_ins_are_logged_without_the_password(
    behind_proxy, make_user, caplog
):
    alice, address = await make_user(), behind_proxy.address
    with caplog.at_level(logging.INFO):
        await attempt(behind_proxy, alice.username, "hunter2-secret")
    lines = [r.getMessage() for r in caplog.records if r.name == "leopard.signin"]
    assert len(lines) == 1
    assert alice.username in lines[0] and address in lines[0]
    assert all("hunter2-secret" not in r.getMessage() for r in caplog.records)


async def test_password_checks_past_the_bound_answer_503_and_count_nothing(
    throttled, make_user, engine, monkeypatch
):
    monkeypatch.setattr(passwords, "HASH_WAIT", 0.2)
    alice = await make_user()
    slots = passwords.hash_slots()
    for _ in range(passwords.HASH_SLOTS):
        await slots.acquire()
    try:
        status, resp = await attempt(throttled, alice.username, alice.password)
        assert status == 503
        assert (await resp.json())["error"]["code"] == "busy"
        assert resp.headers["Retry-After"] == "1"
    finally:
        for _ in range(passwords.HASH_SLOTS):
            slots.release()
    async with engine.acquire() as conn:
        counted = await conn.scalar(
            "SELECT count(*) FROM login_failures WHERE username = %s",
            (alice.username.lower(),),
        )
    assert counted == 0
    assert (await attempt(throttled, alice.username, alice.password))[0] == 200


async def test_password_checks_run_at_most_the_bound_at_once(
    throttled, make_user, monkeypatch
):
    running, most = 0, 0
    real = passwords.check_password_async

    async def counting(password, stored):
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            return await real(password, stored)
        finally:
            running -= 1

    monkeypatch.setattr(passwords, "check_password_async", counting)
    monkeypatch.setattr(passwords, "HASH_WAIT", 30.0)
    people = [await make_user() for _ in range(6)]
    answers = await asyncio.gather(
        *(attempt(throttled, p.username, p.password) for p in people)
    )
    assert [status for status, _ in answers] == [200] * 6
    assert most == passwords.HASH_SLOTS


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice is Linux's")
async def test_password_checks_run_at_the_lowest_priority(make_user):
    """The hash threads give the cores to the event loop and PostgreSQL
    first (nice 19 for those threads only); the loop's own thread keeps its."""
    loop = asyncio.get_running_loop()
    own = os.getpriority(os.PRIO_PROCESS, 0)
    alice = await make_user()
    stored = passwords.hash_password(alice.password)
    assert await passwords.check_password_bounded(alice.password, stored)
    hashing = await loop.run_in_executor(
        passwords._hasher(), os.getpriority, os.PRIO_PROCESS, 0
    )
    assert hashing == passwords.HASH_NICE == 19
    assert os.getpriority(os.PRIO_PROCESS, 0) == own < 19
