"""What a user's calendar feed shows: their open tasks with a due date and the
expiries of the documents they are responsible for (never a number)."""

import sqlalchemy as sa

from ..store.tables import clients as c
from ..store.tables import documents as d
from ..store.tables import tasks as t

OPEN = ("PENDING", "IN_PROGRESS")
# A calendar program reads the whole feed each time: a bound keeps one user's
# poll cheap whatever they hold.
MOST = 2000


async def open_tasks_due(conn, user_id: int):
    result = await conn.execute(
        sa.select(
            t.c.id, t.c.title, t.c.due_date, t.c.priority, t.c.status, t.c.updated_at
        )
        .where(
            t.c.assigned_to == user_id,
            t.c.status.in_(OPEN),
            t.c.due_date.isnot(None),
        )
        .order_by(t.c.due_date, t.c.id)
        .limit(MOST)
    )
    return await result.fetchall()


async def expiring_documents(conn, user_id: int):
    result = await conn.execute(
        sa.select(
            d.c.id,
            d.c.kind,
            d.c.client_id,
            d.c.expires_on,
            d.c.updated_at,
            c.c.first_name,
            c.c.last_name,
        )
        .join(c, c.c.id == d.c.client_id)
        .where(d.c.responsible_id == user_id, d.c.expires_on.isnot(None))
        .order_by(d.c.expires_on, d.c.id)
        .limit(MOST)
    )
    return await result.fetchall()
