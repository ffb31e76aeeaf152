"""Notifications: written inside any service's transaction, pushed after commit."""

from dataclasses import dataclass, field
from datetime import datetime

from .. import metrics
from ..errors import Invalid, NotFound
from ..live import events
from ..queries import notifications as q
from ..queries.users import active_user_ids
from ..vocabulary import BULK_ACTIONS
from .work import unit_of_work

# bulk/read actions → the stream event that tells the user's other streams
ACTIONS = {"mark_read": "read", "mark_unread": "unread", "delete": "deleted"}
assert tuple(ACTIONS) == BULK_ACTIONS


@dataclass(frozen=True)
class NewNotification:
    recipient: int
    notification_type: str
    title: str
    message: str = ""
    due_date: datetime | None = None
    meta_info: dict = field(default_factory=dict)


async def create_notifications(work, items: list[NewNotification]):
    """Insert items in work's transaction with one statement; return the rows.

    Items of a type their recipient muted are left out by the INSERT itself:
    no row, no event, no email (SYSTEM is never muted). Recipients are locked first (see
    queries.notifications.insert_notifications), so one recipient's ids commit
    in increasing order. Call it once per transaction with everything the
    transaction reports: a second call could take locks out of order. The
    events reach the streams only if the transaction commits.
    """
    if not items:
        return []
    rows = await _insert(work, items)
    announce(work, rows)
    return rows


async def _insert(work, items: list[NewNotification], active_only: bool = False):
    """The rows of items the INSERT kept (active_only: leaving out also those
    of a recipient who is not an active user)."""
    if not items:
        return []
    # The change's history entries go first, in the same round trip.
    entries = work.take_entries()
    return await q.insert_notifications(
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
        active_only,
        work.actor_id,
        entries,
    )


def announce(work, rows) -> None:
    for row in rows:
        work.tell(row.assigned_to, events.notification(row))
    # Counted at insert, before the commit: a rare later rollback still counts.
    metrics.created(rows)


async def create_for_everyone(work, **fields):
    """One notification to every active user (but those who muted its type),
    inserted by a single statement."""
    await q.lock_all_recipients(work.conn)
    rows = await q.insert_for_active_users(work.conn, fields, work.actor_id)
    for row in rows:
        work.tell(row.assigned_to, events.notification(row))
    metrics.created(rows)
    return rows


async def list_notifications(engine, user_id: int, query: dict):
    """(a page of the user's notifications, how many match, the unread total)
    for the list's filters: read, type, group, before_id, limit, offset. With
    `grouped`, a page of groups instead (queries.list_groups), and how many
    groups match."""
    query = dict(query)
    if "type" in query:
        query["types"] = query.pop("type")
    listing = q.list_groups if query.pop("grouped", False) else q.list_notifications
    async with engine.acquire() as conn:
        rows, count = await listing(conn, user_id, **query)
        return rows, count, await q.count_unread(conn, user_id)


async def count_unread(engine, user_id: int) -> int:
    async with engine.acquire() as conn:
        return await q.count_unread(conn, user_id)


async def get_notification(engine, user_id: int, notification_id: int):
    """One of the user's notifications; NotFound if it is not theirs."""
    async with engine.acquire() as conn:
        row = await q.get_notification(conn, user_id, notification_id)
    if row is None:
        raise NotFound(f"no notification with id {notification_id}")
    return row


async def _apply(work, user_id: int, action: str, ids, group=None) -> list[int]:
    """The action on the user's notifications in work's transaction; the user's
    streams are told the change (the ids changed, or `all`) and the new unread
    count."""
    if action == "delete":
        changed = await q.delete_notifications(work.conn, user_id, ids, group)
    else:
        read = action == "mark_read"
        changed = await q.set_read(work.conn, user_id, ids, read, group)
    if changed:
        everything = ids is None and group is None
        work.tell(
            user_id, events.changed(ACTIONS[action], None if everything else changed)
        )
    work.tell(user_id, events.unread_count(await q.count_unread(work.conn, user_id)))
    return changed


async def change_notifications(
    engine, broker, user_id: int, action: str, ids=None, group=None
) -> list[int]:
    """Apply a bulk action to the user's notifications: `ids`, one `group`
    ("task:12"), or all when both are None.

    Returns the ids whose state changed; ids that are not the user's are never
    touched.
    """
    async with unit_of_work(engine, broker) as work:
        return await _apply(work, user_id, action, ids, group)


async def change_notification(
    engine, broker, user_id: int, notification_id: int, action: str
):
    """Read, unread or delete one notification, in one transaction; NotFound if
    it is not the user's. Returns the notification as it now is (None if deleted)."""
    async with unit_of_work(engine, broker) as work:
        if await q.get_notification(work.conn, user_id, notification_id) is None:
            raise NotFound(f"no notification with id {notification_id}")
        await _apply(work, user_id, action, [notification_id])
        if action == "delete":
            return None
        return await q.get_notification(work.conn, user_id, notification_id)


async def _refuse_inactive(conn, wanted: list[int]) -> None:
    active = set(await active_user_ids(conn, wanted))
    missing = [i for i in wanted if i not in active]
    if missing:
        raise Invalid(
            "unknown or inactive recipients",
            {"recipients": [f"no active user with id {i}" for i in missing]},
        )


async def send_notifications(engine, broker, recipients, **fields) -> list[int]:
    """An admin's notification to some active users, or to all ("all")."""
    async with unit_of_work(engine, broker) as work:
        if recipients == "all":
            rows = await create_for_everyone(work, **fields)
        else:
            wanted = sorted(set(recipients))
            items = [NewNotification(i, **fields) for i in wanted]
            rows = await _insert(work, items, active_only=True)
            # Rows are missing only for who muted the type or is not an active
            # user: then, and only then, ask which it was (one round trip fewer
            # for every other send).
            if len(rows) < len(wanted):
                await _refuse_inactive(work.conn, wanted)
            announce(work, rows)
    return [row.id for row in rows]
