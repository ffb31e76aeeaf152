"""Comments on tasks: every user reads and writes them."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import BROKER, DATA, ENGINE, QUERY, USER
from ..schemas import task_comments as s
from ..services import task_comments as service
from . import json, path_id, row
from .tasks import ABSENT, INVALID
from .users import ERRORS


@docs(
    tags=["tasks"],
    summary="A task's comments, oldest first",
    responses={**ERRORS, **ABSENT},
)
@querystring_schema(s.CommentListQuery)
@response_schema(s.CommentList, 200)
async def comment_list(request: web.Request) -> web.Response:
    rows, count = await service.comment_list(
        request.app[ENGINE], path_id(request), **request[QUERY]
    )
    return json({"results": [row(r) for r in rows], "count": count})


@docs(
    tags=["tasks"],
    summary="Comment on a task (any user: reading tasks is open to all)",
    description=(
        "The assignee and the creator get TASK_COMMENT; each active user named "
        "as @username (any case) gets TASK_MENTIONED instead. The author is "
        "never told. The task's updated_at is not changed."
    ),
    responses={**ERRORS, **ABSENT, **INVALID},
)
@json_schema(s.CommentCreate)
@response_schema(s.Comment, 201)
async def comment_create(request: web.Request) -> web.Response:
    app = request.app
    comment = await service.comment_add(
        app[ENGINE], app[BROKER], request[USER], path_id(request), request[DATA]["body"]
    )
    return json(row(comment), status=201)
