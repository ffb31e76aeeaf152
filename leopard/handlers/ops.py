from aiohttp import web
from aiohttp_apispec import docs, response_schema

from ..keys import ENGINE
from ..schemas.common import Health
from ..store.db import UNAVAILABLE
from ..web.auth import public
from . import json


@public
@docs(tags=["ops"], summary="The process runs", security=[])
@response_schema(Health, 200, description="always, while the process runs")
async def healthz(request: web.Request) -> web.Response:
    return json({"status": "ok"})


@public
@docs(tags=["ops"], summary="The database answers", security=[])
@response_schema(Health, 200, description="the database answers")
@response_schema(Health, 503, description="the database does not answer")
async def readyz(request: web.Request) -> web.Response:
    try:
        async with request.app[ENGINE].acquire() as conn:
            await conn.scalar("SELECT 1")
    except UNAVAILABLE:
        return json({"status": "unavailable", "database": "down"}, status=503)
    return json({"status": "ok", "database": "up"})
