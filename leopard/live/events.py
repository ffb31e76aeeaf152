"""The frames a stream carries, built once per change and shared by every stream."""

from ..jsonutil import dumps
from .hub import Event

NOTIFICATION_FIELDS = (
    "id",
    "notification_type",
    "assigned_to",
    "title",
    "message",
    "due_date",
    "meta_info",
    "read",
    "read_at",
    "delivered_at",
    "created_at",
    "emailed_at",
    "group",
)


def notification_dict(row) -> dict:
    return {name: row[name] for name in NOTIFICATION_FIELDS}


def notification(row) -> Event:
    return Event(
        event="notification",
        data=dumps(notification_dict(row)),
        id=row["id"],
        type=row["notification_type"],
    )


def changed(action: str, ids: list[int] | None) -> Event:
    """`read`, `unread` or `deleted` for the ids given, or for all when ids is None."""
    payload = {"all": True} if ids is None else {"ids": ids}
    return Event(event=action, data=dumps(payload))


def unread_count(count: int) -> Event:
    return Event(event="unread_count", data=dumps({"unread_count": count}))


def queue(task_id: int, team_id: int, queued: bool) -> Event:
    """A task entered (queued) or left a team's queue: the members' Queue
    views follow it. No id: it is no notification, nothing replays it."""
    payload = {"task_id": task_id, "team_id": team_id, "queued": queued}
    return Event(event="queue", data=dumps(payload))
