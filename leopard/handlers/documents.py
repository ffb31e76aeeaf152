"""A client's documents: everyone lists, adds, reads and changes them; only
admins delete one."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import DATA, ENGINE, QUERY, SETTINGS, USER
from ..schemas.common import Error
from ..schemas.documents import (
    Document,
    DocumentCreate,
    DocumentList,
    DocumentListQuery,
    DocumentUpdate,
)
from ..services import documents as service
from . import ANYONE, BAD_QUERY, ERRORS, json, path_id, row

TAGS = ["documents"]
ABSENT = {404: {"schema": Error, "description": "no such document"}}
INVALID = {
    422: {
        "schema": Error,
        "description": "invalid fields, unknown ids, a visa application of "
        "another client, or expires_on before issued_on",
    }
}
REMINDERS = (
    " Its responsible user is told (DOCUMENT_EXPIRING) on each of the days "
    "LEOPARD_EXPIRY_REMINDER_DAYS before expires_on, and (DOCUMENT_EXPIRED) on "
    "that day; a new expires_on arms them again. `number` is personal data: it "
    "never appears in a notification, an email or the calendar feed."
)


@docs(
    tags=TAGS,
    summary="Documents, filtered, by expiry",
    description=f"{ANYONE} `expires_before` / `expires_after` are strict; "
    "`responsible_id`: id, `me` or `none`. Documents without an expiry come "
    "last in either ordering.",
    responses={**ERRORS, **BAD_QUERY},
)
@querystring_schema(DocumentListQuery)
@response_schema(DocumentList, 200)
async def document_list(request: web.Request) -> web.Response:
    rows, count = await service.list_documents(
        request.app[ENGINE], request[USER], request[QUERY]
    )
    return json({"results": [row(r) for r in rows], "count": count})


@docs(
    tags=TAGS,
    summary="Add a client's document",
    description=f"{ANYONE} `responsible_id` defaults to the visa application's "
    "assignee, else the caller." + REMINDERS,
    responses={**ERRORS, **INVALID},
)
@json_schema(DocumentCreate)
@response_schema(Document, 201)
async def document_create(request: web.Request) -> web.Response:
    document = await service.create_document(
        request.app[ENGINE],
        request[USER],
        request[DATA],
        request.app[SETTINGS].expiry_reminder_days,
    )
    return json(row(document), status=201)


@docs(
    tags=TAGS,
    summary="One document",
    description=ANYONE,
    responses={**ERRORS, **ABSENT},
)
@response_schema(Document, 200)
async def document_get(request: web.Request) -> web.Response:
    return json(row(await service.get_document(request.app[ENGINE], path_id(request))))


@docs(
    tags=TAGS,
    summary="Change some fields of a document",
    description=ANYONE + REMINDERS,
    responses={**ERRORS, **ABSENT, **INVALID},
)
@json_schema(DocumentUpdate)
@response_schema(Document, 200)
async def document_update(request: web.Request) -> web.Response:
    document = await service.update_document(
        request.app[ENGINE],
        request[USER],
        path_id(request),
        request[DATA],
        request.app[SETTINGS].expiry_reminder_days,
    )
    return json(row(document))


@docs(
    tags=TAGS,
    summary="Delete a document (admin)",
    responses={
        **ERRORS,
        **ABSENT,
        204: {"description": "deleted"},
        403: {"schema": Error, "description": "the caller is not an admin"},
    },
)
async def document_delete(request: web.Request) -> web.Response:
    await service.delete_document(request.app[ENGINE], request[USER], path_id(request))
    return web.Response(status=204)
