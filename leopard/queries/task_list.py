"""The task list: filters and orderings of GET /api/v1/tasks/."""

import sqlalchemy as sa

from ..store.tables import tasks as t
from ..store.tables import team_members
from ..vocabulary import TASK_ORDERINGS
from . import like_pattern
from .tasks import SHOWN

DONE = ("COMPLETED", "CANCELLED")


def _asc(column):
    return [column.asc().nulls_last(), t.c.id.asc()]


def _desc(column):
    # Tasks without a due date come last in both directions: they are the
    # least pressing, not the most.
    return [column.desc().nulls_last(), t.c.id.desc()]


ORDERINGS = {
    "due_date": _asc(t.c.due_date),
    "-due_date": _desc(t.c.due_date),
    "priority": _asc(t.c.priority_rank),
    "-priority": _desc(t.c.priority_rank),
    "created_at": _asc(t.c.created_at),
    "-created_at": _desc(t.c.created_at),
}
assert tuple(ORDERINGS) == TASK_ORDERINGS


def _overdue(overdue: bool):
    if overdue:
        return sa.and_(t.c.due_date < sa.func.now(), t.c.status.notin_(DONE))
    # Spelled out: NOT of a comparison with a NULL due date would be NULL.
    return sa.or_(
        t.c.due_date.is_(None), t.c.due_date >= sa.func.now(), t.c.status.in_(DONE)
    )


def _filters(filters: dict) -> list:
    """Conditions for the filters given; a user filter of None means nobody."""
    where = []
    for name in ("assigned_to", "created_by"):
        if name in filters:
            value = filters[name]
            where.append(t.c[name].is_(None) if value is None else t.c[name] == value)
    for name in ("client_id", "visa_application_id", "assigned_team"):
        if name in filters:
            where.append(t.c[name] == filters[name])
    for name in ("status", "priority"):
        if name in filters:
            where.append(t.c[name].in_(filters[name]))
    if "queue_of" in filters:
        # The queues of the user's teams: their tasks that nobody has, not done.
        m = team_members
        teams = sa.select(m.c.team_id).where(m.c.user_id == filters["queue_of"])
        where += [
            t.c.assigned_team.in_(teams),
            t.c.assigned_to.is_(None),
            t.c.status.notin_(DONE),
        ]
    if "tag" in filters:
        where.append(t.c.tags.contains([filters["tag"]]))
    if "due_before" in filters:
        where.append(t.c.due_date < filters["due_before"])
    if "due_after" in filters:
        where.append(t.c.due_date > filters["due_after"])
    if "overdue" in filters:
        where.append(_overdue(filters["overdue"]))
    if "q" in filters:
        pattern = like_pattern(filters["q"])
        where.append(
            sa.or_(
                t.c.title.ilike(pattern, escape="\\"),
                t.c.detail.ilike(pattern, escape="\\"),
            )
        )
    return where


async def list_tasks(conn, *, limit, offset, ordering="-created_at", **filters):
    """One page of the tasks the filters match, and how many match in all."""
    where = sa.and_(sa.true(), *_filters(filters))
    count = await conn.scalar(sa.select(sa.func.count()).select_from(t).where(where))
    result = await conn.execute(
        sa.select(*SHOWN)
        .where(where)
        .order_by(*ORDERINGS[ordering])
        .limit(limit)
        .offset(offset)
    )
    return await result.fetchall(), count
