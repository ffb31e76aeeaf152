"""Tasks: one statement per function; the caller owns the transaction."""

from datetime import UTC

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from ..errors import NotFound
from ..store.sql import Row, Shapes
from ..store.tables import absences, clients, notifications, users, visa_applications
from ..store.tables import tasks as t
from ..vocabulary import TASK_PRIORITIES
from .history import constant, notified_from
from .notifications import LOCK_EACH, LOCK_NS, LOCK_SHARED, muted

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


# priority_rank, written with the priority (schema/0013's task_priority_rank,
# which a test holds this to): 1 for LOW … 4 for URGENT.
RANKS = {priority: rank for rank, priority in enumerate(TASK_PRIORITIES, 1)}


def ranked(values: dict) -> dict:
    """A new task's values with the rank of its priority (the default's when
    none is given; none for a priority that is not one, which the table
    refuses)."""
    priority = values.get("priority", DEFAULTS["priority"])
    return {**values, "priority_rank": RANKS.get(priority)}


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
    values = ranked(values)
    completed = values.get("status") == "COMPLETED"
    guarded = values.get("assigned_to") is not None
    prepared = INSERT(tuple(sorted(values)), completed, guarded, guarded and present)
    return await prepared.first(conn, **values)


# The columns a new task's fields take when not given (schema/0004: the
# table's defaults; a test compares the two).
DEFAULTS = {
    "detail": "",
    "priority": "MEDIUM",
    "status": "PENDING",
    "due_date": None,
    "client_id": None,
    "visa_application_id": None,
    "tags": [],
    "assigned_team": None,
    "delegated_from": None,
}


def stored(values: dict) -> Row:
    """A new task's fields as its INSERT will store and read them back: the
    values given over the defaults, a due date in UTC (the session's zone);
    its id is not known yet."""
    row = Row(DEFAULTS, id=None, **values)
    if row["due_date"] is not None:
        row["due_date"] = row["due_date"].astimezone(UTC)
    return row


def _insert_assigned(names: tuple, completed: bool):
    """The lock of the assignee's notifications, then one statement: the task
    (as `_insert` with its guard: only for an assignee active and at work),
    the assignee's notification about it (unless they muted its type), the
    task's "created" history entry and the notification's "notified" one, in
    that order. Its rows: the task's columns as t_*, the notification's as
    n_* (null when muted); none when the guard found the assignee away."""
    [task] = _insert(names, completed, guarded=True, present=True)
    task = task.cte("task")
    n = notifications
    kind = sa.cast(sa.bindparam("n_notification_type"), sa.Text)
    meta = sa.cast(sa.bindparam("n_meta_info", type_=JSONB), JSONB)
    meta = meta.op("||")(sa.func.jsonb_build_object(constant("task_id"), task.c.id))
    note = sa.select(
        task.c.assigned_to,
        kind,
        sa.cast(sa.bindparam("n_title"), sa.Text),
        sa.cast(sa.bindparam("n_message"), sa.Text),
        task.c.due_date,
        meta,
        constant("task:") + sa.cast(task.c.id, sa.Text),
    ).where(~muted(task.c.assigned_to, kind))
    columns = ["assigned_to", "notification_type", "title", "message"]
    columns += ["due_date", "meta_info", "group"]
    inserted = n.insert().from_select(columns, note).returning(*n.c).cte("inserted")
    actor = sa.cast(sa.bindparam("actor_id"), sa.BigInteger)
    none = sa.cast(sa.null(), sa.BigInteger)
    created = sa.select(
        sa.func.now(),
        actor,
        constant("task:") + sa.cast(task.c.id, sa.Text),
        constant("created"),
        none,
        none,
        task.c.client_id,
        task.c.visa_application_id,
        sa.cast(sa.bindparam("created_changes", type_=JSONB), JSONB),
    )
    notified = notified_from(inserted, actor, created).cte("notified")
    shown = [task.c[c.name].label(f"t_{c.name}") for c in [*PUBLIC, *NO_RECEIPTS]]
    shown += [inserted.c[c.name].label(f"n_{c.name}") for c in n.c]
    joined = task.outerjoin(inserted, sa.true())
    made = sa.select(*shown).select_from(joined).add_cte(notified)
    return [LOCK_SHARED, LOCK_EACH, made]


INSERT_ASSIGNED = Shapes(_insert_assigned)


async def insert_assigned(conn, note, changes: dict, actor_id: int, **values):
    """(the new task, its notification or None when muted) with one round
    trip, or None when the assignee is away (the caller then rolls back,
    which lets go of their lock, and follows their delegates); `note` the
    assignee's NewNotification but for its task_id, `changes` the task's
    "created" entry (see `stored`). An assignee who is not an active user
    also gives None."""
    values = ranked(values)
    completed = values.get("status") == "COMPLETED"
    prepared = INSERT_ASSIGNED(tuple(sorted(values)), completed)
    rows = await prepared.rows(
        conn,
        ns=LOCK_NS,
        ids=[values["assigned_to"]],
        actor_id=actor_id,
        n_notification_type=note.notification_type,
        n_title=note.title,
        n_message=note.message,
        n_meta_info={k: v for k, v in note.meta_info.items() if k != "task_id"},
        created_changes=changes,
        **values,
    )
    if not rows:
        return None
    [row] = rows
    task = Row((k[2:], v) for k, v in row.items() if k.startswith("t_"))
    notification = Row((k[2:], v) for k, v in row.items() if k.startswith("n_"))
    return task, (notification if notification.id is not None else None)


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
    rows = [ranked(row) for row in rows]
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
