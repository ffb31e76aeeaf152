"""Escalation claims: each marks a batch of tasks as escalated for their
current assignment (unseen) or due date (overdue) and returns them, so that
each is escalated once however many processes sweep. The caller owns the
transaction: a claim and the notifications it leads to commit together."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ..store.tables import notifications as n
from ..store.tables import tasks as t
from ..store.tables import users as u
from .reminders import OPEN, _at

CLAIMED = (
    t.c.id,
    t.c.title,
    t.c.priority,
    t.c.due_date,
    t.c.assigned_to,
    t.c.assigned_team,
    t.c.client_id,
    t.c.visa_application_id,
)


def _newest_assignment():
    """The assignee's newest TASK_ASSIGNED about the task: the notice of its
    current assignment (none when they took it themselves: the actor is never
    told, and a claim or a self-assignment is seen by definition)."""
    return (
        sa.select(n.c.id, n.c.assigned_to, n.c.created_at, n.c.delivered_at)
        .where(
            n.c.assigned_to == t.c.assigned_to,
            n.c.group == sa.literal("task:") + sa.cast(t.c.id, sa.Text),
            n.c.notification_type == "TASK_ASSIGNED",
        )
        .order_by(n.c.id.desc())
        .limit(1)
        .lateral("assignment")
    )


async def claim_unseen(conn, now: datetime | None, minutes: tuple, batch: int):
    """Tasks not done whose current assignment, of a priority in `minutes`
    ((priority, minutes), …), is still unseen that many minutes after it was
    made, and not yet escalated; each row with its `assignment` id, now
    claimed.

    The rows are locked with SKIP LOCKED (another sweeper's batch, or a task
    being changed, is left for later); a row another sweeper claimed and
    committed since this statement began is checked again against the
    conditions on the task's own columns, which is why the assignment found is
    tied to the task's assignee there too."""
    at = _at(now)
    found = _newest_assignment()
    wait = sa.case(
        *(
            (t.c.priority == p, sa.func.make_interval(0, 0, 0, 0, 0, m))
            for p, m in minutes
        )
    )
    picked = await conn.execute(
        sa.select(*CLAIMED, found.c.id.label("assignment"), u.c.full_name, u.c.username)
        .select_from(t.join(found, sa.true()).join(u, u.c.id == t.c.assigned_to))
        .where(
            t.c.status.in_(OPEN),
            t.c.priority.in_([p for p, _ in minutes]),
            t.c.assigned_to == found.c.assigned_to,
            found.c.delivered_at.is_(None),
            found.c.created_at + wait <= at,
            t.c.unseen_escalated_for.is_distinct_from(found.c.id),
        )
        .order_by(found.c.id)
        .limit(batch)
        .with_for_update(of=t, skip_locked=True)
    )
    rows = await picked.fetchall()
    if rows:
        claims = sa.values(
            sa.column("id", sa.BigInteger),
            sa.column("assignment", sa.BigInteger),
            name="claims",
        ).data([(row.id, row.assignment) for row in rows])
        await conn.execute(
            t.update()
            .where(t.c.id == claims.c.id)
            .values(unseen_escalated_for=claims.c.assignment)
        )
    return rows


async def claim_overdue(conn, before: datetime, batch: int):
    """Tasks not done, due before `before`, not yet escalated for their due
    date (assigned or not); now claimed. Locked as claim_unseen's rows."""
    picked = await conn.execute(
        sa.select(*CLAIMED, u.c.full_name, u.c.username)
        .select_from(t.outerjoin(u, u.c.id == t.c.assigned_to))
        .where(
            t.c.status.in_(OPEN),
            t.c.due_date < before,
            t.c.overdue_escalated_for.is_distinct_from(t.c.due_date),
        )
        .order_by(t.c.due_date, t.c.id)
        .limit(batch)
        .with_for_update(of=t, skip_locked=True)
    )
    rows = await picked.fetchall()
    if rows:
        ids = sa.cast([row.id for row in rows], ARRAY(sa.BigInteger))
        await conn.execute(
            t.update()
            .where(t.c.id == sa.any_(ids))
            .values(overdue_escalated_for=t.c.due_date)
        )
    return rows


async def active_admins(conn) -> list[int]:
    query = sa.select(u.c.id).where(u.c.role == "admin", u.c.is_active.is_(True))
    return [
        row.id for row in await (await conn.execute(query.order_by(u.c.id))).fetchall()
    ]
