from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import BROKER, DATA, ENGINE, QUERY, USER
from ..schemas.common import Error
from ..schemas.users import User, UserCreate, UserList, UserListQuery, UserUpdate
from ..services import users as service
from ..services.permissions import require_admin
from . import ERRORS, json, row

# Named once: a schema instance per request cost half a millisecond.
PUBLIC = tuple(User().fields)


@docs(tags=["users"], summary="The caller", responses=ERRORS)
@response_schema(User, 200)
async def me(request: web.Request) -> web.Response:
    user = request[USER]  # read for authentication: more than the public fields
    return json({name: user[name] for name in PUBLIC})


@docs(tags=["users"], summary="Active users", responses=ERRORS)
@querystring_schema(UserListQuery)
@response_schema(UserList, 200)
async def user_list(request: web.Request) -> web.Response:
    rows, count = await service.list_active_users(request.app[ENGINE], request[QUERY])
    return json({"results": [row(r) for r in rows], "count": count})


@docs(tags=["users"], summary="Create a user (admin)", responses=ERRORS)
@json_schema(UserCreate)
@response_schema(User, 201)
@response_schema(Error, 403, description="the caller is not an admin")
@response_schema(Error, 409, description="the username is taken")
@response_schema(Error, 422, description="invalid fields")
async def user_create(request: web.Request) -> web.Response:
    require_admin(request[USER])
    user = await service.create_user(request.app[ENGINE], **request[DATA])
    return json(row(user), status=201)


@docs(tags=["users"], summary="Change a user (admin)", responses=ERRORS)
@json_schema(UserUpdate)
@response_schema(User, 200)
@response_schema(Error, 403, description="the caller is not an admin")
@response_schema(Error, 404, description="no such user")
@response_schema(
    Error,
    409,
    description="`last_admin`: the change would leave no active admin "
    "(the last one cannot be demoted or deactivated)",
)
@response_schema(Error, 422, description="invalid fields")
async def user_update(request: web.Request) -> web.Response:
    require_admin(request[USER])
    user_id = int(request.match_info["id"])
    app = request.app
    user = await service.update_user(app[ENGINE], app[BROKER], user_id, **request[DATA])
    return json(row(user))
