"""Sign-in, refresh, logout and one's own password.

Browsers keep the refresh token in the HttpOnly cookie `leopard_refresh`,
sent only to /api/v1/auth/ and only by this site's own pages (SameSite=Strict);
scripts send it in the body."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, response_schema

from ..keys import CLAIMS, DATA, ENGINE, SETTINGS, USER
from ..schemas.auth import PasswordChange, RefreshRequest
from ..schemas.common import Error
from ..schemas.users import TokenRequest, TokenResponse
from ..services import sessions, signin
from ..web.address import over_tls, request_address
from ..web.auth import public
from . import ERRORS, json

REFRESH_COOKIE = "leopard_refresh"
COOKIE_PATH = "/api/v1/auth/"
THROTTLED = {
    429: {
        "schema": Error,
        "description": "`too_many_attempts`: too many failed sign-ins for this "
        "username or from this address in 15 minutes; `Retry-After` says when",
    },
    503: {
        "schema": Error,
        "description": "`busy`: too many password checks at once (`Retry-After`), "
        "or the database is unavailable",
    },
}


def _with_cookie(request: web.Request, answer: dict) -> web.Response:
    resp = json(answer)
    resp.set_cookie(
        REFRESH_COOKIE,
        answer["refresh_token"],
        max_age=answer["refresh_expires_in"],
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=_over_tls(request),
    )
    return resp


def _refresh_token(request: web.Request) -> str | None:
    return request[DATA].get("refresh_token") or request.cookies.get(REFRESH_COOKIE)


def _address(request: web.Request) -> str:
    return request_address(request, request.app[SETTINGS].trusted_proxies)


def _over_tls(request: web.Request) -> bool:
    return over_tls(request, request.app[SETTINGS].trusted_proxies)


@public
@docs(
    tags=["auth"],
    summary="Exchange username and password for access and refresh tokens",
    description="Also sets the `leopard_refresh` cookie (HttpOnly, SameSite=Strict, "
    "Path /api/v1/auth/) to the refresh token. Throttled: after "
    "LEOPARD_LOGIN_MAX_FAILURES failures for one username in 15 minutes, or five "
    "times as many from one client address, answers 429 without checking the "
    "password until the oldest failure leaves the window; a success clears the "
    "username's failures.",
    security=[],
    responses=THROTTLED,
)
@json_schema(TokenRequest)
@response_schema(TokenResponse, 200)
@response_schema(Error, 401, description="wrong username or password")
@response_schema(Error, 422, description="missing or invalid fields")
async def token(request: web.Request) -> web.Response:
    data, app = request[DATA], request.app
    answer = await signin.sign_in(
        app[ENGINE],
        app[SETTINGS],
        data["username"],
        data["password"],
        _address(request),
    )
    return _with_cookie(request, answer)


@public
@docs(
    tags=["auth"],
    summary="A new access token and the next refresh token (rotation)",
    description="Takes `refresh_token` from the body, else the `leopard_refresh` "
    "cookie (a body may then be omitted), and replaces the cookie. A refresh "
    "token works once: presenting one already used revokes its whole session "
    "(every token descended from that sign-in). Each refresh token lives "
    "LEOPARD_REFRESH_TTL seconds.",
    security=[],
)
@json_schema(RefreshRequest)
@response_schema(TokenResponse, 200)
@response_schema(
    Error,
    401,
    description="no refresh token, or one that is unknown, expired, revoked, "
    "already used (its session is now revoked), or an access token",
)
async def refresh(request: web.Request) -> web.Response:
    app = request.app
    answer = await sessions.refresh_session(
        app[ENGINE], app[SETTINGS], _refresh_token(request)
    )
    return _with_cookie(request, answer)


@public
@docs(
    tags=["auth"],
    summary="Sign out: revoke the refresh token's session",
    description="Takes `refresh_token` from the body, else the `leopard_refresh` "
    "cookie; revokes that session and expires the cookie. Answers 204 also when "
    "there is nothing to revoke, so a client can always sign out.",
    security=[],
    responses={204: {"description": "signed out"}},
)
@json_schema(RefreshRequest)
async def logout(request: web.Request) -> web.Response:
    await sessions.end_session(request.app[ENGINE], _refresh_token(request))
    resp = web.Response(status=204)
    resp.del_cookie(
        REFRESH_COOKIE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="Strict",
        secure=_over_tls(request),
    )
    return resp


@docs(
    tags=["users"],
    summary="Change one's own password",
    description="Every other session of the caller is revoked; the one the "
    "caller's token came from stays signed in. A wrong `current_password` counts "
    "as a failed sign-in for the throttle.",
    responses={**ERRORS, **THROTTLED, 204: {"description": "password changed"}},
)
@json_schema(PasswordChange)
@response_schema(Error, 403, description="`current_password` is wrong")
@response_schema(Error, 422, description="the new password breaks the rule")
async def password_change(request: web.Request) -> web.Response:
    data, app = request[DATA], request.app
    await signin.change_password(
        app[ENGINE],
        app[SETTINGS],
        request[USER],
        data["current_password"],
        data["new_password"],
        _address(request),
        session_id=request[CLAIMS].get("sid"),
    )
    return web.Response(status=204)
