"""The calendar feed: its secret URL (made and ended by its user) and the feed
itself, which calendar programs read without a token."""

from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime

from aiohttp import web
from aiohttp_apispec import docs, response_schema

from ..keys import ENGINE, SETTINGS, USER
from ..schemas.calendar import FeedUrl
from ..schemas.common import Error
from ..services import calendar_feed as service
from ..web.auth import public
from . import ERRORS, json

TAGS = ["calendar"]
FEED = (
    "An RFC 5545 calendar (`text/calendar`): one VEVENT per task assigned to the "
    "user that is not done and has a due date (UID task-<id>@<host>, a VALARM "
    "one day before), and one all-day VEVENT per document the user is "
    "responsible for on its expiry date (UID document-<id>@<host>; the kind and "
    "the client's name, never the number)."
)


@docs(
    tags=TAGS,
    summary="A new secret calendar feed URL for the caller",
    description="Each call makes a new secret: the previous URL stops working. "
    "A new password or a deactivation ends the feed too. " + FEED,
    responses=ERRORS,
)
@response_schema(FeedUrl, 201)
async def feed_create(request: web.Request) -> web.Response:
    url = await service.new_feed(
        request.app[ENGINE], request.app[SETTINGS].inbox_url(), request[USER].id
    )
    return json({"url": url}, status=201)


@docs(
    tags=TAGS,
    summary="End the caller's calendar feed",
    responses={**ERRORS, 204: {"description": "no feed any more"}},
)
async def feed_delete(request: web.Request) -> web.Response:
    await service.end_feed(request.app[ENGINE], request[USER].id)
    return web.Response(status=204)


def _unchanged(request: web.Request, etag: str, changed_at) -> bool:
    """A conditional request whose copy is current (If-None-Match wins)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return etag in tags or "*" in tags
    since = request.headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        return changed_at.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


@public
@docs(
    tags=TAGS,
    summary="A user's calendar feed (no token: the secret in the path is the key)",
    description=FEED + " `ETag` and `Last-Modified` are set; a conditional "
    "request with nothing changed answers 304.",
    security=[],
    responses={
        200: {"description": "text/calendar; charset=utf-8"},
        304: {"description": "unchanged since the copy the caller has"},
        404: {"schema": Error, "description": "an unknown or ended secret"},
    },
)
async def feed_get(request: web.Request) -> web.Response:
    body, etag, changed_at = await service.read_feed(
        request.app[ENGINE],
        request.app[SETTINGS].inbox_url(),
        request.match_info["secret"],
    )
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(changed_at.astimezone(UTC), usegmt=True),
        "Cache-Control": "private, no-cache",
    }
    if _unchanged(request, etag, changed_at):
        return web.Response(status=304, headers=headers)
    return web.Response(
        body=body, content_type="text/calendar", charset="utf-8", headers=headers
    )
