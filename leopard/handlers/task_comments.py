"""Comments on tasks: every user reads and writes them."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import BROKER, DATA, ENGINE, QUERY, USER
from ..schemas.task_comments import (
    Comment,
    CommentCreate,
    CommentList,
    CommentListQuery,
)
from ..services import task_comments as service
from . import ERRORS, TASK_ABSENT, TASK_INVALID, json, path_id, row


@docs(
    tags=["tasks"],
    summary="A task's comments, oldest first",
    responses={**ERRORS, **TASK_ABSENT},
)
@querystring_schema(CommentListQuery)
@response_schema(CommentList, 200)
async def comment_list(request: web.Request) -> web.Response:
    rows, count = await service.list_comments(
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
    responses={**ERRORS, **TASK_ABSENT, **TASK_INVALID},
)
@json_schema(CommentCreate)
@response_schema(Comment, 201)
async def comment_create(request: web.Request) -> web.Response:
    app = request.app
    comment = await service.add_comment(
        app[ENGINE], app[BROKER], request[USER], path_id(request), request[DATA]["body"]
    )
    return json(row(comment), status=201)
