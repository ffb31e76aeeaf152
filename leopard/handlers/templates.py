"""Task templates: everyone lists and reads them; admins create, change and
delete them."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import DATA, ENGINE, QUERY, USER
from ..schemas.common import Error, PageQuery
from ..schemas.templates import Template, TemplateCreate, TemplateList, TemplateUpdate
from ..services import templates as service
from . import ANYONE, BAD_QUERY, ERRORS, json, path_id, row

TAGS = ["task templates"]
ABSENT = {404: {"schema": Error, "description": "no such template"}}
ADMIN = {403: {"schema": Error, "description": "the caller is not an admin"}}
WRITE = {
    **ERRORS,
    **ADMIN,
    409: {"schema": Error, "description": "the name is taken"},
    422: {
        "schema": Error,
        "description": "invalid fields, an unknown or inactive user",
    },
}
RUNS = (
    " When a visa application is created with, or changes to, `on_status`, every "
    "active template of its type (or of every type) makes its tasks in that "
    "transaction, once per application: linked to the application and its client, "
    "`template_id` set, due in business days on the office calendar, assigned "
    "as `assign_to` says, told as any new task is. Editing or deactivating a "
    "template changes no task it made; deleting it leaves them, unlinked."
)


@docs(
    tags=TAGS,
    summary="Task templates, by name (inactive ones too)",
    description=ANYONE,
    responses={**ERRORS, **BAD_QUERY},
)
@querystring_schema(PageQuery)
@response_schema(TemplateList, 200)
async def template_list(request: web.Request) -> web.Response:
    rows, count = await service.list_templates(request.app[ENGINE], request[QUERY])
    return json({"results": [row(r) for r in rows], "count": count})


@docs(
    tags=TAGS,
    summary="Create a task template (admin)",
    description=RUNS.strip(),
    responses=WRITE,
)
@json_schema(TemplateCreate)
@response_schema(Template, 201)
async def template_create(request: web.Request) -> web.Response:
    template = await service.create_template(
        request.app[ENGINE], request[USER], request[DATA]
    )
    return json(row(template), status=201)


@docs(
    tags=TAGS,
    summary="One task template",
    description=ANYONE,
    responses={**ERRORS, **ABSENT},
)
@response_schema(Template, 200)
async def template_get(request: web.Request) -> web.Response:
    return json(row(await service.get_template(request.app[ENGINE], path_id(request))))


@docs(
    tags=TAGS,
    summary="Change a task template (admin)",
    description=RUNS.strip(),
    responses={**WRITE, **ABSENT},
)
@json_schema(TemplateUpdate)
@response_schema(Template, 200)
async def template_update(request: web.Request) -> web.Response:
    template = await service.update_template(
        request.app[ENGINE], request[USER], path_id(request), request[DATA]
    )
    return json(row(template))


@docs(
    tags=TAGS,
    summary="Delete a task template (admin); the tasks it made stay",
    responses={**ERRORS, **ADMIN, **ABSENT, 204: {"description": "deleted"}},
)
async def template_delete(request: web.Request) -> web.Response:
    await service.delete_template(request.app[ENGINE], request[USER], path_id(request))
    return web.Response(status=204)
