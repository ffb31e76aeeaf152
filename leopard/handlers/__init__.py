"""Thin HTTP handlers per resource, and the SSE stream."""

from aiohttp import web

from ..jsonutil import dumps


def json(data, status: int = 200, **kwargs) -> web.Response:
    return web.json_response(data, status=status, dumps=dumps, **kwargs)


def path_id(request: web.Request) -> int:
    """The {id} of the path (routes.ID keeps it within a bigint)."""
    return int(request.match_info["id"])


def row(record) -> dict:
    return dict(record) if record is not None else None
