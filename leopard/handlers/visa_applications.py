from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import BROKER, CALENDAR, DATA, ENGINE, QUERY, USER
from ..schemas.common import Error
from ..schemas.visa_applications import (
    VisaApplication,
    VisaApplicationCreate,
    VisaApplicationList,
    VisaApplicationListQuery,
    VisaApplicationUpdate,
)
from ..services import visa_applications as service
from . import ANYONE, BAD_QUERY, ERRORS, json, path_id, row

TAGS = ["visa applications"]
ABSENT = {404: {"schema": Error, "description": "no such visa application"}}
INVALID = {
    422: {
        "schema": Error,
        "description": "invalid or unknown fields; no such client; assignee not"
        " an active user",
    }
}
TOLD = (
    " A new assignee other than the caller gets VISA_APPLICATION_ASSIGNED (which"
    " carries old_status/new_status when the status changed too); otherwise a"
    " status change gets the assignee, unless the caller, VISA_STATUS_UPDATE."
)


@docs(
    tags=TAGS,
    summary="Visa applications, newest first",
    description=ANYONE,
    responses={**ERRORS, **BAD_QUERY},
)
@querystring_schema(VisaApplicationListQuery)
@response_schema(VisaApplicationList, 200)
async def visa_list(request: web.Request) -> web.Response:
    app = request.app
    rows, count = await service.list_visa_applications(
        app[ENGINE], request[USER], request[QUERY]
    )
    return json({"results": [row(r) for r in rows], "count": count})


@docs(
    tags=TAGS,
    summary="Create a visa application",
    description=ANYONE
    + " An assignee other than the caller gets VISA_APPLICATION_ASSIGNED.",
    responses={**ERRORS, **INVALID},
)
@json_schema(VisaApplicationCreate)
@response_schema(VisaApplication, 201)
async def visa_create(request: web.Request) -> web.Response:
    app = request.app
    application = await service.create_visa_application(
        app[ENGINE], app[BROKER], request[USER], request[DATA], app[CALENDAR]
    )
    return json(row(application), status=201)


@docs(
    tags=TAGS,
    summary="One visa application",
    description=ANYONE,
    responses={**ERRORS, **ABSENT},
)
@response_schema(VisaApplication, 200)
async def visa_get(request: web.Request) -> web.Response:
    return json(
        row(await service.get_visa_application(request.app[ENGINE], path_id(request)))
    )


@docs(
    tags=TAGS,
    summary="Change some fields of a visa application",
    description=ANYONE + " client_id may change, to an existing client." + TOLD,
    responses={**ERRORS, **ABSENT, **INVALID},
)
@json_schema(VisaApplicationUpdate)
@response_schema(VisaApplication, 200)
async def visa_update(request: web.Request) -> web.Response:
    app = request.app
    application = await service.update_visa_application(
        app[ENGINE],
        app[BROKER],
        request[USER],
        path_id(request),
        request[DATA],
        app[CALENDAR],
    )
    return json(row(application))


@docs(
    tags=TAGS,
    summary="Delete a visa application (admin)",
    description="Only admins. Tasks about it are kept, without the link.",
    responses={
        **ERRORS,
        **ABSENT,
        204: {"description": "deleted"},
        403: {"schema": Error, "description": "the caller is not an admin"},
    },
)
async def visa_delete(request: web.Request) -> web.Response:
    await service.delete_visa_application(
        request.app[ENGINE], request[USER], path_id(request)
    )
    return web.Response(status=204)
