"""The last active admin: never demoted or deactivated, even by two admins
demoting each other at the same moment."""

import asyncio

import pytest

from leopard.auth import tokens
from leopard.queries.users import count_active_admins
from leopard.services.users import create_user
from leopard.store.db import open_engine
from leopard.store.migrations import migrate

pytestmark = pytest.mark.hardening

USERS = "/api/v1/users/"


@pytest.fixture
async def office(fresh_database, make_app, serve, settings):
    """A database of its own holding two admins, alice and bob, and nobody
    else (the shared one has admins of every test): (client, engine, alice's
    and bob's headers by id)."""
    with fresh_database() as url:
        async with open_engine(url, maxsize=4) as engine:
            await migrate(engine)
            people = {}
            for name in ("alice", "bob"):
                row = await create_user(
                    engine, username=name, password="a-long-password", role="admin"
                )
                token = tokens.issue(settings, row.id)
                people[row.id] = {"Authorization": f"Bearer {token}"}
            client = await serve(make_app(database_url=url))
            yield client, engine, people
            await client.close()


async def _admins(engine) -> int:
    async with engine.acquire() as conn:
        return await count_active_admins(conn)


async def test_the_last_admin_cannot_demote_or_deactivate_themselves(office):
    client, engine, people = office
    alice, bob = people
    resp = await client.patch(
        f"{USERS}{bob}/", json={"role": "staff"}, headers=people[alice]
    )
    assert resp.status == 200 and (await resp.json())["role"] == "staff"
    for change in (
        {"role": "staff"},
        {"is_active": False},
        {"role": "staff", "is_active": False},
    ):
        resp = await client.patch(
            f"{USERS}{alice}/", json=change, headers=people[alice]
        )
        assert resp.status == 409, await resp.text()
        error = (await resp.json())["error"]
        assert error["code"] == "last_admin"
        assert set(error["fields"]) == set(change)
        assert await _admins(engine) == 1
    # What does not end an admin is still allowed, to the last one too.
    resp = await client.patch(
        f"{USERS}{alice}/",
        json={"role": "admin", "full_name": "Alice A"},
        headers=people[alice],
    )
    assert resp.status == 200 and (await resp.json())["full_name"] == "Alice A"


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(office):
    """Each checks inside its transaction, with the admins' rows locked: the
    second waits for the first and then sees it was the last one left. 20
    rounds, demotions and deactivations, each answered 200 and 409 (or 403 or
    401, when the loser's token is read after the winner's change)."""
    client, engine, people = office
    alice, bob = people
    seen = set()
    for round_ in range(20):
        change = {"role": "staff"} if round_ % 2 else {"is_active": False}
        answers = await asyncio.gather(
            client.patch(f"{USERS}{bob}/", json=change, headers=people[alice]),
            client.patch(f"{USERS}{alice}/", json=change, headers=people[bob]),
        )
        statuses = sorted(resp.status for resp in answers)
        assert statuses in ([200, 401], [200, 403], [200, 409]), (round_, statuses)
        seen.add(statuses[1])
        assert await _admins(engine) == 1, round_
        winner = alice if answers[0].status == 200 else bob
        loser = bob if winner == alice else alice
        back = {"role": "admin", "is_active": True}
        resp = await client.patch(f"{USERS}{loser}/", json=back, headers=people[winner])
        assert resp.status == 200 and await _admins(engine) == 2
    assert 409 in seen
