"""Tasks: each change is one transaction that also tells whoever is concerned
(services.task_notices); the notifications reach the streams after commit."""

from .. import metrics
from ..errors import Invalid
from ..office_calendar import DEFAULT
from ..queries import task_list
from ..queries import tasks as q
from ..store.sql import Row
from . import (
    absence,
    as_actor,
    notifications,
    permissions,
    queue,
    task_checks,
    task_notices,
)
from . import calendar as office_days
from .history import diff, final, initial
from .task_checks import assignee_error
from .work import unit_of_work

# The fields a task's history names.
FIELDS = (
    "title",
    "detail",
    "priority",
    "status",
    "due_date",
    "assigned_to",
    "client_id",
    "visa_application_id",
    "tags",
    "assigned_team",
    "delegated_from",
)


def subject(task) -> str:
    return f"task:{task.id}"


def case_of(task) -> tuple:
    return task.client_id, task.visa_application_id


async def _due_date(conn, calendar, data: dict) -> dict:
    """The fields with a deadline in business days turned into its due_date."""
    if "due_in_business_days" not in data:
        return data
    data = dict(data)
    n = data.pop("due_in_business_days")
    data["due_date"] = await office_days.due_in_business_days(conn, calendar, n)
    return data


async def _delegation(conn, assignee: int | None) -> dict:
    """The assignee as absence decides: an absent user's delegate, with
    delegated_from naming them."""
    if assignee is None:
        return {"assigned_to": None, "delegated_from": None}
    assignee, away = await absence.resolve_assignee(conn, assignee)
    return {"assigned_to": assignee, "delegated_from": away}


def _record_delegation(work, task) -> None:
    if task.delegated_from is not None:
        changes = {"assigned_to": [task.delegated_from, task.assigned_to]}
        work.record(subject(task), "delegated", changes, case=case_of(task))
        metrics.DELEGATIONS.inc()


async def _insert(conn, actor, values: dict):
    """The new task. An assignee at work gets it from the INSERT alone; one
    the INSERT found away (or not an active user) is resolved through their
    chain of delegates and the task inserted for whoever that gives."""
    values = {**values, "created_by": actor.id}
    assignee = values.get("assigned_to")
    if assignee is None:
        return await q.insert_task(conn, **values)
    values["assigned_by"] = actor.id
    task = await q.insert_task(conn, present=True, delegated_from=None, **values)
    if task is None:
        values.update(await _delegation(conn, assignee))
        task = await q.insert_task(conn, **values)
    if task is None:  # the insert found no active user to assign it to
        raise Invalid("invalid field values", assignee_error(assignee))
    return task


async def _assigned_at_once(work, actor, values: dict):
    """The new task when it could be made with its assignee's TASK_ASSIGNED
    and their history entries in the round trip of that notification's lock:
    the common case (an assignee other than the actor, at work, no team).
    None when the assignee was away or not an active user: what this took is
    rolled back (their lock with it) for the general way."""
    values = {**values, "created_by": actor.id, "assigned_by": actor.id}
    values["delegated_from"] = None
    expected = q.stored(values)
    [note] = task_notices.on_create(actor, expected)
    changes = initial(expected, FIELDS)
    made = await q.insert_assigned(work.conn, note, changes, actor.id, **values)
    if made is None:
        await work.conn.end(commit=False)
        return None
    task, notification = made
    work.written.append("created")
    if notification is not None:
        notifications.announce(work, [notification])
    return task


def _at_once(actor, values: dict) -> bool:
    assignee = values.get("assigned_to")
    return (
        assignee is not None
        and assignee != actor.id
        and values.get("assigned_team") is None
    )


async def create_task(engine, broker, actor, data: dict, calendar=DEFAULT):
    """Create a task by actor; its assignee, if any, gets TASK_ASSIGNED (an
    absent one's delegate instead), and a task for a team and nobody puts it
    in that team's queue (TASK_QUEUED to its members)."""
    async with unit_of_work(engine, broker, actor) as work:
        data = await _due_date(work.conn, calendar, data)
        values = await task_checks.references(
            work.conn, None, data, check_assignee=False
        )
        if _at_once(actor, values):
            task = await _assigned_at_once(work, actor, values)
            if task is not None:
                return task
            values = await task_checks.references(
                work.conn, None, data, check_assignee=False
            )
        task = await _insert(work.conn, actor, values)
        work.record(subject(task), "created", initial(task, FIELDS), case=case_of(task))
        _record_delegation(work, task)
        notes = task_notices.on_create(actor, task)
        notes += await queue.queued_notices(work, actor, task)
        await notifications.create_notifications(work, notes)
    return task


async def update_task(
    engine, broker, actor, task_id: int, data: dict, calendar=DEFAULT
):
    """Change a task's fields, its assignee included (that is a reassignment).

    Only the creator, the assignee and admins may (Forbidden); values equal to
    the current ones are no change: no updated_at, nobody told.
    """
    async with unit_of_work(engine, broker, actor) as work:
        before = await q.lock_task(work.conn, task_id)
        permissions.require_task_change(actor, before)
        data = await _due_date(work.conn, calendar, data)
        # A change of the assignee alone is an assignment; with other fields,
        # one "changed" entry names them all.
        action = "assigned" if set(data) == {"assigned_to"} else "changed"
        if "assigned_to" in data and data["assigned_to"] != before.assigned_to:
            data = {**data, **await _delegation(work.conn, data["assigned_to"])}
        changes = {k: v for k, v in data.items() if before[k] != v}
        if not changes:
            return before
        changes = await task_checks.references(work.conn, before, changes)
        if "assigned_to" in changes:
            assigned = changes["assigned_to"] is not None
            changes["assigned_by"] = actor.id if assigned else None
        after = await q.update_task(work.conn, task_id, **changes)
        work.record(
            subject(after), action, diff(before, after, FIELDS), case=case_of(after)
        )
        if "assigned_to" in changes:
            _record_delegation(work, after)
        await queue.unqueue(work, before, after, actor.id)
        notes = task_notices.on_change(actor, before, after, calendar)
        told = {note.recipient for note in notes}
        notes += await queue.queued_notices(work, actor, after, before, told)
        await notifications.create_notifications(work, notes)
    if "assigned_to" in changes:
        # Read before this assignment's notification was written: not seen yet.
        after = Row({**after, "assignee_seen_at": None, "assignee_read_at": None})
    return after


async def assign_task(engine, broker, actor, task_id: int, assigned_to: int | None):
    """Give the task to assigned_to (None: to nobody); as task_update."""
    return await update_task(
        engine, broker, actor, task_id, {"assigned_to": assigned_to}
    )


async def delete_task(engine, broker, actor, task_id: int) -> None:
    """Delete a task and its comments; only its creator and admins may."""
    async with unit_of_work(engine, broker, actor) as work:
        task = await q.lock_task(work.conn, task_id)
        permissions.require_task_delete(actor, task)
        await q.delete_task(work.conn, task_id)
        work.record(subject(task), "deleted", final(task, FIELDS), case=case_of(task))
        await queue.deleted(work, task)


async def get_task(engine, task_id: int):
    async with engine.acquire() as conn:
        return await q.get_task(conn, task_id)


async def list_tasks(engine, actor, query: dict):
    """(rows, count) of a page of tasks; `me` in a user filter is the actor,
    and `queue=mine` the tasks waiting in the queues of the actor's teams."""
    query = as_actor(query, actor, "assigned_to", "created_by")
    if query.pop("queue", None) == "mine":
        query["queue_of"] = actor.id
    async with engine.acquire() as conn:
        return await task_list.list_tasks(conn, **query)
