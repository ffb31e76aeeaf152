"""Reminders: TASK_DUE_SOON and TASK_OVERDUE to a task's assignee, each sent
once per task and due date, and DOCUMENT_EXPIRING / DOCUMENT_EXPIRED to a
document's responsible user (services.document_reminders), however many
processes sweep; a copy of each to the delegate of a recipient who is away.
The same loop runs the escalations (services.escalations)."""

import asyncio
import logging
from datetime import timedelta

from .. import metrics, office_calendar
from ..office_calendar import DEFAULT
from ..queries import reminders as q
from ..store.db import UNAVAILABLE, first_line
from . import absence, document_reminders, escalations, notifications
from .notifications import NewNotification
from .wording import moment
from .work import unit_of_work

log = logging.getLogger("leopard.reminders")

# Tasks claimed per transaction: a backlog (a long outage, a first start on a
# full database) becomes several short transactions, not one giant one.
BATCH = 1000
TEXTS = {
    "TASK_DUE_SOON": ("Task due soon", "This task is due on {when}."),
    "TASK_OVERDUE": ("Task overdue", "This task was due on {when} and is not done."),
}


def reminder(kind: str, task, calendar=DEFAULT) -> NewNotification:
    """The reminder of one claimed task (a row of queries.reminders)."""
    title, message = TEXTS[kind]
    when = moment(task.due_date, calendar)
    meta = {"task_id": task.id, "due_date": task.due_date.isoformat()}
    for key in ("client_id", "visa_application_id"):
        if task[key] is not None:
            meta[key] = task[key]
    return NewNotification(
        recipient=task.assigned_to,
        notification_type=kind,
        title=f"{title}: {task.title}",
        message=message.format(when=when),
        due_date=task.due_date,
        meta_info=meta,
    )


async def sweep(engine, broker, settings, now=None, *, batch: int = BATCH) -> int:
    """Send the reminders that are due; return how many were sent.

    Each batch is one transaction: claim overdue tasks, claim tasks due soon,
    write all their notifications with one `create_notifications` (a second
    call could take recipient locks out of order), commit, then publish. A
    claim compares with the current due date, so moving it re-arms the
    reminders. `now` (default: the database's clock) lets tests pick the time.
    """
    ahead = timedelta(hours=settings.due_soon_hours)
    calendar = office_calendar.of(settings)
    today = calendar.today(now)
    thresholds = settings.expiry_reminder_days
    sent = 0
    while True:
        async with unit_of_work(engine, broker) as work:
            overdue = await q.claim_overdue(work.conn, now, batch)
            soon = await q.claim_due_soon(work.conn, now, ahead, batch)
            items = [reminder("TASK_OVERDUE", row, calendar) for row in overdue]
            items += [reminder("TASK_DUE_SOON", row, calendar) for row in soon]
            items.sort(key=lambda i: (i.recipient, i.due_date, i.meta_info["task_id"]))
            documents = await q.documents_to_look_at(work.conn, today, batch)
            told, looks = document_reminders.looks(documents, today, thresholds)
            await q.documents_looked_at(work.conn, looks)
            items += sorted(
                told, key=lambda i: (i.recipient, i.meta_info["document_id"])
            )
            items += await absence.copies_for_delegates(work.conn, items)
            rows = await notifications.create_notifications(work, items)
        for row in rows:
            metrics.REMINDERS.labels(row.notification_type).inc()
        sent += len(items)
        if len(overdue) < batch and len(soon) < batch and len(documents) < batch:
            return sent


async def run(engine, broker, settings) -> None:
    """Sweep for reminders, then for escalations, every
    `settings.reminder_interval` seconds until cancelled.

    A failed sweep is logged and retried on the next tick (its transaction
    rolled back, nothing was claimed); the loop itself never ends but by
    cancellation.
    """
    while True:
        await asyncio.sleep(settings.reminder_interval)
        for job in (sweep, escalations.sweep):
            await _run_once(job, engine, broker, settings)


async def _run_once(job, engine, broker, settings) -> None:
    try:
        await job(engine, broker, settings)
    except Exception as exc:
        # A cancelled query can surface as a database error: shutdown wins.
        if asyncio.current_task().cancelling():
            raise asyncio.CancelledError from exc
        if isinstance(exc, UNAVAILABLE):
            log.warning("reminder sweep failed, will retry: %s", first_line(exc))
        else:
            log.exception("reminder sweep failed, will retry")
