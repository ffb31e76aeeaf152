"""A task due "in N business days": due at the office's closing time on the
Nth business day after today in the office's zone, and dates in messages
written as the office reads them."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ..support.clients import error_of
from ..support.tasks import TASKS, inbox, make_task, send

SYDNEY = ZoneInfo("Australia/Sydney")


def expected_due(n: int, zone, closing: time, weekend=(5, 6)) -> datetime:
    """Counted here by hand, apart from the calendar module: weekdays only (no
    holidays are set, and the closures other tests make are centuries away)."""
    day = datetime.now(zone).date()
    while n:
        day += timedelta(days=1)
        if day.weekday() not in weekend:
            n -= 1
    return datetime.combine(day, closing, tzinfo=zone).astimezone(UTC)


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_a_task_due_in_business_days_falls_due_at_closing_time(client, make_user):
    alice = await make_user()
    task = await make_task(client, alice, due_in_business_days=3)
    assert moment(task["due_date"]) == expected_due(3, UTC, time(17, 0))
    assert "due_in_business_days" not in task
    stored = await send(client, "GET", f"{TASKS}{task['id']}/", alice)
    assert stored["due_date"] == task["due_date"]


async def test_the_office_zone_and_closing_time_decide_the_moment(
    serve, make_app, make_user
):
    office = await serve(make_app(timezone=SYDNEY, closing_time=time(16, 30)))
    alice = await make_user()
    task = await make_task(office, alice, due_in_business_days=1)
    assert moment(task["due_date"]) == expected_due(1, SYDNEY, time(16, 30))
    changed = await send(
        office, "PATCH", f"{TASKS}{task['id']}/", alice, {"due_in_business_days": 10}
    )
    assert moment(changed["due_date"]) == expected_due(10, SYDNEY, time(16, 30))


async def test_a_due_date_change_is_worded_in_the_offices_zone(
    serve, make_app, make_user
):
    office = await serve(make_app(timezone=SYDNEY))
    alice, bob = await make_user(), await make_user()
    task = await make_task(office, alice, assigned_to=bob.id)
    await send(
        office,
        "PATCH",
        f"{TASKS}{task['id']}/",
        alice,
        {"due_date": "2027-01-15T02:00:00+00:00"},
    )
    notes = await inbox(office, bob, type="TASK_UPDATED")
    # 02:00 UTC is 13:00 in Sydney (AEDT, +11) the same day.
    assert "(none → 2027-01-15 13:00 AEDT)" in notes[0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"due_in_business_days": 0},
        {"due_in_business_days": 367},
        {"due_in_business_days": "3"},
        {"due_in_business_days": 2, "due_date": "2030-01-01T00:00:00Z"},
    ],
)
async def test_a_bad_business_day_count_is_refused_and_nothing_changes(
    client, make_user, body
):
    alice = await make_user()
    before = await make_task(client, alice)
    path = f"{TASKS}{before['id']}/"
    error = await error_of(
        await client.patch(path, json=body, headers=alice.headers), 422
    )
    assert "due_in_business_days" in error["fields"]
    assert await send(client, "GET", path, alice) == before
    created = await client.post(
        TASKS, json={"title": "Refused", **body}, headers=alice.headers
    )
    await error_of(created, 422)


async def test_a_closure_made_afterwards_keeps_the_date_computed_before(
    client, make_user
):
    admin = await make_user("admin")
    task = await make_task(client, admin, due_in_business_days=1)
    due_day = moment(task["due_date"]).date()
    made = await send(
        client,
        "POST",
        "/api/v1/calendar/closures/",
        admin,
        {"date": due_day.isoformat(), "name": "Unplanned"},
        expect=201,
    )
    try:
        after = await send(client, "GET", f"{TASKS}{task['id']}/", admin)
        assert after["due_date"] == task["due_date"]
        # A new count skips the closed day.
        later = await make_task(client, admin, due_in_business_days=1)
        assert moment(later["due_date"]).date() > due_day
    finally:
        await send(
            client,
            "DELETE",
            f"/api/v1/calendar/closures/{made['id']}/",
            admin,
            expect=204,
        )
