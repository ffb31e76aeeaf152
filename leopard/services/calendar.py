"""The office calendar over HTTP: its settings, its holidays and closures, the
Nth business day; closures are an admin's to make and remove."""

from datetime import timedelta

from ..errors import Invalid
from ..office_calendar import NoBusinessDay
from ..queries import calendar as q
from .permissions import require_admin

MAX_RANGE_DAYS = 366


async def special_days(engine, calendar, first, last) -> list[dict]:
    """The holidays and closures from `first` to `last` (inclusive), by date."""
    if last < first:
        raise Invalid("invalid range", {"to": ["must not be before from"]})
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise Invalid("invalid range", {"to": [f"at most {MAX_RANGE_DAYS} days"]})
    async with engine.acquire() as conn:
        closures = await q.closures_between(conn, first, last)
    days = calendar.special_days(first, last, closures)
    return [{"date": day, "name": name, "kind": kind} for day, name, kind in days]


async def business_day(engine, calendar, first, add: int):
    """The `add`th business day after `first`."""
    async with engine.acquire() as conn:
        closures = await q.closures_between(conn, first + timedelta(days=1))
    try:
        return calendar.add_business_days(first, add, closures)
    except NoBusinessDay:
        raise Invalid(
            "no such business day", {"add": ["the office has no business days"]}
        ) from None


async def due_in_business_days(conn, calendar, n: int):
    """When a deadline of n business days from today falls due (closing time)."""
    today = calendar.today()
    closures = await q.closures_between(conn, today)
    try:
        return calendar.due_in_business_days(n, closures)
    except NoBusinessDay:
        raise Invalid(
            "invalid field values",
            {"due_in_business_days": ["the office has no business days"]},
        ) from None


async def list_closures(engine, first=None, last=None):
    async with engine.acquire() as conn:
        return await q.list_closures(conn, first, last)


async def create_closure(engine, actor, day, name: str):
    require_admin(actor, "add an office closure")
    async with engine.acquire() as conn:
        return await q.insert_closure(conn, day, name, actor.id)


async def delete_closure(engine, actor, closure_id: int) -> None:
    require_admin(actor, "remove an office closure")
    async with engine.acquire() as conn:
        await q.delete_closure(conn, closure_id)
