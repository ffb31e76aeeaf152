"""Several Leopard processes on one database: each reminder is sent once.

Each "process" is its own engine (connection pool) and broker; their sweeps
run at once, in small batches so that they overlap many times."""

import asyncio
import uuid

from leopard.services import reminders as service
from leopard.store.db import open_engine

from ..support.common import Recorder

BULK_TASKS = """
INSERT INTO tasks (title, due_date, assigned_to, created_by)
SELECT 'bulk ' || g,
       now() + make_interval(mins => CASE WHEN mod(g, 2) = 0 THEN 30 ELSE -30 END),
       people[1 + mod(g, cardinality(people))],
       people[1]
FROM generate_series(1, %(n)s) AS g, CAST(%(people)s AS bigint[]) AS people
RETURNING id, due_date < now() AS overdue
"""
BULK_USERS = """
INSERT INTO users (username, password_hash)
SELECT %(prefix)s || g, 'not a hash' FROM generate_series(1, %(n)s) AS g
RETURNING id
"""
SENT = """
SELECT (meta_info->>'task_id')::bigint AS task, notification_type AS kind
FROM notifications WHERE assigned_to = ANY(%(people)s)
"""


async def people(engine, n: int) -> list[int]:
    """n users straight into the database (none of them signs in)."""
    prefix = f"rem_{uuid.uuid4().hex[:8]}_"
    async with engine.acquire() as conn:
        result = await conn.execute(BULK_USERS, {"prefix": prefix, "n": n})
        return [row.id for row in await result.fetchall()]


async def sweep_at_once(database_url, settings, n_tasks, n_people, batch):
    """Sweep one set of tasks from two processes at once; return (expected, sent,
    published): task id → reminder type, each sent row, each published event."""
    async with (
        open_engine(database_url, maxsize=4) as one,
        open_engine(database_url, maxsize=4) as two,
    ):
        ids = await people(one, n_people)
        async with one.acquire() as conn:
            result = await conn.execute(BULK_TASKS, {"people": ids, "n": n_tasks})
            expected = {
                row.id: "TASK_OVERDUE" if row.overdue else "TASK_DUE_SOON"
                for row in await result.fetchall()
            }
        brokers = [Recorder(), Recorder()]
        pairs = [(one, brokers[0]), (two, brokers[1])] * 3
        await asyncio.gather(
            *(service.sweep(e, b, settings, batch=batch) for e, b in pairs)
        )
        # Nothing is left for a later sweep either.
        await service.sweep(one, brokers[0], settings, batch=batch)
        async with one.acquire() as conn:
            result = await conn.execute(SENT, {"people": ids})
            sent = [(row.task, row.kind) for row in await result.fetchall()]
    published = [event for b in brokers for user, event in b.published if user in ids]
    return expected, sent, published


async def test_two_processes_sweeping_at_once_send_each_reminder_once(
    database_url, settings
):
    expected, sent, published = await sweep_at_once(
        database_url, settings, n_tasks=400, n_people=6, batch=25
    )
    assert len(sent) == len(expected) == 400
    assert dict(sent) == expected
    assert len(published) == 400


async def test_sweeps_for_many_recipients_at_once_neither_deadlock_nor_repeat(
    database_url, settings
):
    # Over 64 recipients in a batch, notifications.create_notifications takes its one
    # exclusive lock instead of one per recipient: both kinds of writer meet.
    expected, sent, published = await sweep_at_once(
        database_url, settings, n_tasks=300, n_people=100, batch=90
    )
    assert len(sent) == len(expected) == 300
    assert dict(sent) == expected
    assert len(published) == 300
