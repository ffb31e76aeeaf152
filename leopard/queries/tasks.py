"""Tasks: one statement per function; the caller owns the transaction."""

import sqlalchemy as sa

from ..errors import NotFound
from ..store.sql import Shapes
from ..store.tables import absences, clients, notifications, users, visa_applications
from ..store.tables import tasks as t

# What a task shows; the rank and the reminder and escalation claims are the
# server's own.
HIDDEN = {
    "priority_rank",
    "due_soon_notified_for",
    "overdue_notified_for",
    "unseen_escalated_for",
    "overdue_escalated_for",
}
PUBLIC = [c for c in t.c if c.name not in HIDDEN]


def _assignment_note(column):
    """column of the assignee's newest TASK_ASSIGNED about the task: the one of
    the current assignment (found through the recipient/group index)."""
    n = notifications
    return (
        sa.select(column)
        .where(
            n.c.assigned_to == t.c.assigned_to,
            n.c.group == sa.literal("task:") + sa.cast(t.c.id, sa.Text),
            n.c.notification_type == "TASK_ASSIGNED",
        )
        .order_by(n.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


# Read receipts: when the assignee's stream got the assignment, and when they
# read it (null until then, and again after a reassignment).
RECEIPTS = [
    _assignment_note(notifications.c.delivered_at).label("assignee_seen_at"),
    _assignment_note(notifications.c.read_at).label("assignee_read_at"),
]
NO_RECEIPTS = [
    sa.null().label("assignee_seen_at"),
    sa.null().label("assignee_read_at"),
]
SHOWN = [*PUBLIC, *RECEIPTS]


def _found(row, task_id):
    if row is None:
        raise NotFound(f"no task with id {task_id}")
    return row


def _insert(names: tuple, completed: bool, guarded: bool, present: bool = False):
    """INSERT … SELECT of the given columns, only if the assignee (when there
    is one) is an active user, and with `present` only if they are not away
    now: the checks cost no round trip of their own."""
    values = {
        name: sa.cast(sa.bindparam(name), t.c[name].type).label(name) for name in names
    }
    if completed:
        values["completed_at"] = sa.func.now().label("completed_at")
    source = sa.select(*values.values())
    assignee = sa.bindparam("assigned_to")
    if guarded:
        active = sa.select(users.c.id).where(
            users.c.id == assignee, users.c.is_active.is_(True)
        )
        source = source.where(active.exists())
    if present:
        now = sa.func.now()
        away = sa.select(absences.c.user_id).where(
            absences.c.user_id == assignee,
            absences.c.starts_at <= now,
            now < absences.c.ends_at,
        )
        source = source.where(~away.exists())
    # A new task's assignment cannot have been seen yet.
    returned = [*PUBLIC, *NO_RECEIPTS]
    return [t.insert().from_select(list(values), source).returning(*returned)]


# Compiled once per set of columns given: every task creation runs one.
INSERT = Shapes(_insert)


async def insert_task(conn, *, present: bool = False, **values):
    """The new task, or None when its assignee is not an active user (with
    `present`, also when they are away now: the caller then follows their
    delegates and inserts again, so that an assignment to someone at work,
    nearly every one, costs one statement)."""
    completed = values.get("status") == "COMPLETED"
    guarded = values.get("assigned_to") is not None
    prepared = INSERT(tuple(sorted(values)), completed, guarded, guarded and present)
    return await prepared.first(conn, **values)


def _insert_many(names: tuple, count: int):
    rows = [
        {name: sa.bindparam(f"r{i}_{name}", type_=t.c[name].type) for name in names}
        for i in range(count)
    ]
    return [t.insert().values(rows).returning(*PUBLIC, *NO_RECEIPTS)]


# Compiled once per shape: a template's tasks are made by one statement.
INSERT_MANY = Shapes(_insert_many, limit=64)


async def insert_tasks(conn, rows: list[dict]):
    """Several new tasks in one multi-row INSERT (every row with the same keys,
    assignees already checked); in the order given."""
    names = tuple(sorted(rows[0]))
    values = {f"r{i}_{k}": v for i, row in enumerate(rows) for k, v in row.items()}
    made = await INSERT_MANY(names, len(rows)).rows(conn, **values)
    return sorted(made, key=lambda row: row.id)


async def get_task(conn, task_id: int):
    result = await conn.execute(sa.select(*SHOWN).where(t.c.id == task_id))
    return _found(await result.first(), task_id)


async def lock_task(conn, task_id: int):
    """The task, locked until commit: changes to one task take turns, so each
    sees the values it changes from (and tells who is concerned once)."""
    query = sa.select(*SHOWN).where(t.c.id == task_id).with_for_update(of=t)
    return _found(await (await conn.execute(query)).first(), task_id)


async def update_task(conn, task_id: int, **values):
    """Set values; completed_at follows status (its first value kept while done)."""
    if "status" in values:
        values["completed_at"] = (
            sa.func.coalesce(t.c.completed_at, sa.func.now())
            if values["status"] == "COMPLETED"
            else None
        )
    result = await conn.execute(
        t.update()
        .where(t.c.id == task_id)
        .values(updated_at=sa.func.now(), **values)
        .returning(*SHOWN)
    )
    return _found(await result.first(), task_id)


async def delete_task(conn, task_id: int) -> None:
    result = await conn.execute(t.delete().where(t.c.id == task_id).returning(t.c.id))
    _found(await result.first(), task_id)


async def count_comment(conn, task_id: int):
    """One more comment: the task, locked and counted, or NotFound."""
    result = await conn.execute(
        t.update()
        .where(t.c.id == task_id)
        .values(comment_count=t.c.comment_count + 1)
        .returning(*SHOWN)
    )
    return _found(await result.first(), task_id)


async def client_exists(conn, client_id: int) -> bool:
    query = sa.select(clients.c.id).where(clients.c.id == client_id)
    return await conn.scalar(query) is not None


async def client_of_application(conn, application_id: int) -> int | None:
    """The client of a visa application; None when there is no such application."""
    v = visa_applications
    return await conn.scalar(sa.select(v.c.client_id).where(v.c.id == application_id))
