"""Teams: everyone reads them; admins create, change and delete them."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import DATA, ENGINE, QUERY, USER
from ..schemas.common import Error
from ..schemas.teams import Team, TeamCreate, TeamList, TeamListQuery, TeamUpdate
from ..services import teams as service
from . import ANYONE, BAD_QUERY, ERRORS, json, path_id, row

TAGS = ["teams"]
ADMIN = {403: {"schema": Error, "description": "the caller is not an admin"}}
ABSENT = {404: {"schema": Error, "description": "no such team"}}
INVALID = {
    422: {
        "schema": Error,
        "description": "invalid fields, or unknown or inactive users",
    }
}
TAKEN = {409: {"schema": Error, "description": "another team has that name (any case)"}}
MEMBERS = (
    "Leads are members: a lead missing from member_ids is added to it. Members "
    "claim the tasks waiting in the team's queue; leads (else the leads of the "
    "assignee's teams, else the admins) are told of escalations."
)


@docs(
    tags=TAGS,
    summary="Teams, by name",
    description=ANYONE,
    responses={**ERRORS, **BAD_QUERY},
)
@querystring_schema(TeamListQuery)
@response_schema(TeamList, 200)
async def team_list(request: web.Request) -> web.Response:
    rows, count = await service.list_teams(request.app[ENGINE], request[QUERY])
    return json({"results": [row(r) for r in rows], "count": count})


@docs(tags=TAGS, summary="One team", description=ANYONE, responses={**ERRORS, **ABSENT})
@response_schema(Team, 200)
async def team_get(request: web.Request) -> web.Response:
    return json(row(await service.get_team(request.app[ENGINE], path_id(request))))


@docs(
    tags=TAGS,
    summary="Create a team (admin)",
    description=MEMBERS,
    responses={**ERRORS, **ADMIN, **TAKEN, **INVALID},
)
@json_schema(TeamCreate)
@response_schema(Team, 201)
async def team_create(request: web.Request) -> web.Response:
    team = await service.create_team(request.app[ENGINE], request[USER], request[DATA])
    return json(row(team), status=201)


@docs(
    tags=TAGS,
    summary="Rename a team or set its leads or members (admin)",
    description=MEMBERS + " A list given replaces the one the team had; tasks "
    "already claimed stay with their assignees.",
    responses={**ERRORS, **ADMIN, **ABSENT, **TAKEN, **INVALID},
)
@json_schema(TeamUpdate)
@response_schema(Team, 200)
async def team_update(request: web.Request) -> web.Response:
    team = await service.update_team(
        request.app[ENGINE], request[USER], path_id(request), request[DATA]
    )
    return json(row(team))


@docs(
    tags=TAGS,
    summary="Delete a team (admin)",
    description="Refused (409) while tasks wait in its queue (a team, nobody "
    "assigned, not done); its other tasks keep their assignees and lose "
    "assigned_team.",
    responses={
        **ERRORS,
        **ADMIN,
        **ABSENT,
        204: {"description": "deleted"},
        409: {"schema": Error, "description": "tasks wait in its queue"},
    },
)
async def team_delete(request: web.Request) -> web.Response:
    await service.delete_team(request.app[ENGINE], request[USER], path_id(request))
    return web.Response(status=204)
