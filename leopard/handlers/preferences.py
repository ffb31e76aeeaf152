from aiohttp import web
from aiohttp_apispec import docs, json_schema, response_schema

from ..keys import DATA, ENGINE, USER
from ..schemas.common import Error
from ..schemas.preferences import Preferences, PreferencesUpdate
from ..services import preferences as service
from . import ERRORS, json

ABOUT = (
    "Muted types are never created for the caller (no row, no stream event, no"
    " email); SYSTEM cannot be muted. With email enabled and an email address,"
    " notifications of `email.types` still unread `email.after_minutes` after"
    " they were created are emailed, once each."
)


@docs(
    tags=["users"],
    summary="The caller's notification preferences",
    description=ABOUT,
    responses=ERRORS,
)
@response_schema(Preferences, 200)
async def preferences_get(request: web.Request) -> web.Response:
    return json(await service.get_preferences(request.app[ENGINE], request[USER].id))


@docs(
    tags=["users"],
    summary="Change the caller's notification preferences",
    description=ABOUT + " Fields left out keep their value.",
    responses=ERRORS,
)
@json_schema(PreferencesUpdate)
@response_schema(Preferences, 200)
@response_schema(Error, 422, description="an unknown type, SYSTEM muted, or minutes")
async def preferences_update(request: web.Request) -> web.Response:
    user_id = request[USER].id
    return json(
        await service.update_preferences(request.app[ENGINE], user_id, request[DATA])
    )
