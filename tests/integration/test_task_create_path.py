"""A new task for a colleague at work is made in one round trip with its
notification and its history entries (services.tasks._assigned_at_once). These
tests hold it to the general way: the same rows, entries and notification for
the same input, the table's own defaults, and the general way taken when the
assignee is away or has muted TASK_ASSIGNED."""

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from leopard.queries import tasks as task_queries
from leopard.services import tasks as service
from leopard.store import sql

from ..support.common import Recorder
from ..support.order import ROUNDS, assert_in_order, ids_of, post, read
from ..support.sse import SSE
from ..support.tasks import (
    TASKS,
    get_json,
    inbox,
    make_application,
    make_client,
    make_task,
)
from ..support.teams import away
from .test_task_services import actor_of

# Everything the task form can give, with a due date in another zone and to
# the microsecond (the entry must say it as the row reads it back: UTC).
EVERY_FIELD = {
    "detail": "Certified copies, both sides",
    "priority": "URGENT",
    "status": "IN_PROGRESS",
    "due_date": "2027-04-04T09:30:00.123456+10:00",
    "tags": ["passport", "urgent", "passport"],
}


async def created_and_told(engine, task_id: int) -> tuple:
    """(the task's entries but their ids and times, its notifications' types,
    recipients and meta_info)."""
    async with engine.acquire() as conn:
        result = await conn.execute(
            "SELECT actor_id, subject, action, changes, recipient_id, client_id,"
            " visa_application_id, notification_id IS NOT NULL FROM history"
            " WHERE subject = %s ORDER BY id",
            (f"task:{task_id}",),
        )
        entries = [tuple(row.values()) for row in await result.fetchall()]
        result = await conn.execute(
            "SELECT notification_type, assigned_to, title, message, due_date,"
            ' meta_info, "group" FROM notifications'
            " WHERE meta_info->>'task_id' = %s ORDER BY id",
            (str(task_id),),
        )
        notes = [tuple(row.values()) for row in await result.fetchall()]
    return entries, notes


def without_task_id(told: tuple, task_id: int) -> tuple:
    """The entries and notifications with the task's id written as 0."""
    entries, notes = told
    entries = [(e[0], e[1].replace(f":{task_id}", ":0"), *e[2:]) for e in entries]
    notes = [
        (*n[:5], {**n[5], "task_id": 0}, n[6].replace(f":{task_id}", ":0"))
        for n in notes
    ]
    return entries, notes


@pytest.fixture
def general_way(monkeypatch):
    """Every task made the general way (its INSERT, then the notifications'
    statement) from then on."""

    def use():
        monkeypatch.setattr(service, "_at_once", lambda actor, values: False)

    return use


@pytest.mark.parametrize("given", [{}, EVERY_FIELD], ids=["defaults", "every-field"])
async def test_at_once_stores_what_the_general_way_stores(
    client, engine, make_user, general_way, given
):
    alice, bob = await make_user(), await make_user()
    client_id = await make_client(engine)
    application = await make_application(engine, client_id)
    body = {"title": "Renew the passport", "assigned_to": bob.id, **given}
    if given:
        body["visa_application_id"] = application
    at_once = await make_task(client, alice, **body)
    general_way()
    general = await make_task(client, alice, **body)

    assert general["id"] > at_once["id"]
    shown = {k: v for k, v in at_once.items() if not k.endswith(("id", "_at"))}
    assert shown == {k: v for k, v in general.items() if not k.endswith(("id", "_at"))}
    assert (at_once["client_id"], at_once["visa_application_id"]) == (
        (client_id, application) if given else (None, None)
    )
    first = without_task_id(
        await created_and_told(engine, at_once["id"]), at_once["id"]
    )
    second = without_task_id(
        await created_and_told(engine, general["id"]), general["id"]
    )
    assert first == second
    entries, notes = first
    # The created entry first, then the notified one; the notification's
    # meta_info names the task, the actor and the case.
    assert [e[2] for e in entries] == ["created", "notified"]
    changes = entries[0][3]
    assert changes["title"] == [None, "Renew the passport"]
    assert changes["priority"] == [None, given.get("priority", "MEDIUM")]
    if given:
        assert changes["due_date"] == [None, "2027-04-03T23:30:00.123456+00:00"]
        assert changes["tags"] == [None, ["passport", "urgent"]]
        assert changes["client_id"] == [None, client_id]
    else:
        assert "due_date" not in changes and "tags" not in changes
    [(kind, recipient, title, _, _, meta, group)] = notes
    assert (kind, recipient, title) == (
        "TASK_ASSIGNED",
        bob.id,
        "Task assigned: Renew the passport",
    )
    expected_meta = {"task_id": 0, "actor_id": alice.id}
    if given:
        expected_meta.update(client_id=client_id, visa_application_id=application)
    assert (meta, group) == (expected_meta, "task:0")


async def test_a_task_for_a_colleague_is_one_round_trip_and_its_commit(
    engine, make_user, monkeypatch
):
    """BEGIN, the lock, the task, its notification and both entries in one
    round trip; COMMIT the second. (The general way takes three.)"""
    sent = []
    real = sql.fetch

    async def counted(conn, text, params):
        sent.append([part.split("(")[0].strip() for part in text.split(";")])
        return await real(conn, text, params)

    alice, bob = await make_user(), await make_user()
    actor, broker = await actor_of(engine, alice), Recorder()
    data = {"title": "Warm up", "assigned_to": bob.id}
    await service.create_task(engine, broker, actor, data)  # prepares on first use
    broker.published.clear()
    monkeypatch.setattr(sql, "fetch", counted)
    task = await service.create_task(engine, broker, actor, data)
    # (fetch puts BEGIN in front of the first.)
    [first, commit] = sent
    assert [part.split()[0] for part in first] == ["EXECUTE"] * 3
    assert commit == ["COMMIT"]
    [(user_id, event)] = broker.published
    assert user_id == bob.id and event.type == "TASK_ASSIGNED"
    assert task.assigned_to == bob.id


