from aiohttp import web

from ..keys import ENGINE
from ..store.db import UNAVAILABLE
from ..web.auth import public
from . import json


@public
async def healthz(request: web.Request) -> web.Response:
    return json({"status": "ok"})


@public
async def readyz(request: web.Request) -> web.Response:
    try:
        async with request.app[ENGINE].acquire() as conn:
            await conn.scalar("SELECT 1")
    except UNAVAILABLE:
        return json({"status": "unavailable", "database": "down"}, status=503)
    return json({"status": "ok", "database": "up"})
