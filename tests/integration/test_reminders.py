"""Due-date reminders from Python, one sweep at a time against the real
database. The database is shared by the suite, so each test looks only at its
own people and tasks, never at the number a sweep returns."""

from dataclasses import replace

import pytest

from leopard.services import notifications
from leopard.services import reminders as service

from ..support.common import Recorder
from ..support.reminders import add_task, hours, reminders, set_due
from ..support.tasks import make_application, make_client

SOON, OVERDUE = "TASK_DUE_SOON", "TASK_OVERDUE"


@pytest.fixture
def broker():
    return Recorder()


@pytest.fixture
def sweep(engine, broker, settings):
    async def run(now=None, **kwargs):
        return await service.sweep(engine, broker, settings, now, **kwargs)

    return run


async def note_of(engine, person):
    async with engine.acquire() as conn:
        result = await conn.execute(
            "SELECT * FROM notifications WHERE assigned_to = %s", (person.id,)
        )
        [row] = await result.fetchall()
        return row


async def test_a_task_due_soon_reminds_its_assignee_once(
    engine, broker, sweep, make_user
):
    bob = await make_user()
    task = await add_task(engine, bob, hours(2))
    assert await sweep() >= 1
    assert await reminders(engine, bob) == [(task, SOON)]
    await sweep()
    assert await reminders(engine, bob) == [(task, SOON)]
    [event] = [event for user, event in broker.published if user == bob.id]
    assert (event.event, event.type) == ("notification", SOON)


async def test_a_reminder_names_the_task_its_due_date_client_and_application(
    engine, sweep, make_user
):
    bob = await make_user()
    client_id = await make_client(engine)
    application_id = await make_application(engine, client_id)
    due = hours(3).replace(microsecond=0)
    task = await add_task(
        engine,
        bob,
        due,
        title="Lodge the 482",
        client_id=client_id,
        visa_application_id=application_id,
    )
    await sweep()
    note = await note_of(engine, bob)
    assert note.title == "Task due soon: Lodge the 482"
    assert note.message == f"This task is due on {due:%Y-%m-%d %H:%M} UTC."
    assert note.due_date == due
    assert note.meta_info == {
        "task_id": task,
        "due_date": due.isoformat(),
        "client_id": client_id,
        "visa_application_id": application_id,
    }


async def test_a_task_first_seen_past_due_gets_one_overdue_reminder_only(
    engine, sweep, make_user
):
    bob = await make_user()
    due = hours(-1)
    task = await add_task(engine, bob, due, title="File the appeal")
    await sweep()
    await sweep()
    assert await reminders(engine, bob) == [(task, OVERDUE)]
    note = await note_of(engine, bob)
    assert note.title == "Task overdue: File the appeal"
    assert note.message.startswith("This task was due on ")
    assert note.meta_info == {"task_id": task, "due_date": due.isoformat()}


async def test_a_task_due_soon_and_later_overdue_gets_each_reminder_once(
    engine, sweep, make_user
):
    bob = await make_user()
    task = await add_task(engine, bob, hours(1))
    await sweep()
    later = hours(2)
    await sweep(later)
    await sweep(later)
    await sweep()
    assert await reminders(engine, bob) == [(task, SOON), (task, OVERDUE)]


async def test_completed_and_cancelled_tasks_are_never_reminded(
    engine, sweep, make_user
):
    bob = await make_user()
    for status in ("COMPLETED", "CANCELLED"):
        for due in (hours(1), hours(-1)):
            await add_task(engine, bob, due, status=status)
    working = await add_task(engine, bob, hours(-1), status="IN_PROGRESS")
    await sweep()
    assert await reminders(engine, bob) == [(working, OVERDUE)]


async def test_an_unassigned_task_is_reminded_only_once_it_has_an_assignee(
    engine, sweep, make_user
):
    alice, bob = await make_user(), await make_user()
    task = await add_task(engine, None, hours(1), creator=alice)
    await sweep()
    assert await reminders(engine, alice, bob) == []
    async with engine.acquire() as conn:
        await conn.execute(
            "UPDATE tasks SET assigned_to = %s WHERE id = %s", (bob.id, task)
        )
    await sweep()
    assert await reminders(engine, alice, bob) == [(task, SOON)]


async def test_moving_the_due_date_rearms_the_reminders(engine, sweep, make_user):
    bob = await make_user()
    task = await add_task(engine, bob, hours(1))
    await sweep()
    await set_due(engine, task, hours(5))
    await sweep()
    await sweep()
    assert await reminders(engine, bob) == [(task, SOON), (task, SOON)]
    await set_due(engine, task, hours(-2))
    await sweep()
    await set_due(engine, task, hours(-1))
    await sweep()
    await sweep()
    assert await reminders(engine, bob) == [(task, SOON)] * 2 + [(task, OVERDUE)] * 2


async def test_a_task_due_beyond_the_horizon_waits(
    engine, broker, settings, sweep, make_user
):
    bob = await make_user()
    far = await add_task(engine, bob, hours(24 * 30))
    tomorrow = await add_task(engine, bob, hours(25))
    await sweep()
    assert await reminders(engine, bob) == []
    wider = replace(settings, due_soon_hours=48)
    await service.sweep(engine, broker, wider)
    assert await reminders(engine, bob) == [(tomorrow, SOON)]
    assert far not in {task for task, _ in await reminders(engine, bob)}


async def test_a_sweep_that_fails_claims_nothing_and_the_next_one_sends(
    engine, broker, sweep, make_user, monkeypatch
):
    bob = await make_user()
    task = await add_task(engine, bob, hours(-1))
    real = notifications.create_notifications

    async def create_then_fail(work, items):
        await real(work, items)
        raise RuntimeError("after the notifications were written")

    monkeypatch.setattr(notifications, "create_notifications", create_then_fail)
    with pytest.raises(RuntimeError):
        await sweep()
    assert await reminders(engine, bob) == []
    assert broker.published == []
    monkeypatch.setattr(notifications, "create_notifications", real)
    await sweep()
    assert await reminders(engine, bob) == [(task, OVERDUE)]


async def test_a_backlog_is_sent_in_bounded_batches(engine, sweep, make_user):
    bob, carol = await make_user(), await make_user()
    tasks = {}
    for n in range(8):
        person, due = (bob, hours(-n - 1)) if n % 2 else (carol, hours(n + 1))
        tasks[await add_task(engine, person, due)] = OVERDUE if n % 2 else SOON
    await sweep(batch=3)
    got = await reminders(engine, bob, carol)
    assert sorted(got) == sorted(tasks.items())
