"""The sweeper inside a running app: its reminders reach open streams, it runs
by itself, and a failing sweep neither stops it nor holds up shutdown."""

import asyncio
import logging
import time

from leopard.keys import BROKER, ENGINE, SETTINGS
from leopard.queries import reminders as q
from leopard.services import reminders as service

from ..support.reminders import add_task, eventually, hours, reminders
from ..support.sse import SSE

LOGGER = "leopard.reminders"


async def test_a_reminder_reaches_the_assignees_open_stream(client, engine, make_user):
    bob = await make_user()
    app = client.app
    async with SSE.open(client, headers=bob.headers) as sse:
        task = await add_task(engine, bob, hours(1), title="Book the medical")
        await service.sweep(app[ENGINE], app[BROKER], app[SETTINGS])
        [note] = await sse.notifications(1)
        await sse.nothing()
    assert note["notification_type"] == "TASK_DUE_SOON"
    assert note["title"] == "Task due soon: Book the medical"
    assert note["assigned_to"] == bob.id
    assert note["meta_info"]["task_id"] == task


async def test_the_sweeper_runs_by_itself_every_interval(
    serve, make_app, engine, make_user
):
    bob = await make_user()
    await serve(make_app(reminder_interval=0.05))
    soon = await add_task(engine, bob, hours(1))
    overdue = await add_task(engine, bob, hours(-1))
    await eventually(lambda: reminders(engine, bob))
    await asyncio.sleep(0.3)  # several more ticks: still one reminder each
    got = await reminders(engine, bob)
    assert sorted(got) == sorted([(soon, "TASK_DUE_SOON"), (overdue, "TASK_OVERDUE")])


async def test_an_unexpected_error_is_logged_and_the_next_tick_sends(
    serve, make_app, engine, make_user, monkeypatch, caplog
):
    bob = await make_user()
    real, failures = q.claim_overdue, []

    async def fail_once(conn, now, batch):
        if not failures:
            failures.append(1)
            raise RuntimeError("a bug in a sweep")
        return await real(conn, now, batch)

    monkeypatch.setattr(q, "claim_overdue", fail_once)
    task = await add_task(engine, bob, hours(-1))
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        await serve(make_app(reminder_interval=0.05))
        assert await eventually(lambda: reminders(engine, bob)) == [
            (task, "TASK_OVERDUE")
        ]
    [record] = [r for r in caplog.records if r.name == LOGGER]
    assert record.levelno == logging.ERROR
    assert record.exc_info[0] is RuntimeError


async def test_shutdown_is_not_held_up_by_a_sweep_in_progress(
    serve, make_app, monkeypatch, caplog
):
    started = asyncio.Event()

    async def slow(conn, now, batch):
        started.set()
        await conn.execute("SELECT pg_sleep(10)")
        return []

    monkeypatch.setattr(q, "claim_overdue", slow)
    client = await serve(make_app(reminder_interval=0.01))
    await asyncio.wait_for(started.wait(), 5)
    begun = time.monotonic()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        await client.close()
    assert time.monotonic() - begun < 2
    assert [r for r in caplog.records if r.name == LOGGER] == []
