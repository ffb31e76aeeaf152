"""Team queues: a task given to a team and to nobody waits in the team's
queue, its members are told (TASK_QUEUED), one of them claims it, and its
holder (or a lead, or an admin) may release it back.

`queued_notices` and `unqueue` are what any change of a task calls when the
task enters or leaves a queue (a template's task too), `deleted` when a task
is deleted. Each tells the team's active members' streams `event: queue`, so
that their Queue views follow at once; a task that never was in a queue costs
no query."""

from .. import metrics
from ..errors import AlreadyClaimed, Conflict, Forbidden
from ..live import events
from ..queries import queue as q
from ..queries import tasks as task_queries
from ..queries import teams as team_queries
from ..queries.users import get_user
from ..store.sql import Row
from . import notifications, task_notices
from .wording import person
from .work import unit_of_work

DONE = ("COMPLETED", "CANCELLED")


def queued(task) -> bool:
    """Waiting in a team's queue: a team, nobody, not done."""
    return (
        task.assigned_team is not None
        and task.assigned_to is None
        and task.status not in DONE
    )


def _moved(before, after) -> bool:
    """after is in a queue that before was not waiting in."""
    return queued(after) and not (
        before is not None
        and queued(before)
        and before.assigned_team == after.assigned_team
    )


def _tell_members(work, members, task, queued_now: bool) -> None:
    """`event: queue` to each of the team's active members (the actor too,
    for their other tabs and devices; away or not: they may look)."""
    event = events.queue(task.id, task.assigned_team, queued_now)
    for member in members:
        work.tell(member.user_id, event)


async def queued_notices(work, actor, task, before=None, told=()) -> list:
    """TASK_QUEUED for a task that has just entered its team's queue (before:
    the task as it was, None for a new one), to the team's active members
    who are not away, never the actor nor those in `told`; every active
    member's streams get `event: queue` (queued)."""
    if not _moved(before, task):
        return []
    team = await team_queries.team_name(work.conn, task.assigned_team)
    members = await team_queries.queue_members(work.conn, task.assigned_team)
    _tell_members(work, members, task, True)
    at_work = [member.user_id for member in members if not member.away]
    return task_notices.on_queued(actor, task, team, at_work, told)


async def unqueue(work, before, after, actor_id: int | None) -> None:
    """When a task leaves the queue it waited in (claimed, assigned, moved or
    done), its members' unread TASK_QUEUED about it are marked read, but the
    actor's; their streams are told (`read` with the ids, then the count),
    and every active member's `event: queue` (not queued)."""
    if not _moved(after, before):
        return
    members = await team_queries.queue_members(work.conn, before.assigned_team)
    _tell_members(work, members, before, False)
    marked = await q.read_queued(work.conn, before.id, before.assigned_team, actor_id)
    if not marked:
        return
    counts = await q.unread_counts(work.conn, marked)
    for user, ids in sorted(marked.items()):
        work.tell(user, events.changed("read", ids))
        work.tell(user, events.unread_count(counts[user]))


async def deleted(work, task) -> None:
    """A task deleted while it waited in a queue: its members' Queue views
    drop it (`event: queue`). Their TASK_QUEUED stay as they are."""
    if queued(task):
        members = await team_queries.queue_members(work.conn, task.assigned_team)
        _tell_members(work, members, task, False)


def _subject(task):
    return f"task:{task.id}", (task.client_id, task.visa_application_id)


async def claim_task(engine, broker, actor, task_id: int):
    """Take a task waiting in the queue of a team of the actor's. Of
    simultaneous claims exactly one succeeds; the others are AlreadyClaimed,
    naming who has it. Forbidden for those not in its team."""
    async with unit_of_work(engine, broker, actor) as work:
        # A claim and a release in between the failed UPDATE and the look at
        # why: the task is free again, so try once more.
        for _ in range(3):
            task = await q.claim_task(work.conn, task_id, actor.id)
            if task is not None:
                break
            await _refuse(work.conn, task_id, actor)
        if task is None:
            raise Conflict("the task changed hands meanwhile; try again")
        subject, case = _subject(task)
        work.record(subject, "claimed", {"assigned_to": [None, actor.id]}, case=case)
        await unqueue(work, Row({**task, "assigned_to": None}), task, actor.id)
    metrics.CLAIMS.labels("claimed").inc()
    return task


async def _refuse(conn, task_id: int, actor) -> None:
    """Why the claim changed nothing, raised; nothing when the task turns out
    free and the actor may take it after all."""
    task = await task_queries.get_task(conn, task_id)
    if task.assigned_team is None:
        raise Conflict("the task is in no team's queue")
    if not await team_queries.is_member(conn, task.assigned_team, actor.id):
        raise Forbidden("only the members of its team may claim a task")
    if task.assigned_to is not None:
        metrics.CLAIMS.labels("already_claimed").inc()
        holder = await get_user(conn, task.assigned_to)
        who = person(holder) if holder else f"user {task.assigned_to}"
        who = "you" if task.assigned_to == actor.id else who
        raise AlreadyClaimed(
            f"the task is already claimed by {who}",
            {"assigned_to": [f"claimed by {who} (user {task.assigned_to})"]},
        )


async def release_task(engine, broker, actor, task_id: int):
    """Put a task back in its team's queue: its assignee, a lead of its team
    or an admin may (Forbidden); Conflict when it has no team or nobody has it.
    Its members are told again; the assignee, when someone else released it."""
    async with unit_of_work(engine, broker, actor) as work:
        before = await task_queries.lock_task(work.conn, task_id)
        team = before.assigned_team
        if not (
            actor.role == "admin"
            or actor.id == before.assigned_to
            or (
                team is not None
                and await team_queries.is_member(work.conn, team, actor.id, lead=True)
            )
        ):
            raise Forbidden(
                "only the assignee, a lead of its team or an admin may release a task"
            )
        if team is None:
            raise Conflict("the task has no team whose queue it could go back to")
        if before.assigned_to is None:
            raise Conflict("nobody has the task: it is in its team's queue already")
        after = await task_queries.update_task(
            work.conn, task_id, assigned_to=None, assigned_by=None, delegated_from=None
        )
        subject, case = _subject(after)
        changes = {"assigned_to": [before.assigned_to, None]}
        work.record(subject, "released", changes, case=case)
        name = await team_queries.team_name(work.conn, team)
        notes = task_notices.on_release(actor, before, name)
        told = {note.recipient for note in notes}
        notes += await queued_notices(work, actor, after, before, told)
        await notifications.create_notifications(work, notes)
    return after
