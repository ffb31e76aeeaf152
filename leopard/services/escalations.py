"""Escalation: what is left unseen or undone is told to someone who can act.

The reminder sweeper runs `sweep`: an assignment of a priority named in
LEOPARD_ESCALATE_UNSEEN still unseen that many minutes after it was made
(reason "unseen"), and a task not done at the closing time of the first
business day after its due date's day (reason "overdue"), are told
(TASK_ESCALATED) to the leads of the task's team, else of the assignee's
teams, else every admin; never to the assignee, and to the delegate of one
who is away. Each assignment and each due date at most once, however many
processes sweep."""

from datetime import timedelta

from .. import metrics, office_calendar
from ..office_calendar import SEARCH_LIMIT, NoBusinessDay
from ..queries import calendar as calendar_queries
from ..queries import escalations as q
from ..queries import teams as team_queries
from . import absence, notifications
from .notifications import NewNotification
from .wording import label, moment
from .work import unit_of_work

# Tasks claimed per transaction, as the reminders' batches.
BATCH = 1000


async def _overdue_before(conn, calendar, now):
    """Tasks due before this moment are escalated (None: the office has no
    business day to count)."""
    today = calendar.today(now)
    since = today - timedelta(days=SEARCH_LIMIT)
    closures = await calendar_queries.closures_between(conn, since, today)
    try:
        return calendar.overdue_cutoff(now, closures)
    except NoBusinessDay:
        return None


def _told(people, resolved, assignee) -> dict[int, int | None]:
    """{recipient: the one away they stand in for, or None} of people, each
    through their delegate when away, never the assignee."""
    told = {}
    for someone in people:
        if someone == assignee:
            continue
        recipient, away = resolved[someone]
        if recipient != assignee:
            told.setdefault(recipient, away)
    return told


async def recipients(conn, tasks) -> dict[int, dict[int, int | None]]:
    """{task id: {recipient: on_behalf_of}}: the leads of the task's team, else
    of its assignee's teams; the admins when that leaves nobody."""
    teams = {task.assigned_team for task in tasks} - {None}
    assignees = {task.assigned_to for task in tasks} - {None}
    team_leads = await team_queries.team_leads(conn, teams)
    member_leads = await team_queries.leads_of_members(conn, assignees)
    admins = await q.active_admins(conn)
    everyone = {lead for leads in team_leads.values() for lead in leads}
    everyone |= {lead for leads in member_leads.values() for lead in leads}
    resolved = await absence.resolve_assignees(conn, everyone | set(admins))
    found = {}
    for task in tasks:
        leads = team_leads.get(task.assigned_team) or member_leads.get(
            task.assigned_to, []
        )
        found[task.id] = _told(leads, resolved, task.assigned_to) or _told(
            admins, resolved, task.assigned_to
        )
    return found


def notice(reason: str, task, recipient: int, on_behalf_of, calendar):
    holder = (task.full_name or task.username) if task.assigned_to else None
    if reason == "unseen":
        title = f"Not seen yet: {task.title}"
        message = (
            f"{holder} has not yet seen this {label(task.priority).lower()} "
            "task assigned to them."
        )
    else:
        title = f"Overdue: {task.title}"
        message = f"This task was due on {moment(task.due_date, calendar)}"
        message += (
            f" and {holder} has not done it."
            if holder
            else (" and nobody has taken it.")
        )
    meta = {"task_id": task.id, "reason": reason, "assignee_id": task.assigned_to}
    for key in ("client_id", "visa_application_id"):
        if task[key] is not None:
            meta[key] = task[key]
    if task.assigned_team is not None:
        meta["team_id"] = task.assigned_team
    if on_behalf_of is not None:
        meta["on_behalf_of"] = on_behalf_of
    return NewNotification(
        recipient=recipient,
        notification_type="TASK_ESCALATED",
        title=title,
        message=message,
        due_date=task.due_date,
        meta_info=meta,
    )


async def _escalate(work, claimed, calendar) -> list[NewNotification]:
    """The notifications of the claimed (reason, task) pairs, and each one's
    "escalated" history entry (by Leopard: no actor)."""
    told = await recipients(work.conn, [task for _, task in claimed])
    items = []
    for reason, task in claimed:
        people = told[task.id]
        changes = {"reason": [None, reason], "told": [None, sorted(people)]}
        case = (task.client_id, task.visa_application_id)
        work.record(f"task:{task.id}", "escalated", changes, case=case)
        items += [notice(reason, task, r, o, calendar) for r, o in people.items()]
    items.sort(key=lambda i: (i.recipient, i.meta_info["task_id"]))
    return items


async def sweep(engine, broker, settings, now=None, *, batch: int = BATCH) -> int:
    """Escalate what is due for it; return how many escalations there were.

    Each batch is one transaction: claim, write the notifications with one
    create_notifications, commit, then publish. `now` (default: the
    database's clock, and the office's today by this process's) lets tests
    pick the time."""
    calendar = office_calendar.of(settings)
    minutes = settings.escalate_unseen
    escalated = 0
    while True:
        async with unit_of_work(engine, broker) as work:
            unseen = []
            if minutes:
                unseen = await q.claim_unseen(work.conn, now, minutes, batch)
            before = await _overdue_before(work.conn, calendar, now)
            overdue = []
            if before is not None:
                overdue = await q.claim_overdue(work.conn, before, batch)
            claimed = [("unseen", t) for t in unseen] + [
                ("overdue", t) for t in overdue
            ]
            items = await _escalate(work, claimed, calendar)
            await notifications.create_notifications(work, items)
        for reason, _ in claimed:
            metrics.ESCALATIONS.labels(reason).inc()
        escalated += len(claimed)
        if len(unseen) < batch and len(overdue) < batch:
            return escalated
