"""A team's queue: claim a waiting task, or release one back."""

from aiohttp import web
from aiohttp_apispec import docs, response_schema

from ..keys import BROKER, ENGINE, USER
from ..schemas.common import Error
from ..schemas.tasks import Task
from ..services import queue as service
from . import ERRORS, TASK_ABSENT, json, path_id, row


@docs(
    tags=["tasks"],
    summary="Claim a task waiting in your team's queue",
    description=(
        "The task becomes the caller's and keeps its assigned_team. Of "
        "simultaneous claims, across processes, exactly one succeeds; the others "
        "answer 409 `already_claimed` naming who has it. The other members' "
        "unread TASK_QUEUED about it are marked read (their streams get `read` "
        "and the new `unread_count`)."
    ),
    responses={
        **ERRORS,
        **TASK_ABSENT,
        403: {"schema": Error, "description": "not a member of the task's team"},
        409: {
            "schema": Error,
            "description": "`already_claimed`: someone (the caller included) has "
            "it; or `conflict`: the task has no team",
        },
    },
)
@response_schema(Task, 200)
async def task_claim(request: web.Request) -> web.Response:
    app = request.app
    task = await service.claim_task(
        app[ENGINE], app[BROKER], request[USER], path_id(request)
    )
    return json(row(task))


@docs(
    tags=["tasks"],
    summary="Put a task back in its team's queue",
    description=(
        "By its assignee, a lead of its team or an admin. Nobody has it "
        "afterwards; the team's members (but the caller and those away) get "
        "TASK_QUEUED again, and an assignee it was taken from TASK_UPDATED."
    ),
    responses={
        **ERRORS,
        **TASK_ABSENT,
        403: {"schema": Error, "description": "not its assignee, a lead or an admin"},
        409: {"schema": Error, "description": "it has no team, or nobody has it"},
    },
)
@response_schema(Task, 200)
async def task_release(request: web.Request) -> web.Response:
    app = request.app
    task = await service.release_task(
        app[ENGINE], app[BROKER], request[USER], path_id(request)
    )
    return json(row(task))
