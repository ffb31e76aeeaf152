"""Who is told about a task, as NewNotifications: pure rules, no I/O.

The actor is never told; each person is told once per change, for the
strongest reason (assigned, then mentioned, then updated or commented).
"""

from datetime import datetime

from ..office_calendar import DEFAULT
from .notifications import NewNotification
from .wording import label, moment, person

WATCHED = ("status", "priority", "due_date", "title", "detail")
SHOWN = ("status", "priority", "due_date")  # the others are too long to quote
NAMES = {"due_date": "due date"}
EXCERPT = 280


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def diff(before, after, names) -> dict:
    """{name: [old, new]} of the names whose value changed, ready for JSON."""
    return {
        n: [_plain(before[n]), _plain(after[n])] for n in names if before[n] != after[n]
    }


def _shown(name, value, calendar) -> str:
    if value is None:
        return "none"
    if name == "due_date":
        return moment(datetime.fromisoformat(value), calendar)
    return label(value)


def describe(changes: dict, calendar=DEFAULT) -> str:
    """status (Pending → In progress), due date (none → 2030-01-02 03:04 UTC),
    title: in the words the inbox uses (`changes` holds the raw values)."""
    parts = []
    for name in WATCHED:
        if name in changes:
            shown = NAMES.get(name, name)
            if name in SHOWN:
                old, new = (_shown(name, v, calendar) for v in changes[name])
                shown += f" ({old} → {new})"
            parts.append(shown)
    return ", ".join(parts)


class Notices:
    """Collects one notification per recipient about one task."""

    def __init__(self, actor, task):
        self.actor, self.task = actor, task
        self.items, self.told = [], {actor.id, None}

    def add(self, recipient, kind, title, message, **meta):
        if recipient in self.told:
            return
        self.told.add(recipient)
        task = self.task
        meta = {"task_id": task.id, "actor_id": self.actor.id, **meta}
        for key in ("client_id", "visa_application_id"):
            if task[key] is not None:
                meta[key] = task[key]
        self.items.append(
            NewNotification(
                recipient=recipient,
                notification_type=kind,
                title=f"{title}: {task.title}",
                message=message,
                due_date=task.due_date,
                meta_info=meta,
            )
        )


def _assigned(notes, actor, task, **meta) -> None:
    """TASK_ASSIGNED to the task's assignee; one who stands in for an absent
    colleague learns so (meta_info.delegated_from)."""
    note = f"{person(actor)} assigned you this task"
    if task.delegated_from is not None:
        meta["delegated_from"] = task.delegated_from
        note += ", meant for a colleague who is away"
    notes.add(task.assigned_to, "TASK_ASSIGNED", "Task assigned", note + ".", **meta)


def on_create(actor, task) -> list[NewNotification]:
    notes = Notices(actor, task)
    _assigned(notes, actor, task)
    return notes.items


def on_queued(actor, task, team: str, members, told=()) -> list[NewNotification]:
    """TASK_QUEUED to the members given (those of its team who are not away),
    but the actor and those in `told` (told already, for a stronger reason)."""
    notes = Notices(actor, task)
    notes.told.update(told)
    note = f"{person(actor)} put this task in the {team} queue."
    for member in members:
        notes.add(
            member,
            "TASK_QUEUED",
            f"Waiting in {team}",
            note,
            team_id=task.assigned_team,
        )
    return notes.items


def on_release(actor, before, team: str) -> list[NewNotification]:
    """The assignee a task was taken from (by a lead or an admin) is told."""
    notes = Notices(actor, before)
    note = f"{person(actor)} released this task back to the {team} queue."
    notes.add(before.assigned_to, "TASK_UPDATED", "Task released", note)
    return notes.items


def on_change(actor, before, after, calendar=DEFAULT) -> list[NewNotification]:
    """A change of fields, the assignee's included (a reassignment)."""
    changes = diff(before, after, (*WATCHED, "assigned_to"))
    notes, who = Notices(actor, after), person(actor)
    changed = describe(changes, calendar)
    if "assigned_to" in changes:
        _assigned(notes, actor, after, changes=changes)
        verb = "reassigned" if after.assigned_to is not None else "unassigned"
        note = f"{who} {verb} this task" + (
            f" and changed {changed}." if changed else "."
        )
        notes.add(
            before.assigned_to, "TASK_UPDATED", "Task reassigned", note, changes=changes
        )
    if changed:
        note = f"{who} changed {changed}."
        for recipient in (after.assigned_to, after.created_by):
            notes.add(recipient, "TASK_UPDATED", "Task updated", note, changes=changes)
    return notes.items


def on_comment(actor, task, comment, mentioned) -> list[NewNotification]:
    """mentioned: ids of the active users the comment names, in any order."""
    notes, body = Notices(actor, task), comment.body
    excerpt = body if len(body) <= EXCERPT else body[: EXCERPT - 1] + "…"
    note = f"{person(actor)}: {excerpt}"
    for recipient in sorted(mentioned):
        notes.add(
            recipient,
            "TASK_MENTIONED",
            "Mentioned in a comment",
            note,
            comment_id=comment.id,
        )
    for recipient in (task.assigned_to, task.created_by):
        notes.add(recipient, "TASK_COMMENT", "New comment", note, comment_id=comment.id)
    return notes.items
