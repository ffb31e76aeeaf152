"""A user's absence and delegate: the caller's own at /users/me/absence/,
anyone's for an admin at /users/{id}/absence/."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, response_schema

from ..keys import DATA, ENGINE, USER
from ..schemas.absence import Absence, AbsenceAnswer, AbsenceSet
from ..schemas.common import Error
from ..services import absence as service
from . import ERRORS, json, row

TAGS = ["absence"]
WHILE_AWAY = (
    "While the user is away (starts_at ≤ now < ends_at, decided at the moment, "
    "nothing to switch on or off): a task newly assigned to them (created, "
    "assigned, changed or made by a template) goes to their delegate, with "
    "delegated_from naming them; a delegate away too passes it on, up to five "
    "hand-ons, and a chain that comes back round, reaches an inactive user or "
    "needs more leaves it with them. Their reminders (TASK_DUE_SOON, "
    "TASK_OVERDUE, DOCUMENT_EXPIRING, DOCUMENT_EXPIRED) are copied to the "
    "delegate (meta_info.on_behalf_of); they get no TASK_QUEUED; an escalation "
    "for them goes to the delegate. Tasks they already hold stay theirs."
)
OTHERS = {
    403: {
        "schema": Error,
        "description": "someone else's, and the caller is not an admin",
    },
    404: {"schema": Error, "description": "no such user"},
}
INVALID = {
    422: {
        "schema": Error,
        "description": "ends_at not after starts_at or already past, or the "
        "delegate is the user, unknown or inactive: nothing is stored",
    }
}


def _user_id(request) -> int:
    if "id" in request.match_info:
        return int(request.match_info["id"])
    return request[USER].id


@docs(
    tags=TAGS,
    summary="The absence, current or upcoming (null when none, or ended)",
    description="/users/me/absence/: the caller's; /users/{id}/absence/: "
    "anyone's, for an admin.",
    responses={**ERRORS, **OTHERS},
)
@response_schema(AbsenceAnswer, 200)
async def absence_get(request: web.Request) -> web.Response:
    found = await service.get_absence(
        request.app[ENGINE], request[USER], _user_id(request)
    )
    return json({"absence": row(found)})


@docs(
    tags=TAGS,
    summary="Set the absence and delegate, replacing any",
    description=WHILE_AWAY,
    responses={**ERRORS, **OTHERS, **INVALID},
)
@json_schema(AbsenceSet)
@response_schema(Absence, 200)
async def absence_set(request: web.Request) -> web.Response:
    absence = await service.set_absence(
        request.app[ENGINE], request[USER], _user_id(request), request[DATA]
    )
    return json(row(absence))


@docs(
    tags=TAGS,
    summary="No absence any more (none is no error)",
    responses={**ERRORS, **OTHERS, 204: {"description": "none now"}},
)
async def absence_delete(request: web.Request) -> web.Response:
    await service.end_absence(request.app[ENGINE], request[USER], _user_id(request))
    return web.Response(status=204)
