"""Tasks: every user reads them; the creator, the assignee or an admin changes
one; the creator or an admin deletes it."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import BROKER, CALENDAR, DATA, ENGINE, QUERY, USER
from ..schemas.common import Error
from ..schemas.task_filters import TaskListQuery
from ..schemas.tasks import Task, TaskAssign, TaskCreate, TaskList, TaskUpdate
from ..services import tasks as service
from . import ERRORS, TASK_ABSENT, TASK_INVALID, json, path_id, row

MAY_NOT = "not the creator, the assignee or an admin"
CHANGE = {
    **ERRORS,
    **TASK_ABSENT,
    **TASK_INVALID,
    403: {"schema": Error, "description": MAY_NOT},
}
TOLD = (
    "Tells whoever is concerned, never the caller: a new assignee gets "
    "TASK_ASSIGNED and the previous one TASK_UPDATED; a change of status, "
    "priority, due date, title or detail sends TASK_UPDATED to the assignee "
    "and the creator (meta_info.changes: {field: [old, new]}). Values equal to "
    "the current ones are no change. An assignee who is away is replaced by "
    "their delegate (delegated_from names them); a task with assigned_team and "
    "no assignee waits in that team's queue, its members told TASK_QUEUED."
)


def _services(request):
    return request.app[ENGINE], request.app[BROKER], request[USER]


@docs(
    tags=["tasks"],
    summary="Tasks, filtered and ordered (every user reads every task)",
    description=(
        "Filters combine with AND. `assigned_to`: id, `me` or `none` "
        "(unassigned); `tag`: exact, case-sensitive; `due_before`/`due_after`: "
        "strictly before/after, tasks without a due date never match; "
        "`overdue=true`: past due and neither COMPLETED nor CANCELLED "
        "(`false`: the others); `q`: case-insensitive substring of title or "
        "detail, % and _ literal; `queue=mine`: the tasks waiting in the queues "
        "of the caller's teams (a team, nobody assigned, not done). Orderings "
        "put tasks without a due date last both ways; ties go by id, in the "
        "ordering's direction."
    ),
    responses=ERRORS,
)
@querystring_schema(TaskListQuery)
@response_schema(TaskList, 200)
@response_schema(Error, 400, description="an invalid filter or ordering")
async def task_list(request: web.Request) -> web.Response:
    rows, count = await service.list_tasks(
        request.app[ENGINE], request[USER], request[QUERY]
    )
    return json({"results": [row(r) for r in rows], "count": count})


@docs(
    tags=["tasks"],
    summary="Create a task",
    description="With an assignee, the assignee (or, while they are away, "
    "their delegate) gets TASK_ASSIGNED; with assigned_team and no assignee, "
    "the team's members get TASK_QUEUED.",
    responses={**ERRORS, **TASK_INVALID},
)
@json_schema(TaskCreate)
@response_schema(Task, 201)
async def task_create(request: web.Request) -> web.Response:
    task = await service.create_task(
        *_services(request), request[DATA], request.app[CALENDAR]
    )
    return json(row(task), status=201)


@docs(tags=["tasks"], summary="One task", responses={**ERRORS, **TASK_ABSENT})
@response_schema(Task, 200)
async def task_get(request: web.Request) -> web.Response:
    return json(row(await service.get_task(request.app[ENGINE], path_id(request))))


@docs(
    tags=["tasks"],
    summary="Change a task (creator, assignee or admin)",
    description=TOLD + " `assigned_to` here is a reassignment, as …/assign/.",
    responses=CHANGE,
)
@json_schema(TaskUpdate)
@response_schema(Task, 200)
async def task_update(request: web.Request) -> web.Response:
    data = request[DATA]
    return json(
        row(
            await service.update_task(
                *_services(request), path_id(request), data, request.app[CALENDAR]
            )
        )
    )


@docs(
    tags=["tasks"],
    summary="Give a task to a user, or to nobody (creator, assignee or admin)",
    description=TOLD,
    responses=CHANGE,
)
@json_schema(TaskAssign)
@response_schema(Task, 200)
async def task_assign(request: web.Request) -> web.Response:
    assignee = request[DATA]["assigned_to"]
    task = await service.assign_task(*_services(request), path_id(request), assignee)
    return json(row(task))


@docs(
    tags=["tasks"],
    summary="Delete a task and its comments (creator or admin)",
    responses={
        **ERRORS,
        **TASK_ABSENT,
        204: {"description": "deleted"},
        403: {"schema": Error, "description": "not the creator or an admin"},
    },
)
async def task_delete(request: web.Request) -> web.Response:
    await service.delete_task(*_services(request), path_id(request))
    return web.Response(status=204)
