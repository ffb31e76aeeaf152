"""The office calendar: everyone reads it; admins add and remove closures."""

from aiohttp import web
from aiohttp_apispec import docs, json_schema, querystring_schema, response_schema

from ..keys import CALENDAR, DATA, ENGINE, QUERY, USER
from ..schemas.calendar import (
    BusinessDay,
    BusinessDayQuery,
    Calendar,
    Closure,
    ClosureCreate,
    ClosureList,
    ClosureListQuery,
    DayList,
    DaysQuery,
)
from ..schemas.common import Error
from ..services import calendar as service
from . import ANYONE, BAD_QUERY, ERRORS, json, path_id, row

TAGS = ["calendar"]
BUSINESS_DAYS = (
    "Business days are the days not in LEOPARD_WEEKEND, not a public holiday of "
    "LEOPARD_HOLIDAYS and not an office closure; dates are days in "
    "LEOPARD_TIMEZONE."
)
ADMIN = {403: {"schema": Error, "description": "the caller is not an admin"}}
RANGE = {422: {"schema": Error, "description": "to before from, or over 366 days"}}


@docs(
    tags=TAGS,
    summary="The office's zone, weekend, holidays and closing time",
    description=ANYONE,
    responses=ERRORS,
)
@response_schema(Calendar, 200)
async def calendar_get(request: web.Request) -> web.Response:
    return json(request.app[CALENDAR].describe())


@docs(
    tags=TAGS,
    summary="Public holidays and office closures in a range, by date",
    description=f"{ANYONE} At most 366 days, both ends included. A holiday is "
    "listed whatever day of the week it falls on; plain weekend days are not. "
    + BUSINESS_DAYS,
    responses={**ERRORS, **BAD_QUERY, **RANGE},
)
@querystring_schema(DaysQuery)
@response_schema(DayList, 200)
async def calendar_days(request: web.Request) -> web.Response:
    query = request[QUERY]
    days = await service.special_days(
        request.app[ENGINE], request.app[CALENDAR], query["first"], query["last"]
    )
    return json({"results": days})


@docs(
    tags=TAGS,
    summary="The Nth business day after a date",
    description=f"{ANYONE} `from` itself never counts. " + BUSINESS_DAYS,
    responses={**ERRORS, **BAD_QUERY},
)
@querystring_schema(BusinessDayQuery)
@response_schema(BusinessDay, 200)
async def calendar_business_day(request: web.Request) -> web.Response:
    first, add = request[QUERY]["first"], request[QUERY]["add"]
    day = await service.business_day(
        request.app[ENGINE], request.app[CALENDAR], first, add
    )
    return json({"from": first, "add": add, "date": day})


@docs(
    tags=TAGS,
    summary="Office closures, by date",
    description=f"{ANYONE} `from` / `to` narrow the list (inclusive).",
    responses={**ERRORS, **BAD_QUERY},
)
@querystring_schema(ClosureListQuery)
@response_schema(ClosureList, 200)
async def closure_list(request: web.Request) -> web.Response:
    query = request[QUERY]
    rows = await service.list_closures(
        request.app[ENGINE], query.get("first"), query.get("last")
    )
    return json({"results": [row(r) for r in rows]})


@docs(
    tags=TAGS,
    summary="Close the office on a day (admin)",
    description="Only admins. Counts from now on: deadlines computed before "
    "keep their date.",
    responses={
        **ERRORS,
        **ADMIN,
        409: {"schema": Error, "description": "that date is already a closure"},
        422: {"schema": Error, "description": "invalid fields"},
    },
)
@json_schema(ClosureCreate)
@response_schema(Closure, 201)
async def closure_create(request: web.Request) -> web.Response:
    data = request[DATA]
    closure = await service.create_closure(
        request.app[ENGINE], request[USER], data["date"], data["name"]
    )
    return json(row(closure), status=201)


@docs(
    tags=TAGS,
    summary="Remove an office closure (admin)",
    responses={
        **ERRORS,
        **ADMIN,
        204: {"description": "removed"},
        404: {"schema": Error, "description": "no such closure"},
    },
)
async def closure_delete(request: web.Request) -> web.Response:
    await service.delete_closure(request.app[ENGINE], request[USER], path_id(request))
    return web.Response(status=204)
