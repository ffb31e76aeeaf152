"""Who is told about a task change, seen on the recipients' streams and lists."""

from datetime import datetime

from ..support.sse import SSE
from ..support.tasks import TASKS, inbox, make_application, make_client, make_task, send


async def test_a_task_created_with_an_assignee_tells_the_assignee(client, make_user):
    alice, bob = await make_user(), await make_user()
    async with SSE.open(client, headers=bob.headers) as sse:
        task = await make_task(
            client,
            alice,
            title="Collect the police check",
            assigned_to=bob.id,
            due_date="2030-06-01T09:00:00+02:00",
        )
        [note] = await sse.notifications(1)
        await sse.nothing()
    assert note["notification_type"] == "TASK_ASSIGNED"
    assert note["assigned_to"] == bob.id
    assert note["title"] == "Task assigned: Collect the police check"
    assert note["message"] == f"{alice.username} assigned you this task."
    assert note["meta_info"] == {"task_id": task["id"], "actor_id": alice.id}
    assert datetime.fromisoformat(note["due_date"]) == datetime.fromisoformat(
        task["due_date"]
    )
    [listed] = await inbox(client, bob)
    assert {**listed, "delivered_at": None} == {**note, "delivered_at": None}
    assert await inbox(client, alice) == []


async def test_nobody_is_told_of_a_task_created_for_oneself_or_unassigned(
    client, make_user
):
    alice = await make_user()
    async with SSE.open(client, headers=alice.headers) as sse:
        await make_task(client, alice, assigned_to=alice.id)
        await make_task(client, alice)
        await sse.nothing()
    assert await inbox(client, alice) == []


async def test_a_reassignment_tells_the_new_and_the_previous_assignee(
    client, make_user
):
    alice, bob, carol = await make_user(), await make_user(), await make_user()
    admin = await make_user("admin")
    task = await make_task(client, alice, assigned_to=bob.id)
    async with (
        SSE.open(client, headers=bob.headers) as bob_sse,
        SSE.open(client, headers=carol.headers) as carol_sse,
    ):
        path = f"{TASKS}{task['id']}/assign/"
        await send(client, "POST", path, admin, {"assigned_to": carol.id})
        [to_carol] = await carol_sse.notifications(1)
        [to_bob] = await bob_sse.notifications(1)
        await carol_sse.nothing()
        await bob_sse.nothing()
    changes = {"assigned_to": [bob.id, carol.id]}
    assert to_carol["notification_type"] == "TASK_ASSIGNED"
    assert to_carol["title"] == f"Task assigned: {task['title']}"
    assert to_carol["message"] == f"{admin.username} assigned you this task."
    assert to_carol["meta_info"] == {
        "task_id": task["id"],
        "actor_id": admin.id,
        "changes": changes,
    }
    assert to_bob["notification_type"] == "TASK_UPDATED"
    assert to_bob["title"] == f"Task reassigned: {task['title']}"
    assert to_bob["message"] == f"{admin.username} reassigned this task."
    assert to_bob["meta_info"]["changes"] == changes
    # The creator is not told of a reassignment alone, nor the actor.
    assert await inbox(client, alice) == []
    assert await inbox(client, admin) == []


async def test_the_assignee_passing_the_task_on_is_not_told_of_it(client, make_user):
    alice, bob, carol = await make_user(), await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    before = await inbox(client, bob)
    path = f"{TASKS}{task['id']}/assign/"
    await send(client, "POST", path, bob, {"assigned_to": carol.id})
    [to_carol] = await inbox(client, carol)
    assert to_carol["notification_type"] == "TASK_ASSIGNED"
    assert await inbox(client, bob) == before


