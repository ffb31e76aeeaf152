"""Who is told of visa applications, on their stream, and never the actor."""

from ..support.clients import new_application, new_client
from ..support.sse import SSE
from ..support.visas import notification_count, patch_application


async def test_the_assignee_of_a_new_application_is_told(client, make_user):
    alice = await make_user(full_name="Alice Adams")
    bob = await make_user()
    jane = await new_client(client, alice, first_name="Jane", last_name="Doe")
    async with SSE.open(client, headers=bob.headers) as sse:
        made = await new_application(
            client, alice, jane["id"], visa_type="Student visa", assigned_to=bob.id
        )
        [note] = await sse.notifications(1)
    assert {k: note[k] for k in ("notification_type", "assigned_to", "title")} == {
        "notification_type": "VISA_APPLICATION_ASSIGNED",
        "assigned_to": bob.id,
        "title": "Visa application assigned: Jane Doe – Student visa",
    }
    assert note["message"] == (
        "Alice Adams assigned you this application (status: To be applied)."
    )
    assert note["meta_info"] == {
        "visa_application_id": made["id"],
        "client_id": jane["id"],
        "status": "TO_BE_APPLIED",
    }
    assert (
        await notification_count(client, alice),
        await notification_count(client, bob),
    ) == (0, 1)


async def test_assigning_later_tells_the_new_assignee_and_not_the_previous(
    client, make_user
):
    alice, bob, carol = await make_user(), await make_user(), await make_user()
    jane = await new_client(client, alice, first_name="Jane", last_name="Doe")
    made = await new_application(
        client, alice, jane["id"], visa_type="Visitor visa", assigned_to=carol.id
    )
    async with (
        SSE.open(client, headers=bob.headers) as bob_sse,
        SSE.open(client, headers=carol.headers) as carol_sse,
    ):
        await patch_application(client, alice, made, assigned_to=bob.id)
        [note] = await bob_sse.notifications(1)
        await carol_sse.nothing()
    assert note["notification_type"] == "VISA_APPLICATION_ASSIGNED"
    assert note["title"] == "Visa application assigned: Jane Doe – Visitor visa"
    assert note["meta_info"]["visa_application_id"] == made["id"]
    assert (
        await notification_count(client, alice),
        await notification_count(client, carol),
    ) == (0, 1)


async def test_a_status_change_tells_the_assignee_the_old_and_new_status(
    client, make_user
):
    alice = await make_user(full_name="Alice Adams")
    bob = await make_user()
    jane = await new_client(client, alice, first_name="Jane", last_name="Doe")
    made = await new_application(
        client, bob, jane["id"], visa_type="Partner visa", assigned_to=bob.id
    )
    async with SSE.open(client, headers=bob.headers) as sse:
        await patch_application(client, alice, made, status="VISA_APPLIED")
        [note] = await sse.notifications(1)
    assert (note["notification_type"], note["assigned_to"]) == (
        "VISA_STATUS_UPDATE",
        bob.id,
    )
    assert note["title"] == "Visa status updated: Jane Doe – Partner visa"
    assert note["message"] == (
        "Alice Adams changed the status from To be applied to Visa applied."
    )
    assert note["meta_info"] == {
        "visa_application_id": made["id"],
        "client_id": jane["id"],
        "old_status": "TO_BE_APPLIED",
        "new_status": "VISA_APPLIED",
    }
    assert await notification_count(client, alice) == 0


async def test_reassigning_and_changing_status_at_once_tells_the_new_assignee_once(
    client, make_user
):
    alice, bob, carol = await make_user(), await make_user(), await make_user()
    jane = await new_client(client, alice, first_name="Jane", last_name="Doe")
    made = await new_application(client, alice, jane["id"], assigned_to=carol.id)
    async with (
        SSE.open(client, headers=bob.headers) as bob_sse,
        SSE.open(client, headers=carol.headers) as carol_sse,
    ):
        await patch_application(
            client, alice, made, assigned_to=bob.id, status="CASE_OPENED"
        )
        [note] = await bob_sse.notifications(1)
        await bob_sse.nothing()
        await carol_sse.nothing()
    assert note["notification_type"] == "VISA_APPLICATION_ASSIGNED"
    assert note["message"].endswith(
        "assigned you this application and changed its status"
        " from To be applied to Case opened."
    )
    assert note["meta_info"] == {
        "visa_application_id": made["id"],
        "client_id": jane["id"],
        "status": "CASE_OPENED",
        "old_status": "TO_BE_APPLIED",
        "new_status": "CASE_OPENED",
    }
    assert (
        await notification_count(client, alice),
        await notification_count(client, bob),
    ) == (0, 1)
