"""Reminder claims: each marks a batch of tasks as told about their current due
date and returns them; documents are looked at by their next reminder's day.
The caller owns the transaction, so a claim and the notifications it leads to
commit (or roll back) together."""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ..store.tables import clients as c
from ..store.tables import documents as d
from ..store.tables import tasks as t

# Not done: written as the statuses that remain, so the planner can use the
# partial index tasks_due_open (its predicate lists the same two).
OPEN = ("PENDING", "IN_PROGRESS")
CLAIMED = (
    t.c.id,
    t.c.title,
    t.c.due_date,
    t.c.assigned_to,
    t.c.client_id,
    t.c.visa_application_id,
)


def _at(now: datetime | None):
    # By default the database's clock: one clock for every process and host.
    if now is None:
        return sa.func.now()
    return sa.literal(now, sa.DateTime(timezone=True))


async def _claim(conn, where: list, claimed: dict, batch: int):
    """Claim up to `batch` matching tasks in one UPDATE; return the claimed rows.

    SKIP LOCKED: another sweeper's batch (or a task being edited) is left to
    its holder instead of waited for, so sweepers never queue on each other.
    A row changed since this statement began is re-checked against `where`
    before it is locked, so a claim that another process committed is seen.
    The locking CTE runs once (PostgreSQL never inlines one), so the LIMIT is
    a real bound on what is locked and updated.
    """
    picked = (
        sa.select(t.c.id)
        .where(
            t.c.status.in_(OPEN),
            t.c.due_date.isnot(None),
            t.c.assigned_to.isnot(None),
            *where,
        )
        .order_by(t.c.due_date)
        .limit(batch)
        .with_for_update(skip_locked=True)
        .cte("picked")
    )
    # `id = ANY(<array>)`: the batch is found through the primary key, where a
    # join with the CTE would hash it and scan the whole table.
    ids = sa.cast(
        sa.select(sa.func.array_agg(picked.c.id)).scalar_subquery(),
        ARRAY(sa.BigInteger),
    )
    result = await conn.execute(
        t.update().where(t.c.id == sa.any_(ids)).values(**claimed).returning(*CLAIMED)
    )
    return await result.fetchall()


async def claim_overdue(conn, now: datetime | None, batch: int):
    """Past-due tasks not yet told about their due date. The due-soon claim is
    taken too: a task first seen past due gets only the overdue reminder."""
    at = _at(now)
    return await _claim(
        conn,
        [
            t.c.due_date <= at,
            t.c.overdue_notified_for.is_distinct_from(t.c.due_date),
        ],
        {"overdue_notified_for": t.c.due_date, "due_soon_notified_for": t.c.due_date},
        batch,
    )


async def claim_due_soon(conn, now: datetime | None, ahead: timedelta, batch: int):
    """Tasks due within `ahead` (not yet past due) not yet told about it."""
    at = _at(now)
    return await _claim(
        conn,
        [
            t.c.due_date > at,
            t.c.due_date <= at + ahead,
            t.c.due_soon_notified_for.is_distinct_from(t.c.due_date),
        ],
        {"due_soon_notified_for": t.c.due_date},
        batch,
    )


async def documents_to_look_at(conn, today, batch: int):
    """Documents whose next look is due by `today`, locked until commit.

    SKIP LOCKED, as for tasks: another sweeper's batch is left to it. A row
    another sweeper changed and committed since this statement began is
    checked against the condition again, so what it told is not told twice.
    """
    result = await conn.execute(
        sa.select(
            d.c.id,
            d.c.client_id,
            d.c.visa_application_id,
            d.c.kind,
            d.c.expires_on,
            d.c.responsible_id,
            d.c.expiry_notified_for,
            d.c.expiry_notified_days,
            c.c.first_name,
            c.c.last_name,
        )
        .join(c, c.c.id == d.c.client_id)
        .where(d.c.next_reminder_on <= today)
        .order_by(d.c.next_reminder_on, d.c.id)
        .limit(batch)
        .with_for_update(of=d, skip_locked=True)
    )
    return await result.fetchall()


async def documents_looked_at(conn, looks: list[dict]) -> None:
    """Record each look: {id, next_reminder_on, expiry_notified_for,
    expiry_notified_days}, in one statement."""
    if not looks:
        return
    rows = sa.values(
        sa.column("id", sa.BigInteger),
        sa.column("next_on", sa.Date),
        sa.column("notified_for", sa.Date),
        sa.column("notified_days", sa.Integer),
        name="looks",
    ).data(
        [
            (
                look["id"],
                look["next_reminder_on"],
                look["expiry_notified_for"],
                look["expiry_notified_days"],
            )
            for look in looks
        ]
    )
    await conn.execute(
        d.update()
        .where(d.c.id == rows.c.id)
        .values(
            # Typed here: a VALUES list whose first row holds a null is text.
            next_reminder_on=sa.cast(rows.c.next_on, sa.Date),
            expiry_notified_for=sa.cast(rows.c.notified_for, sa.Date),
            expiry_notified_days=sa.cast(rows.c.notified_days, sa.Integer),
        )
    )