async def test_unassigning_tells_the_previous_assignee(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    await send(
        client, "POST", f"{TASKS}{task['id']}/assign/", alice, {"assigned_to": None}
    )
    [latest, _assigned] = await inbox(client, bob)
    assert latest["notification_type"] == "TASK_UPDATED"
    assert latest["message"] == f"{alice.username} unassigned this task."
    assert latest["meta_info"]["changes"] == {"assigned_to": [bob.id, None]}


async def test_a_status_change_tells_the_assignee_and_the_creator(client, make_user):
    alice, bob, admin = await make_user(), await make_user(), await make_user("admin")
    task = await make_task(client, alice, assigned_to=bob.id)
    async with (
        SSE.open(client, headers=alice.headers) as alice_sse,
        SSE.open(client, headers=bob.headers) as bob_sse,
    ):
        await send(
            client,
            "PATCH",
            f"{TASKS}{task['id']}/",
            admin,
            {"status": "IN_PROGRESS", "priority": "HIGH", "tags": ["ignored"]},
        )
        [to_alice] = await alice_sse.notifications(1)
        [to_bob] = await bob_sse.notifications(1)
        await alice_sse.nothing()
    for note, user in ((to_alice, alice), (to_bob, bob)):
        assert note["notification_type"] == "TASK_UPDATED"
        assert note["assigned_to"] == user.id
        assert note["title"] == f"Task updated: {task['title']}"
        assert note["message"] == (
            f"{admin.username} changed status (Pending → In progress), "
            "priority (Medium → High)."
        )
        assert note["meta_info"] == {
            "task_id": task["id"],
            "actor_id": admin.id,
            "changes": {
                "status": ["PENDING", "IN_PROGRESS"],
                "priority": ["MEDIUM", "HIGH"],
            },
        }
    assert await inbox(client, admin) == []


async def test_the_assignee_changing_the_task_tells_only_the_creator(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    bob_before = await inbox(client, bob)
    await send(
        client,
        "PATCH",
        f"{TASKS}{task['id']}/",
        bob,
        {"due_date": "2030-01-02T03:04:05Z", "title": "Renamed", "detail": "More"},
    )
    [note] = await inbox(client, alice)
    assert note["title"] == "Task updated: Renamed"
    assert note["message"] == (
        f"{bob.username} changed due date (none → 2030-01-02 03:04 UTC), title, detail."
    )
    assert note["meta_info"]["changes"] == {
        "due_date": [None, "2030-01-02T03:04:05+00:00"],
        "title": [task["title"], "Renamed"],
        "detail": ["", "More"],
    }
    assert note["due_date"] == "2030-01-02T03:04:05+00:00"
    assert await inbox(client, bob) == bob_before


async def test_someone_both_creator_and_assignee_is_told_once(client, make_user):
    alice, admin = await make_user(), await make_user("admin")
    task = await make_task(client, alice, assigned_to=alice.id)
    await send(client, "PATCH", f"{TASKS}{task['id']}/", admin, {"status": "COMPLETED"})
    [note] = await inbox(client, alice)
    assert note["meta_info"]["changes"] == {"status": ["PENDING", "COMPLETED"]}


async def test_a_patch_that_reassigns_and_changes_tells_each_person_once(
    client, make_user
):
    alice, bob, carol, admin = (
        await make_user(),
        await make_user(),
        await make_user(),
        await make_user("admin"),
    )
    task = await make_task(client, alice, assigned_to=bob.id)
    await send(
        client,
        "PATCH",
        f"{TASKS}{task['id']}/",
        admin,
        {"assigned_to": carol.id, "status": "IN_PROGRESS"},
    )
    changes = {"status": ["PENDING", "IN_PROGRESS"], "assigned_to": [bob.id, carol.id]}
    [to_carol] = await inbox(client, carol)
    assert to_carol["notification_type"] == "TASK_ASSIGNED"
    assert to_carol["meta_info"]["changes"] == changes
    [to_bob, _first] = await inbox(client, bob)
    assert to_bob["notification_type"] == "TASK_UPDATED"
    assert to_bob["message"] == (
        f"{admin.username} reassigned this task and changed "
        "status (Pending → In progress)."
    )
    [to_alice] = await inbox(client, alice)
    assert to_alice["notification_type"] == "TASK_UPDATED"
    assert to_alice["meta_info"]["changes"] == changes


async def test_changes_to_tags_or_no_changes_tell_nobody(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id, priority="HIGH")
    before = await inbox(client, bob)
    path = f"{TASKS}{task['id']}/"
    await send(client, "PATCH", path, alice, {"tags": ["x"], "priority": "HIGH"})
    await send(client, "POST", f"{path}assign/", alice, {"assigned_to": bob.id})
    assert await inbox(client, bob) == before


async def test_a_comment_tells_the_assignee_and_the_creator(client, make_user):
    alice, bob, carol = await make_user(), await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    async with SSE.open(client, headers=alice.headers) as sse:
        comment = await send(
            client,
            "POST",
            f"{TASKS}{task['id']}/comments/",
            carol,
            {"body": "The embassy called back."},
            expect=201,
        )
        [to_alice] = await sse.notifications(1)
    [to_bob, _assigned] = await inbox(client, bob)
    for note in (to_alice, to_bob):
        assert note["notification_type"] == "TASK_COMMENT"
        assert note["title"] == f"New comment: {task['title']}"
        assert note["message"] == f"{carol.username}: The embassy called back."
        assert note["meta_info"] == {
            "task_id": task["id"],
            "actor_id": carol.id,
            "comment_id": comment["id"],
        }
    assert await inbox(client, carol) == []


async def test_the_assignee_commenting_tells_only_the_creator(client, make_user):
    alice, bob = await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    before = await inbox(client, bob)
    await send(
        client, "POST", f"{TASKS}{task['id']}/comments/", bob, {"body": "Done"}, 201
    )
    assert [n["notification_type"] for n in await inbox(client, alice)] == [
        "TASK_COMMENT"
    ]
    assert await inbox(client, bob) == before


async def test_notifications_carry_the_client_and_visa_application(
    client, make_user, engine
):
    alice, bob = await make_user(), await make_user()
    client_id = await make_client(engine)
    application = await make_application(engine, client_id)
    task = await make_task(
        client, alice, assigned_to=bob.id, visa_application_id=application
    )
    comment = await send(
        client, "POST", f"{TASKS}{task['id']}/comments/", alice, {"body": "hi"}, 201
    )
    [commented, assigned] = await inbox(client, bob)
    assert assigned["meta_info"] == {
        "task_id": task["id"],
        "actor_id": alice.id,
        "client_id": client_id,
        "visa_application_id": application,
    }
    assert commented["meta_info"] == {
        **assigned["meta_info"],
        "comment_id": comment["id"],
    }


async def test_messages_name_people_by_their_full_name(client, make_user):
    """The inbox shows "Maria K" and "In progress" elsewhere; so do the messages."""
    alice = await make_user(full_name="Alice Adams")
    bob = await make_user(full_name="Bob Brown")
    task = await make_task(client, alice, assigned_to=bob.id)
    [assigned] = await inbox(client, bob)
    assert assigned["message"] == "Alice Adams assigned you this task."
    await send(client, "PATCH", f"{TASKS}{task['id']}/", bob, {"status": "IN_PROGRESS"})
    [updated] = await inbox(client, alice)
    assert updated["message"] == "Bob Brown changed status (Pending → In progress)."
    assert updated["meta_info"]["changes"] == {"status": ["PENDING", "IN_PROGRESS"]}
    await send(
        client,
        "POST",
        f"{TASKS}{task['id']}/comments/",
        bob,
        {"body": "Done soon"},
        expect=201,
    )
    [commented, _] = await inbox(client, alice)
    assert commented["message"] == "Bob Brown: Done soon"
