"""Thin HTTP handlers per resource, and the SSE stream."""

from aiohttp import web

from ..jsonutil import dumps
from ..schemas.common import Error

# OpenAPI fragments that several handler modules share.
ERRORS = {401: {"schema": Error, "description": "missing or invalid token"}}
ANYONE = "Any signed-in user may do this."
BAD_QUERY = {400: {"schema": Error, "description": "a bad query parameter"}}
TASK_ABSENT = {404: {"schema": Error, "description": "no such task"}}
TASK_INVALID = {422: {"schema": Error, "description": "invalid fields or unknown ids"}}


def json(data, status: int = 200, **kwargs) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps, **kwargs)


def path_id(request: web.Request) -> int:
    """The {id} of the path (routes.ID keeps it within a bigint)."""
    return int(request.match_info["id"])


def row(record) -> dict:
    return dict(record) if record is not None else None
