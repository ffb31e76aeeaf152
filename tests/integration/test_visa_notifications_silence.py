"""When nobody is told of a change to a visa application."""

from ..support.clients import VISAS, error_of, new_application, new_client
from ..support.sse import SSE
from ..support.visas import notification_count, patch_application, stored_about


async def test_nobody_is_told_of_their_own_assignment_or_status_change(
    client, make_user, engine
):
    bob = await make_user()
    jane = await new_client(client, bob)
    async with SSE.open(client, headers=bob.headers) as sse:
        made = await new_application(client, bob, jane["id"], assigned_to=bob.id)
        await patch_application(client, bob, made, status="VISA_APPLIED")
        await sse.nothing()
    assert await notification_count(client, bob) == 0
    assert await stored_about(engine, made) == 0


async def test_a_change_without_new_assignee_or_status_tells_nobody(
    client, make_user, engine
):
    alice, bob = await make_user(), await make_user()
    jane = await new_client(client, alice)
    made = await new_application(client, bob, jane["id"], assigned_to=bob.id)
    async with SSE.open(client, headers=bob.headers) as sse:
        await patch_application(
            client,
            alice,
            made,
            assigned_to=bob.id,
            status="TO_BE_APPLIED",
            reference="R-77",
            notes="passport renewed",
        )
        await sse.nothing()
    assert await stored_about(engine, made) == 0


async def test_a_status_change_of_an_unassigned_application_tells_nobody(
    client, make_user, engine
):
    alice = await make_user()
    made = await new_application(client, alice, (await new_client(client, alice))["id"])
    await patch_application(client, alice, made, status="WITHDRAWN")
    assert await stored_about(engine, made) == 0


async def test_a_refused_change_tells_nobody_and_changes_nothing(
    client, make_user, engine
):
    alice, bob = await make_user(), await make_user()
    made = await new_application(client, alice, (await new_client(client, alice))["id"])
    path = f"{VISAS}{made['id']}/"
    async with SSE.open(client, headers=bob.headers) as sse:
        resp = await client.patch(
            path,
            json={"assigned_to": bob.id, "status": "GRANTED", "client_id": 999999999},
            headers=alice.headers,
        )
        assert set((await error_of(resp, 422))["fields"]) == {"client_id"}
        await sse.nothing()
    assert await (await client.get(path, headers=alice.headers)).json() == made
    assert await stored_about(engine, made) == 0
