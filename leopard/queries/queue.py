"""A team's queue: claiming a task from it, and the TASK_QUEUED notices that
a task leaving it makes stale."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ..store.tables import notifications as n
from ..store.tables import tasks as t
from ..store.tables import team_members as m
from .tasks import SHOWN


async def claim_task(conn, task_id: int, user_id: int):
    """Give the task to user_id if nobody has it and they are a member of its
    team; the task, or None when it was not theirs to take.

    One conditional UPDATE: of simultaneous claims the first takes the row
    lock, and the others, once it commits, find `assigned_to` set when
    PostgreSQL checks the row again, and change nothing. Reading first and
    writing after would let two claims both see it free."""
    member = sa.exists().where(m.c.team_id == t.c.assigned_team, m.c.user_id == user_id)
    result = await conn.execute(
        t.update()
        .where(t.c.id == task_id, t.c.assigned_to.is_(None), member)
        .values(
            assigned_to=user_id,
            assigned_by=user_id,
            delegated_from=None,
            updated_at=sa.func.now(),
        )
        .returning(*SHOWN)
    )
    return await result.first()


async def read_queued(
    conn, task_id: int, team_id: int, except_user: int | None
) -> dict[int, list[int]]:
    """Mark read the unread TASK_QUEUED about the task of the team's members
    but except_user; {recipient: the ids marked}. Reading implies seeing (as
    set_read). The members narrow the search to their rows of the
    (recipient, group) index."""
    members = sa.select(m.c.user_id).where(m.c.team_id == team_id)
    result = await conn.execute(
        n.update()
        .where(
            n.c.assigned_to.in_(members),
            n.c.group == f"task:{task_id}",
            n.c.notification_type == "TASK_QUEUED",
            n.c.read.is_(False),
            n.c.assigned_to.is_distinct_from(except_user),
        )
        .values(
            read=True,
            read_at=sa.func.now(),
            delivered_at=sa.func.coalesce(n.c.delivered_at, sa.func.now()),
        )
        .returning(n.c.id, n.c.assigned_to)
    )
    marked: dict[int, list[int]] = {}
    for row in sorted(await result.fetchall(), key=lambda r: r.id):
        marked.setdefault(row.assigned_to, []).append(row.id)
    return marked


async def unread_counts(conn, user_ids) -> dict[int, int]:
    """{user: their unread count} in one query."""
    ids = sa.cast(sorted(user_ids), ARRAY(sa.BigInteger))
    query = (
        sa.select(n.c.assigned_to, sa.func.count().label("unread"))
        .where(n.c.assigned_to == sa.any_(ids), n.c.read.is_(False))
        .group_by(n.c.assigned_to)
    )
    counts = dict.fromkeys(user_ids, 0)
    for row in await (await conn.execute(query)).fetchall():
        counts[row.assigned_to] = row.unread
    return counts
