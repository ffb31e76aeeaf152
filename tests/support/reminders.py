"""Helpers of the reminder tests: tasks straight into the database (any due
date, any status) and the reminders their assignees got."""

import asyncio
import inspect
from datetime import UTC, datetime, timedelta

from .common import unique

KINDS = ("TASK_DUE_SOON", "TASK_OVERDUE")


def hours(n: float) -> datetime:
    """n hours from now (negative: ago), to the microsecond PostgreSQL keeps."""
    return datetime.now(UTC) + timedelta(hours=n)


async def add_task(engine, assignee, due, status="PENDING", creator=None, **extra):
    """A task's id; assignee and creator are people (or None), due a datetime."""
    values = {
        "title": unique("task"),
        "status": status,
        "due_date": due,
        "assigned_to": assignee and assignee.id,
        "created_by": (creator or assignee).id,
        "completed_at": datetime.now(UTC) if status == "COMPLETED" else None,
        **extra,
    }
    names = ", ".join(values)
    marks = ", ".join(f"%({name})s" for name in values)
    async with engine.acquire() as conn:
        return await conn.scalar(
            f"INSERT INTO tasks ({names}) VALUES ({marks}) RETURNING id", values
        )


async def set_due(engine, task_id: int, due) -> None:
    async with engine.acquire() as conn:
        await conn.execute(
            "UPDATE tasks SET due_date = %s WHERE id = %s", (due, task_id)
        )


async def reminders(engine, *people) -> list[tuple]:
    """(task_id, type) of the reminders the people got, oldest first."""
    async with engine.acquire() as conn:
        result = await conn.execute(
            "SELECT (meta_info->>'task_id')::bigint AS task, notification_type AS kind"
            " FROM notifications WHERE assigned_to = ANY(%(people)s)"
            " AND notification_type = ANY(%(kinds)s) ORDER BY id",
            {"people": [p.id for p in people], "kinds": list(KINDS)},
        )
        return [(row.task, row.kind) for row in await result.fetchall()]


async def eventually(check, timeout: float = 5.0):
    """Poll check (plain or async) until it returns something true; return that."""
    async with asyncio.timeout(timeout):
        while True:
            value = check()
            if inspect.isawaitable(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.02)
