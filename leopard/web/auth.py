"""Who is calling: the Bearer middleware, and the marks handlers carry for it."""

from aiohttp import web

from ..auth import tokens
from ..errors import Unauthorized
from ..keys import CLAIMS, ENGINE, SETTINGS, TOKENS, USER, USERS
from ..queries.users import get_users

STREAM_COOKIE = "leopard_stream"


def public(handler):
    """Mark a handler that needs no token."""
    handler.auth = "public"
    return handler


def stream_auth(handler):
    """Mark a handler that also takes the stream cookie and `?access_token=`."""
    handler.auth = "stream"
    return handler


def _credentials(request: web.Request, mode: str) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if header and scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if header:
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    if mode == "stream":
        token = request.query.get("access_token") or request.cookies.get(STREAM_COOKIE)
        if token:
            return token
    raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")


async def authenticate(request: web.Request, mode: str):
    """The active user behind the request's token, or Unauthorized."""
    app = request.app
    settings, users = app[SETTINGS], app[USERS]
    claims = tokens.decode(settings, _credentials(request, mode), app[TOKENS])
    if claims.get("scope") == tokens.STREAM_SCOPE and mode != "stream":
        raise Unauthorized("this token is valid only for the notification stream")
    user_id = tokens.user_id_of(settings, claims)
    user = users.get(user_id)
    if user is None:  # read with the other misses of the moment

        async def read(take):
            async with app[ENGINE].acquire() as conn:
                return await get_users(conn, take())

        user = await users.load(user_id, read)
    if user is None or not user.is_active:
        raise Unauthorized("the token's user does not exist or is deactivated")
    if not tokens.issued_after(claims, user.tokens_valid_after):
        raise Unauthorized("the token was issued before its user was deactivated")
    request[CLAIMS] = claims
    return user


@web.middleware
async def auth_middleware(request: web.Request, handler):
    match = request.match_info
    mode = getattr(match.handler, "auth", "bearer")
    if (
        mode != "public"
        and match.http_exception is None
        and (request.path.startswith("/api/v1/"))
    ):
        request[USER] = await authenticate(request, mode)
    return await handler(request)
