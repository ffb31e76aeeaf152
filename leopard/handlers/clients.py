from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import DATA, ENGINE, QUERY, USER
from ..schemas.clients import (
    Client,
    ClientCreate,
    ClientList,
    ClientListQuery,
    ClientUpdate,
)
from ..schemas.common import Error
from ..services import clients as service
from . import ANYONE, BAD_QUERY, ERRORS, json, path_id, row

TAGS = ["clients"]
ABSENT = {404: {"schema": Error, "description": "no such client"}}
INVALID = {422: {"schema": Error, "description": "invalid or unknown fields"}}


@docs(
    tags=TAGS,
    summary="Clients by last name, first name",
    description=ANYONE,
    responses={**ERRORS, **BAD_QUERY},
)
@querystring_schema(ClientListQuery)
@response_schema(ClientList, 200)
async def client_list(request: web.Request) -> web.Response:
    rows, count = await service.list_clients(request.app[ENGINE], request[QUERY])
    return json({"results": [row(r) for r in rows], "count": count})


@docs(
    tags=TAGS,
    summary="Create a client",
    description=ANYONE,
    responses={**ERRORS, **INVALID},
)
@json_schema(ClientCreate)
@response_schema(Client, 201)
async def client_create(request: web.Request) -> web.Response:
    client = await service.create_client(
        request.app[ENGINE], request[USER], request[DATA]
    )
    return json(row(client), status=201)


@docs(
    tags=TAGS,
    summary="One client",
    description=ANYONE,
    responses={**ERRORS, **ABSENT},
)
@response_schema(Client, 200)
async def client_get(request: web.Request) -> web.Response:
    client_id = path_id(request)
    return json(row(await service.get_client(request.app[ENGINE], client_id)))


@docs(
    tags=TAGS,
    summary="Change some fields of a client",
    description=ANYONE,
    responses={**ERRORS, **ABSENT, **INVALID},
)
@json_schema(ClientUpdate)
@response_schema(Client, 200)
async def client_update(request: web.Request) -> web.Response:
    client_id = path_id(request)
    client = await service.update_client(
        request.app[ENGINE], request[USER], client_id, request[DATA]
    )
    return json(row(client))


@docs(
    tags=TAGS,
    summary="Delete a client (admin)",
    description="Only admins; refused (409) while the client still has visa"
    " applications or tasks.",
    responses={
        **ERRORS,
        **ABSENT,
        204: {"description": "deleted"},
        403: {"schema": Error, "description": "the caller is not an admin"},
        409: {"schema": Error, "description": "it still has applications or tasks"},
    },
)
async def client_delete(request: web.Request) -> web.Response:
    client_id = path_id(request)
    await service.delete_client(request.app[ENGINE], request[USER], client_id)
    return web.Response(status=204)
