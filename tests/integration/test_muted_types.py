"""Muted types are never created for that user (no row, no event), while the
other recipients of the same change still get theirs; SYSTEM always arrives."""

import psycopg2
import pytest

from leopard.services import notifications, reminders
from leopard.vocabulary import NOTIFICATION_TYPES

from ..support.clients import new_application, new_client
from ..support.common import Recorder
from ..support.reminders import add_task, hours
from ..support.sse import SSE
from ..support.tasks import TASKS, inbox, make_task, send
from ..support.visas import patch_application

P = "/api/v1/users/me/preferences/"


async def mute(client, person, *types):
    await send(client, "PATCH", P, person, {"muted_types": list(types)})


async def stored(engine, person) -> list[str]:
    async with engine.acquire() as conn:
        result = await conn.execute(
            "SELECT notification_type FROM notifications WHERE assigned_to = %s"
            " ORDER BY id",
            (person.id,),
        )
        return [row[0] for row in await result.fetchall()]


async def test_a_muted_comment_reaches_the_creator_but_not_the_assignee(
    client, make_user, engine
):
    alice, bob, carol = await make_user(), await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    await mute(client, bob, "TASK_COMMENT")
    async with (
        SSE.open(client, headers=bob.headers) as bobs,
        SSE.open(client, headers=alice.headers) as alices,
    ):
        path = f"{TASKS}{task['id']}/comments/"
        await send(client, "POST", path, carol, {"body": "scan is in"}, expect=201)
        [note] = await alices.notifications(1)
        assert note["notification_type"] == "TASK_COMMENT"
        assert note["emailed_at"] is None  # the stream's object has it too
        await bobs.nothing()
    assert await stored(engine, bob) == ["TASK_ASSIGNED"]
    assert await stored(engine, alice) == ["TASK_COMMENT"]


async def test_a_muted_mention_is_not_replaced_by_a_comment(client, make_user, engine):
    alice, bob, dana = await make_user(), await make_user(), await make_user()
    task = await make_task(client, alice, assigned_to=bob.id)
    await mute(client, dana, "TASK_MENTIONED")
    path = f"{TASKS}{task['id']}/comments/"
    body = {"body": f"@{dana.username} and @{bob.username}, see this"}
    await send(client, "POST", path, alice, body, expect=201)
    assert await stored(engine, dana) == []
    assert await stored(engine, bob) == ["TASK_ASSIGNED", "TASK_MENTIONED"]


async def test_a_muted_assignment_writes_nothing_and_unmuting_brings_the_next(
    client, make_user, engine
):
    alice, bob = await make_user(), await make_user()
    await mute(client, bob, "TASK_ASSIGNED", "TASK_UPDATED")
    async with SSE.open(client, headers=bob.headers) as sse:
        task = await make_task(client, alice, assigned_to=bob.id)
        change = {"priority": "HIGH"}
        await send(client, "PATCH", f"{TASKS}{task['id']}/", alice, change)
        await sse.nothing()
    assert await stored(engine, bob) == []
    await mute(client, bob)
    await make_task(client, alice, assigned_to=bob.id)
    assert [n["notification_type"] for n in await inbox(client, bob)] == [
        "TASK_ASSIGNED"
    ]


async def test_muted_visa_notifications_are_not_created(client, make_user, engine):
    alice, bob = await make_user(), await make_user()
    await mute(client, bob, "VISA_APPLICATION_ASSIGNED")
    jane = await new_client(client, alice)
    made = await new_application(client, alice, jane["id"], assigned_to=bob.id)
    await patch_application(client, alice, made, status="VISA_APPLIED")
    assert await stored(engine, bob) == ["VISA_STATUS_UPDATE"]


