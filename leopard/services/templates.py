"""Checklists that start themselves: task templates (everyone reads them,
admins write them), and the tasks they make when a visa application is created
with, or changes to, a template's status, in that change's transaction."""

from .. import metrics
from ..errors import Conflict, Invalid
from ..queries import calendar as calendar_queries
from ..queries import tasks as task_queries
from ..queries import templates as q
from ..queries.teams import keep_team
from ..queries.users import active_user_ids
from . import absence, queue, task_notices
from .history import initial
from .permissions import require_admin
from .work import unit_of_work

FIELDS = ("name", "visa_type", "on_status", "active", "tasks")
TASK_FIELDS = (
    "title",
    "assigned_team",
    "detail",
    "priority",
    "tags",
    "due_date",
    "assigned_to",
    "client_id",
    "visa_application_id",
    "template_id",
)


def _named(tasks, key: str) -> set:
    return {
        t["assign_to"][key]
        for t in tasks
        if isinstance(t["assign_to"], dict) and key in t["assign_to"]
    }


async def _check_people(conn, tasks: list[dict]) -> None:
    """Every {"user": id} an active user, every {"team": id} a team (kept from
    deletion until commit); Invalid names the tasks that are not."""
    users = _named(tasks, "user")
    active = set(await active_user_ids(conn, sorted(users))) if users else set()
    teams = {team for team in _named(tasks, "team") if await keep_team(conn, team)}
    errors = {}
    for i, task in enumerate(tasks):
        who = task["assign_to"]
        if isinstance(who, dict) and "user" in who and who["user"] not in active:
            errors[f"tasks.{i}.assign_to"] = [f"no active user with id {who['user']}"]
        if isinstance(who, dict) and "team" in who and who["team"] not in teams:
            errors[f"tasks.{i}.assign_to"] = [f"no team with id {who['team']}"]
    if errors:
        raise Invalid("invalid field values", errors)


async def list_templates(engine, query: dict):
    async with engine.acquire() as conn:
        return await q.list_templates(conn, **query)


async def get_template(engine, template_id: int):
    async with engine.acquire() as conn:
        return await q.get_template(conn, template_id)


async def create_template(engine, actor, data: dict):
    require_admin(actor, "write task templates")
    async with unit_of_work(engine, actor=actor) as work:
        await _check_people(work.conn, data["tasks"])
        return await q.insert_template(work.conn, created_by=actor.id, **data)


async def update_template(engine, actor, template_id: int, data: dict):
    """Change the fields given; the tasks a template made stay as they are."""
    require_admin(actor, "write task templates")
    async with unit_of_work(engine, actor=actor) as work:
        before = await q.get_template(work.conn, template_id, lock=True)
        changes = {k: v for k, v in data.items() if before[k] != v}
        if not changes:
            return before
        if "tasks" in changes:
            await _check_people(work.conn, changes["tasks"])
        return await q.update_template(work.conn, template_id, **changes)


async def delete_template(engine, actor, template_id: int) -> None:
    """Delete it; the tasks it made stay, their template_id then null."""
    require_admin(actor, "write task templates")
    async with unit_of_work(engine, actor=actor) as work:
        await q.delete_template(work.conn, template_id)


def _assignee(spec, actor, application):
    if spec == "acting_user":
        return actor.id
    if spec == "application_assignee":
        return application.assigned_to
    return spec.get("user")


async def _teams_of(conn, specs) -> dict:
    """{team: True} of the teams the templates queue tasks for, each kept from
    deletion until commit; Conflict (the whole change rolls back) when one was
    deleted since its template was written."""
    teams = {}
    for template, task in specs:
        who = task["assign_to"]
        if isinstance(who, dict) and "team" in who and who["team"] not in teams:
            if not await keep_team(conn, who["team"]):
                raise Conflict(
                    f"task template {template.name!r} queues tasks for team "
                    f"{who['team']}, which no longer exists; change the template"
                )
            teams[who["team"]] = True
    return teams


async def run_templates(work, calendar, actor, application) -> list:
    """The tasks of every active template for the application's type and its
    status that has not yet made them (queries.templates.claim_runs), made in
    work's transaction with one INSERT, each recorded in the history as made by
    its template. Returns their notices (TASK_ASSIGNED), for the caller's one
    call to create_notifications."""
    templates = await q.claim_runs(
        work.conn, application.id, application.visa_type, application.status
    )
    if not templates:
        return []
    specs = [(template, task) for template in templates for task in template.tasks]
    due = {}
    wanted = {t["due_in_business_days"] for _, t in specs} - {None}
    if wanted:
        today = calendar.today()
        closures = await calendar_queries.closures_between(work.conn, today)
        due = {n: calendar.due_in_business_days(n, closures) for n in wanted}
    await _teams_of(work.conn, specs)
    people = {_assignee(t["assign_to"], actor, application) for _, t in specs} - {None}
    active = set(await active_user_ids(work.conn, sorted(people))) if people else set()
    # An absent user's tasks go to their delegate, as any new task does.
    resolved = await absence.resolve_assignees(work.conn, active)
    rows = []
    for template, task in specs:
        named = _assignee(task["assign_to"], actor, application)
        assignee, away = resolved.get(named, (None, None))
        who = task["assign_to"]
        team = who.get("team") if isinstance(who, dict) else None
        rows.append(
            {
                "title": task["title"],
                "detail": task.get("detail", ""),
                "priority": task.get("priority", "MEDIUM"),
                "tags": task.get("tags", []),
                "due_date": due.get(task.get("due_in_business_days")),
                "assigned_to": assignee,
                "assigned_team": team,
                "delegated_from": away,
                "assigned_by": actor.id if assignee is not None else None,
                "created_by": actor.id,
                "client_id": application.client_id,
                "visa_application_id": application.id,
                "template_id": template.id,
            }
        )
    made = await task_queries.insert_tasks(work.conn, rows)
    notices = []
    for task in made:
        case = (task.client_id, task.visa_application_id)
        work.record(f"task:{task.id}", "created", initial(task, TASK_FIELDS), case=case)
        if task.delegated_from is not None:
            changes = {"assigned_to": [task.delegated_from, task.assigned_to]}
            work.record(f"task:{task.id}", "delegated", changes, case=case)
            metrics.DELEGATIONS.inc()
        notices += task_notices.on_create(actor, task)
        notices += await queue.queued_notices(work, actor, task)
    return notices


async def export_templates(engine) -> dict:
    """Every template, as `templates export` writes them."""
    async with engine.acquire() as conn:
        rows = await q.all_templates(conn)
    return {"templates": [{name: row[name] for name in FIELDS} for row in rows]}


async def import_templates(engine, items: list[dict]) -> dict:
    """Create or update templates from validated items, matched by name, in
    one transaction; a template that already reads the same is not touched,
    so importing a file twice changes nothing. Counts of what happened."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    async with unit_of_work(engine) as work:
        for item in items:
            await _check_people(work.conn, item["tasks"])
            found = await q.find_by_name(work.conn, item["name"])
            if found is None:
                await q.insert_template(work.conn, **item)
                counts["created"] += 1
                continue
            changes = {k: v for k, v in item.items() if found[k] != v}
            if changes:
                await q.update_template(work.conn, found.id, **changes)
            counts["updated" if changes else "unchanged"] += 1
    return counts
