"""The thinnest useful SSE server, the reference every Leopard figure is divided by.

aiohttp, a dict of per-user queues and a raw StreamResponse: no database, no
auth (the user is `?user=`), no replay. It answers the paths the load generator
uses on Leopard, so each scenario runs unchanged against it:
`GET /api/v1/notifications/stream/?user=N`, `POST /api/v1/notifications/`
(`recipients` ids or "all") and `POST /api/v1/tasks/` (pushes TASK_ASSIGNED).

    python -m bench.thin_server --port 8090 [--heartbeat 30]
"""

import argparse
import asyncio
import itertools
import json
import time

from aiohttp import web

QUEUES = web.AppKey("queues", dict)
HEARTBEAT = web.AppKey("heartbeat", float)
READY = b'retry: 3000\n\nevent: unread_count\ndata: {"unread_count":0}\n\n'
_ids = itertools.count(1)


def _frame(user_id: int, kind: str, body: dict) -> tuple[int, bytes]:
    event_id = next(_ids)
    data = {
        "id": event_id,
        "notification_type": kind,
        "assigned_to": user_id,
        "title": body.get("title", ""),
        "message": body.get("message", ""),
        "due_date": None,
        "meta_info": body.get("meta_info", {}),
        "read": False,
        "read_at": None,
        "delivered_at": None,
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
    }
    text = f"id: {event_id}\nevent: notification\ndata: {json.dumps(data)}\n\n"
    return event_id, text.encode()


async def stream(request: web.Request) -> web.StreamResponse:
    user_id = int(request.query["user"])
    queue: asyncio.Queue = asyncio.Queue(1000)
    queues = request.app[QUEUES].setdefault(user_id, set())
    queues.add(queue)
    resp = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    try:
        await resp.prepare(request)
        await resp.write(READY)
        while True:
            try:
                async with asyncio.timeout(request.app[HEARTBEAT]):
                    frame = await queue.get()
            except TimeoutError:
                frame = b": ping\n\n"
            if frame is None:  # shutdown
                break
            await resp.write(frame)
        await resp.write_eof()
    finally:
        queues.discard(queue)
        if not queues:
            request.app[QUEUES].pop(user_id, None)


def _push(app, user_id: int, frame: bytes) -> None:
    for queue in app[QUEUES].get(user_id, ()):
        if not queue.full():
            queue.put_nowait(frame)


async def notify(request: web.Request) -> web.Response:
    body = await request.json()
    recipients = body["recipients"]
    if recipients == "all":  # one shared frame: the thinnest broadcast there is
        event_id, frame = _frame(0, "SYSTEM", body)
        for user_id in list(request.app[QUEUES]):
            _push(request.app, user_id, frame)
        return web.json_response({"created": 1, "ids": [event_id]}, status=201)
    ids = []
    for user_id in recipients:
        event_id, frame = _frame(user_id, "SYSTEM", body)
        _push(request.app, user_id, frame)
        ids.append(event_id)
    return web.json_response({"created": len(ids), "ids": ids}, status=201)


async def task(request: web.Request) -> web.Response:
    body = await request.json()
    event_id, frame = _frame(body["assigned_to"], "TASK_ASSIGNED", body)
    _push(request.app, body["assigned_to"], frame)
    return web.json_response({"id": event_id, **body}, status=201)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def close_streams(app: web.Application) -> None:
    for queues in list(app[QUEUES].values()):
        for queue in list(queues):
            for _ in range(queue.qsize()):
                queue.get_nowait()
            queue.put_nowait(None)


def make_app(heartbeat: float) -> web.Application:
    app = web.Application()
    app[QUEUES], app[HEARTBEAT] = {}, heartbeat
    app.router.add_get("/api/v1/notifications/stream/", stream)
    app.router.add_post("/api/v1/notifications/", notify)
    app.router.add_post("/api/v1/tasks/", task)
    app.router.add_get("/healthz", healthz)
    app.on_shutdown.append(close_streams)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--heartbeat", type=float, default=30.0)
    parser.add_argument("--backlog", type=int, default=128, help="aiohttp's default")
    args = parser.parse_args()
    web.run_app(
        make_app(args.heartbeat),
        host=args.host,
        port=args.port,
        print=None,
        backlog=args.backlog,
        handler_cancellation=True,
        shutdown_timeout=2.0,
    )


if __name__ == "__main__":
    main()
