"""GET /metrics: the Prometheus text exposition."""

from aiohttp import web
from aiohttp_apispec import docs
from prometheus_client import CONTENT_TYPE_LATEST

from ..keys import METRICS, STATUS
from ..metrics import exposition
from ..web.auth import public


@public
@docs(
    tags=["ops"],
    summary="Prometheus metrics",
    description="Open streams, notifications created and delivered, delivery "
    "latency (commit → written to a stream), HTTP requests by route name and "
    "status, the database pool. Keep it off the public internet (see nginx.conf).",
    produces=["text/plain"],
    security=[],
    responses={200: {"description": "the Prometheus text format"}},
)
async def metrics(request: web.Request) -> web.Response:
    body = exposition(request.app[METRICS])
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def remember_status(request: web.Request, response: web.StreamResponse):
    """on_response_prepare: the status that went out, for a request whose handler
    is cancelled later (a stream ended by its client's disconnect)."""
    request[STATUS] = response.status