async def test_a_muted_reminder_is_not_created_and_not_sent_later(
    client, make_user, engine, settings
):
    bob, carol = await make_user(), await make_user()
    await mute(client, bob, "TASK_DUE_SOON")
    await add_task(engine, bob, hours(2))
    await add_task(engine, carol, hours(2))
    broker = Recorder()
    await reminders.sweep(engine, broker, settings)
    await reminders.sweep(engine, broker, settings)
    assert await stored(engine, bob) == []
    assert await stored(engine, carol) == ["TASK_DUE_SOON"]
    told = {user for user, _ in broker.published}
    assert carol.id in told and bob.id not in told


async def test_an_admin_notification_of_a_muted_type_skips_that_recipient(
    client, make_user, engine
):
    admin, bob, carol = await make_user("admin"), await make_user(), await make_user()
    await mute(client, bob, "TASK_UPDATED")
    body = {
        "recipients": [bob.id, carol.id],
        "notification_type": "TASK_UPDATED",
        "title": "Heads up",
    }
    made = await send(client, "POST", "/api/v1/notifications/", admin, body, 201)
    assert made["created"] == 1
    assert await stored(engine, bob) == []
    assert await stored(engine, carol) == ["TASK_UPDATED"]


async def test_system_announcements_reach_everyone_whatever_they_muted(
    client, make_user, engine
):
    admin, bob = await make_user("admin"), await make_user()
    every_other = [t for t in NOTIFICATION_TYPES if t != "SYSTEM"]
    await mute(client, bob, *every_other)
    for recipients in ([bob.id], "all"):
        body = {"recipients": recipients, "title": "Office closed Friday"}
        await send(client, "POST", "/api/v1/notifications/", admin, body, 201)
    assert await stored(engine, bob) == ["SYSTEM", "SYSTEM"]
    # The database refuses a muted SYSTEM too, whoever writes the row.
    async with engine.acquire() as conn:
        with pytest.raises(psycopg2.errors.CheckViolation, match="system_not_muted"):
            await conn.execute(
                "UPDATE user_preferences SET muted_types = '{SYSTEM}'"
                " WHERE user_id = %s",
                (bob.id,),
            )


async def test_a_change_for_several_leaves_out_only_who_muted_it_in_one_round_trip(
    client, make_user, engine, monkeypatch
):
    """The preferences are read by the INSERT itself: a comment that mentions
    three people, one of whom muted mentions, sends one statement for all the
    notifications (no query of the preferences before it)."""
    statements = []
    real = notifications.q.insert_notifications

    async def counted(conn, rows, *options):
        statements.append(sorted(row["assigned_to"] for row in rows))
        return await real(conn, rows, *options)

    monkeypatch.setattr(notifications.q, "insert_notifications", counted)
    alice, bob = await make_user(), await make_user()
    named = [await make_user() for _ in range(3)]
    await mute(client, named[0], "TASK_MENTIONED")
    task = await make_task(client, alice, assigned_to=bob.id)
    statements.clear()
    mentions = " ".join(f"@{p.username}" for p in named)
    path = f"{TASKS}{task['id']}/comments/"
    await send(client, "POST", path, alice, {"body": mentions}, expect=201)
    assert statements == [sorted([bob.id, *(p.id for p in named)])]
    assert await stored(engine, named[0]) == []
    assert await stored(engine, named[1]) == ["TASK_MENTIONED"]
    assert await stored(engine, named[2]) == ["TASK_MENTIONED"]
    assert await stored(engine, bob) == ["TASK_ASSIGNED", "TASK_COMMENT"]


async def test_a_notification_to_everyone_skips_who_muted_its_type(
    client, make_user, engine
):
    admin, bob, carol = await make_user("admin"), await make_user(), await make_user()
    await mute(client, bob, "VISA_STATUS_UPDATE")
    body = {
        "recipients": "all",
        "title": "Visa rules change",
        "notification_type": "VISA_STATUS_UPDATE",
    }
    await send(client, "POST", "/api/v1/notifications/", admin, body, 201)
    assert await stored(engine, bob) == []
    assert await stored(engine, carol) == ["VISA_STATUS_UPDATE"]
    assert await stored(engine, admin) == ["VISA_STATUS_UPDATE"]