async def test_the_defaults_are_the_tables(engine):
    """`stored` fills a new task's fields with the table's own defaults."""
    async with engine.acquire() as conn:
        result = await conn.execute(
            "SELECT column_name, column_default, is_nullable FROM"
            " information_schema.columns WHERE table_name = 'tasks'"
        )
        columns = {row[0]: (row[1], row[2]) for row in await result.fetchall()}
    written = {
        "detail": "''::text",
        "priority": "'MEDIUM'::text",
        "status": "'PENDING'::text",
        "tags": "'{}'::text[]",
    }
    for name, value in task_queries.DEFAULTS.items():
        default, nullable = columns[name]
        if value is None:
            assert (default, nullable) == (None, "YES"), name
        else:
            assert default == written[name], name
    assert task_queries.stored({})["tags"] == []


async def test_for_someone_away_the_delegate_gets_it_and_one_task_is_made(
    client, engine, make_user
):
    boss, tom, ana = await make_user(), await make_user(), await make_user()
    await away(client, tom, ana)
    async with engine.acquire() as conn:
        before = await conn.scalar("SELECT count(*) FROM tasks")
    task = await make_task(client, boss, title="While away", assigned_to=tom.id)
    async with engine.acquire() as conn:
        assert await conn.scalar("SELECT count(*) FROM tasks") == before + 1
    assert (task["assigned_to"], task["delegated_from"]) == (ana.id, tom.id)
    entries, notes = await created_and_told(engine, task["id"])
    assert [e[2] for e in entries] == ["created", "delegated", "notified"]
    assert [(n[0], n[1]) for n in notes] == [("TASK_ASSIGNED", ana.id)]
    assert await inbox(client, tom) == []


async def test_muted_the_task_is_made_and_nobody_is_told(client, engine, make_user):
    alice, bob = await make_user(), await make_user()
    body = {"muted_types": ["TASK_ASSIGNED"]}
    resp = await client.patch(
        "/api/v1/users/me/preferences/", json=body, headers=bob.headers
    )
    assert resp.status == 200, await resp.text()
    task = await make_task(client, alice, title="Quietly", assigned_to=bob.id)
    entries, notes = await created_and_told(engine, task["id"])
    assert [e[2] for e in entries] == ["created"] and notes == []
    assert (await get_json(client, f"{TASKS}{task['id']}/", bob))[
        "assigned_to"
    ] == bob.id


async def test_an_inactive_assignee_is_a_422_and_nothing_is_stored(
    client, engine, make_user
):
    alice, gone = await make_user(), await make_user()
    async with engine.acquire() as conn:
        await conn.execute(
            "UPDATE users SET is_active = false WHERE id = %s", (gone.id,)
        )
        before = await conn.scalar("SELECT count(*) FROM tasks")
        entries = await conn.scalar("SELECT count(*) FROM history")
    resp = await client.post(
        TASKS, json={"title": "Nobody", "assigned_to": gone.id}, headers=alice.headers
    )
    assert resp.status == 422
    assert (await resp.json())["error"]["fields"]["assigned_to"] == [
        f"no active user with id {gone.id}"
    ]
    async with engine.acquire() as conn:
        assert await conn.scalar("SELECT count(*) FROM tasks") == before
        assert await conn.scalar("SELECT count(*) FROM history") == entries


async def test_a_due_date_in_another_zone_is_entered_as_the_row_reads_it(
    engine, make_user
):
    """The services take a due date in any zone (a deadline in business days
    is the office's closing time, in its zone); the entry says it in UTC, as
    the row is read back, whichever way the task was made."""
    alice, bob = await make_user(), await make_user()
    actor = await actor_of(engine, alice)
    sydney = timezone(timedelta(hours=10))
    due = datetime(2027, 4, 5, 17, 0, 0, 250, tzinfo=sydney)
    data = {"title": "Lodge it", "assigned_to": bob.id, "due_date": due}
    task = await service.create_task(engine, Recorder(), actor, data)
    assert task.due_date == due and task.due_date.utcoffset() == timedelta(0)
    [created, _] = (await created_and_told(engine, task.id))[0]
    assert created[3]["due_date"] == [None, "2027-04-05T07:00:00.000250+00:00"]


async def test_new_tasks_and_announcements_reach_her_in_strictly_increasing_order(
    client, make_user, engine
):
    """New tasks (one round trip with the lock) and announcements (the general
    way) to one recipient, sixteen writers at once: her stream gets every
    notification, ids strictly increasing, round after round."""
    admin, boss, alice = await make_user("admin"), await make_user(), await make_user()
    writers, each = 16, 20

    async def write(n: int, round_: int) -> None:
        for i in range(each):
            if (n + i) % 2:
                title = f"r{round_}-{n}-{i}"
                await make_task(client, boss, title=title, assigned_to=alice.id)
            else:
                await post(client, admin, [alice.id], f"r{round_}-{n}-{i}")

    total = writers * each
    for round_ in range(ROUNDS):
        before = set(await ids_of(engine, alice.id))
        async with SSE.open(client, headers=alice.headers) as stream:
            reading = asyncio.create_task(read(stream, total))
            await asyncio.gather(*(write(n, round_) for n in range(writers)))
            got = await reading
        everything = [i for i in await ids_of(engine, alice.id) if i not in before]
        assert len(everything) == total
        assert_in_order(got, everything)
        tasks = await ids_of(engine, alice.id, ["TASK_ASSIGNED"])
        assert len([i for i in tasks if i not in before]) == total // 2
