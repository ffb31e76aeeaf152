"""Notifications: written inside any service's transaction, pushed after commit."""

from dataclasses import dataclass, field
from datetime import datetime

from .. import events, metrics
from ..errors import Invalid, NotFound
from ..queries import notifications as q
from ..queries.users import active_user_ids
from .work import unit_of_work

TYPES = (
    "TASK_ASSIGNED",
    "TASK_UPDATED",
    "TASK_COMMENT",
    "TASK_MENTIONED",
    "TASK_DUE_SOON",
    "TASK_OVERDUE",
    "VISA_APPLICATION_ASSIGNED",
    "VISA_STATUS_UPDATE",
    "SYSTEM",
)
# bulk/read actions → the stream event that tells the user's other streams
ACTIONS = {"mark_read": "read", "mark_unread": "unread", "delete": "deleted"}


@dataclass(frozen=True)
class NewNotification:
    recipient: int
    notification_type: str
    title: str
    message: str = ""
    due_date: datetime | None = None
    meta_info: dict = field(default_factory=dict)


async def create(work, items: list[NewNotification]):
    """Insert items in work's transaction with one statement; return the rows.

    Recipients are locked first (see queries.notifications.insert_locked), so
    one recipient's ids commit in increasing order. Call it once per transaction
    with everything the transaction reports: a second call could take locks out
    of order. The events reach the streams only if the transaction commits.
    """
    if not items:
        return []
    rows = await q.insert_locked(
        work.conn,
        [
            {
                "assigned_to": i.recipient,
                "notification_type": i.notification_type,
                "title": i.title,
                "message": i.message,
                "due_date": i.due_date,
                "meta_info": i.meta_info,
            }
            for i in items
        ],
    )
    for row in rows:
        work.tell(row.assigned_to, events.notification(row))
    # Counted at insert, before the commit: a rare later rollback still counts.
    metrics.created(rows)
    return rows


async def create_for_everyone(work, **fields):
    """One notification to every active user, inserted by a single statement."""
    await q.lock_all(work.conn)
    rows = await q.insert_for_active_users(work.conn, fields)
    for row in rows:
        work.tell(row.assigned_to, events.notification(row))
    metrics.created(rows)
    return rows


async def _apply(work, user_id: int, action: str, ids) -> list[int]:
    """The action on the user's notifications in work's transaction; the user's
    streams are told the change and the new unread count."""
    if action == "delete":
        changed = await q.delete(work.conn, user_id, ids)
    else:
        changed = await q.set_read(work.conn, user_id, ids, action == "mark_read")
    if changed:
        work.tell(
            user_id, events.changed(ACTIONS[action], None if ids is None else changed)
        )
    work.tell(user_id, events.unread_count(await q.unread_count(work.conn, user_id)))
    return changed


async def change(engine, broker, user_id: int, action: str, ids=None) -> list[int]:
    """Apply a bulk action to the user's notifications (`ids`, or all if None).

    Returns the ids whose state changed; ids that are not the user's are never
    touched.
    """
    async with unit_of_work(engine, broker) as work:
        return await _apply(work, user_id, action, ids)


async def change_one(engine, broker, user_id: int, notification_id: int, action: str):
    """Read, unread or delete one notification, in one transaction; NotFound if
    it is not the user's. Returns the notification as it now is (None if deleted)."""
    async with unit_of_work(engine, broker) as work:
        if await q.get(work.conn, user_id, notification_id) is None:
            raise NotFound(f"no notification with id {notification_id}")
        await _apply(work, user_id, action, [notification_id])
        if action == "delete":
            return None
        return await q.get(work.conn, user_id, notification_id)


async def send(engine, broker, recipients, **fields) -> list[int]:
    """An admin's notification to some active users, or to all ("all")."""
    async with unit_of_work(engine, broker) as work:
        if recipients == "all":
            rows = await create_for_everyone(work, **fields)
        else:
            wanted = sorted(set(recipients))
            active = await active_user_ids(work.conn, wanted)
            missing = [i for i in wanted if i not in set(active)]
            if missing:
                raise Invalid(
                    "unknown or inactive recipients",
                    {"recipients": [f"no active user with id {i}" for i in missing]},
                )
            rows = await create(work, [NewNotification(i, **fields) for i in wanted])
    return [row.id for row in rows]
