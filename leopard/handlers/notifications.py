from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import BROKER, DATA, ENGINE, QUERY, USER
from ..live.events import notification_dict
from ..schemas.common import Error
from ..schemas.notifications import (
    BulkRequest,
    BulkResponse,
    Notification,
    NotificationCreate,
    NotificationCreated,
    NotificationList,
    NotificationListQuery,
    UnreadCount,
)
from ..services import notifications as service
from ..services.permissions import require_admin
from . import ERRORS, json, path_id

NOT_YOURS = {404: {"schema": Error, "description": "absent or not yours"}}


@docs(
    tags=["notifications"],
    summary="The caller's notifications, newest first",
    description="With `grouped=true` each result is a group instead: "
    "`{group, latest: <notification>, count, unread_count}`, newest "
    "first by its latest notification; a notification without a group is a "
    "group of its own (group null, count 1); `count` then counts groups.",
    responses=ERRORS,
)
@querystring_schema(NotificationListQuery)
@response_schema(NotificationList, 200)
async def notification_list(request: web.Request) -> web.Response:
    query = request[QUERY]
    rows, count, unread = await service.list_notifications(
        request.app[ENGINE], request[USER].id, query
    )
    shown = _group if query.get("grouped") else notification_dict
    return json(
        {
            "results": [shown(r) for r in rows],
            "count": count,
            "unread_count": unread,
        }
    )


def _group(row) -> dict:
    return {
        "group": row["group"],
        "latest": notification_dict(row),
        "count": row["count"],
        "unread_count": row["unread_in"],
    }


@docs(
    tags=["notifications"],
    summary="How many of the caller's are unread",
    responses=ERRORS,
)
@response_schema(UnreadCount, 200)
async def unread_count(request: web.Request) -> web.Response:
    count = await service.count_unread(request.app[ENGINE], request[USER].id)
    return json({"unread_count": count})


@docs(
    tags=["notifications"],
    summary="One of the caller's notifications",
    responses={**ERRORS, **NOT_YOURS},
)
@response_schema(Notification, 200)
async def notification_get(request: web.Request) -> web.Response:
    row = await service.get_notification(
        request.app[ENGINE], request[USER].id, path_id(request)
    )
    return json(notification_dict(row))


async def _change(request, action):
    app = request.app
    return await service.change_notification(
        app[ENGINE], app[BROKER], request[USER].id, path_id(request), action
    )


@docs(
    tags=["notifications"],
    summary="Mark read (idempotent: read_at kept)",
    responses={**ERRORS, **NOT_YOURS},
)
@response_schema(Notification, 200)
async def notification_read(request: web.Request) -> web.Response:
    return json(notification_dict(await _change(request, "mark_read")))


@docs(tags=["notifications"], summary="Mark unread", responses={**ERRORS, **NOT_YOURS})
@response_schema(Notification, 200)
async def notification_unread(request: web.Request) -> web.Response:
    return json(notification_dict(await _change(request, "mark_unread")))


@docs(
    tags=["notifications"],
    summary="Delete one",
    responses={**ERRORS, **NOT_YOURS, 204: {"description": "deleted"}},
)
async def notification_delete(request: web.Request) -> web.Response:
    await _change(request, "delete")
    return web.Response(status=204)


@docs(
    tags=["notifications"],
    summary="Read, unread or delete many (ids, a group, or all)",
    responses=ERRORS,
)
@json_schema(BulkRequest)
@response_schema(BulkResponse, 200)
@response_schema(Error, 422, description="invalid action or ids (over 1,000)")
async def notification_bulk(request: web.Request) -> web.Response:
    data, app = request[DATA], request.app
    changed = await service.change_notifications(
        app[ENGINE],
        app[BROKER],
        request[USER].id,
        data["action"],
        data.get("ids"),
        data.get("group"),
    )
    return json({"action": data["action"], "affected": len(changed)})


@docs(
    tags=["notifications"],
    summary="Send a notification (admin)",
    description=(
        "A recipient who muted `notification_type` gets none (`created` counts"
        " what was written); SYSTEM, the default, reaches everyone named."
    ),
    responses=ERRORS,
)
@json_schema(NotificationCreate)
@response_schema(NotificationCreated, 201)
@response_schema(Error, 403, description="the caller is not an admin")
@response_schema(Error, 422, description="invalid fields or unknown recipients")
async def notification_create(request: web.Request) -> web.Response:
    require_admin(request[USER])
    fields, app = dict(request[DATA]), request.app
    ids = await service.send_notifications(
        app[ENGINE], app[BROKER], fields.pop("recipients"), **fields
    )
    return json({"created": len(ids), "ids": ids}, status=201)
