"""The task services from Python, without HTTP: what they return, what they
publish, and that a change rolled back tells nobody."""

import asyncio

import psycopg2
import pytest

from leopard.errors import Forbidden, NotFound
from leopard.queries.users import get_user
from leopard.services import notifications
from leopard.services import tasks as service
from leopard.services.task_comments import add_comment

from ..support.common import Recorder


@pytest.fixture
def broker():
    return Recorder()


async def actor_of(engine, person):
    async with engine.acquire() as conn:
        return await get_user(conn, person.id)


async def notes_of(engine, person) -> list:
    async with engine.acquire() as conn:
        result = await conn.execute(
            "SELECT notification_type, meta_info FROM notifications"
            " WHERE assigned_to = %s ORDER BY id",
            (person.id,),
        )
        return [(row[0], row[1]) for row in await result.fetchall()]


async def test_task_create_returns_the_row_and_publishes_after_commit(
    engine, broker, make_user
):
    alice, bob = await make_user(), await make_user()
    actor = await actor_of(engine, alice)
    task = await service.create_task(
        engine, broker, actor, {"title": "From Python", "assigned_to": bob.id}
    )
    assert (task.title, task.created_by, task.assigned_by) == (
        "From Python",
        alice.id,
        alice.id,
    )
    [(user_id, event)] = broker.published
    assert (user_id, event.event, event.type) == (
        bob.id,
        "notification",
        "TASK_ASSIGNED",
    )
    assert await notes_of(engine, bob) == [
        ("TASK_ASSIGNED", {"task_id": task.id, "actor_id": alice.id})
    ]


async def test_a_change_rolled_back_after_its_notifications_tells_nobody(
    engine, broker, make_user, monkeypatch
):
    alice, bob = await make_user(), await make_user()
    actor = await actor_of(engine, alice)
    task = await service.create_task(engine, broker, actor, {"title": "Roll back"})
    real = notifications.create_notifications

    async def create_then_fail(work, items):
        rows = await real(work, items)
        assert [row.assigned_to for row in rows] == [bob.id]
        raise RuntimeError("the transaction fails after the notifications")

    monkeypatch.setattr(notifications, "create_notifications", create_then_fail)
    with pytest.raises(RuntimeError):
        await service.assign_task(engine, broker, actor, task.id, bob.id)
    assert broker.published == []
    assert await notes_of(engine, bob) == []
    assert (await service.get_task(engine, task.id)).assigned_to is None


async def test_a_comment_whose_insert_fails_leaves_no_count_and_no_notification(
    engine, broker, make_user
):
    alice, bob = await make_user(), await make_user()
    actor = await actor_of(engine, bob)
    task = await service.create_task(
        engine, broker, await actor_of(engine, alice), {"title": "Too long"}
    )
    # The schema would refuse it; here the database's CHECK does, after the
    # count was raised in the same transaction.
    with pytest.raises(psycopg2.IntegrityError):
        await add_comment(engine, broker, actor, task.id, "x" * 10_001)
    assert (await service.get_task(engine, task.id)).comment_count == 0
    assert await notes_of(engine, alice) == []
    assert broker.published == []


async def test_concurrent_comments_are_all_counted(engine, broker, make_user):
    alice = await make_user()
    actor = await actor_of(engine, alice)
    task = await service.create_task(engine, broker, actor, {"title": "Busy"})
    await asyncio.gather(
        *(add_comment(engine, broker, actor, task.id, f"c{i}") for i in range(3))
    )
    assert (await service.get_task(engine, task.id)).comment_count == 3


async def test_services_raise_domain_errors_not_http_ones(engine, broker, make_user):
    alice, bob = await make_user(), await make_user()
    task = await service.create_task(
        engine, broker, await actor_of(engine, alice), {"title": "Guarded"}
    )
    stranger = await actor_of(engine, bob)
    with pytest.raises(Forbidden):
        await service.update_task(engine, broker, stranger, task.id, {"title": "x"})
    with pytest.raises(Forbidden):
        await service.delete_task(engine, broker, stranger, task.id)
    with pytest.raises(NotFound):
        await add_comment(engine, broker, stranger, 999_999_999, "hello")
    assert broker.published == []
