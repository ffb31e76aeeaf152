"""The office calendar over HTTP: its settings, special days, business days and
closures (admins'), with bad input refused and nothing stored."""

import random
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ..support.clients import error_of

CAL = "/api/v1/calendar/"
CLOSURES = f"{CAL}closures/"


def far_day() -> date:
    """A weekday no other test closes: closures are shared by the whole run."""
    day = date(2200, 1, 1) + timedelta(days=random.randrange(300_000))
    return day - timedelta(days=max(0, day.weekday() - 4))


@pytest.fixture
async def nsw(serve, make_app):
    return await serve(
        make_app(
            timezone=ZoneInfo("Australia/Sydney"),
            holidays="AU-NSW",
            weekend=(5, 6),
            closing_time=time(16, 30),
        )
    )


async def test_the_calendar_says_its_zone_weekend_holidays_and_closing_time(
    nsw, make_user
):
    alice = await make_user()
    resp = await nsw.get(CAL, headers=alice.headers)
    assert resp.status == 200
    assert await resp.json() == {
        "timezone": "Australia/Sydney",
        "weekend": ["Sat", "Sun"],
        "holidays": "AU-NSW",
        "closing_time": "16:30",
    }
    assert (await nsw.get(CAL)).status == 401


async def test_the_days_of_a_range_list_holidays_whatever_the_weekday(nsw, make_user):
    alice = await make_user()
    query = {"from": "2026-12-20", "to": "2027-01-02"}
    resp = await nsw.get(f"{CAL}days/", params=query, headers=alice.headers)
    assert resp.status == 200
    assert (await resp.json())["results"] == [
        {"date": "2026-12-25", "name": "Christmas Day", "kind": "holiday"},
        {"date": "2026-12-26", "name": "Boxing Day", "kind": "holiday"},
        {"date": "2026-12-28", "name": "Boxing Day (observed)", "kind": "holiday"},
        {"date": "2027-01-01", "name": "New Year's Day", "kind": "holiday"},
    ]


async def test_the_next_business_day_after_a_friday_before_a_monday_holiday(
    nsw, make_user
):
    alice = await make_user()
    query = {"from": "2027-06-11", "add": "1"}  # King's Birthday: Mon 14 June
    resp = await nsw.get(f"{CAL}business-days/", params=query, headers=alice.headers)
    assert resp.status == 200
    assert await resp.json() == {"from": "2027-06-11", "add": 1, "date": "2027-06-15"}
    query = {"from": "2027-03-25", "add": "3"}  # Easter 2027
    resp = await nsw.get(f"{CAL}business-days/", params=query, headers=alice.headers)
    assert (await resp.json())["date"] == "2027-04-01"


async def test_an_admin_closes_a_day_and_it_stops_being_a_business_day(
    client, make_user
):
    admin, staff = await make_user("admin"), await make_user()
    friday = far_day()
    friday += timedelta(days=(4 - friday.weekday()) % 7)
    monday = friday + timedelta(days=3)
    ask = {"from": friday.isoformat(), "add": "1"}
    before = await client.get(f"{CAL}business-days/", params=ask, headers=staff.headers)
    assert (await before.json())["date"] == monday.isoformat()
    body = {"date": monday.isoformat(), "name": "Office move"}
    resp = await client.post(CLOSURES, json=body, headers=admin.headers)
    assert resp.status == 201
    closure = await resp.json()
    assert closure == {"id": closure["id"], **body}
    after = await client.get(f"{CAL}business-days/", params=ask, headers=staff.headers)
    assert (await after.json())["date"] == (monday + timedelta(days=1)).isoformat()
    span = {"from": friday.isoformat(), "to": monday.isoformat()}
    days = await client.get(f"{CAL}days/", params=span, headers=staff.headers)
    assert (await days.json())["results"] == [
        {"date": monday.isoformat(), "name": "Office move", "kind": "closure"}
    ]
    listed = await client.get(CLOSURES, params=span, headers=staff.headers)
    assert (await listed.json())["results"] == [closure]
    # The same day twice: 409, and still one closure.
    again = await client.post(CLOSURES, json=body, headers=admin.headers)
    assert (await error_of(again, 409))["fields"] == {"date": ["already a closure"]}
    listed = await client.get(CLOSURES, params=span, headers=staff.headers)
    assert len((await listed.json())["results"]) == 1
    gone = await client.delete(f"{CLOSURES}{closure['id']}/", headers=admin.headers)
    assert gone.status == 204
    back = await client.get(f"{CAL}business-days/", params=ask, headers=staff.headers)
    assert (await back.json())["date"] == monday.isoformat()
    missing = await client.delete(f"{CLOSURES}{closure['id']}/", headers=admin.headers)
    assert missing.status == 404


async def test_only_admins_make_or_remove_closures(client, make_user):
    admin, staff = await make_user("admin"), await make_user()
    day = far_day().isoformat()
    refused = await client.post(
        CLOSURES, json={"date": day, "name": "Party"}, headers=staff.headers
    )
    assert (await error_of(refused, 403))["code"] == "forbidden"
    span = {"from": day, "to": day}
    listed = await client.get(CLOSURES, params=span, headers=staff.headers)
    assert (await listed.json())["results"] == []
    made = await client.post(
        CLOSURES, json={"date": day, "name": "Party"}, headers=admin.headers
    )
    closure_id = (await made.json())["id"]
    refused = await client.delete(f"{CLOSURES}{closure_id}/", headers=staff.headers)
    assert refused.status == 403
    await client.delete(f"{CLOSURES}{closure_id}/", headers=admin.headers)


@pytest.mark.parametrize(
    "path, query, status, field",
    [
        ("business-days/", {"from": "2027-01-04", "add": "0"}, 400, "add"),
        ("business-days/", {"from": "2027-01-04", "add": "367"}, 400, "add"),
        ("business-days/", {"from": "2027-13-01", "add": "1"}, 400, "from"),
        ("business-days/", {"add": "1"}, 400, "from"),
        ("days/", {"from": "2027-01-01", "to": "2028-01-02"}, 422, "to"),
        ("days/", {"from": "2027-01-02", "to": "2027-01-01"}, 422, "to"),
        ("days/", {"from": "2027-01-01"}, 400, "to"),
    ],
)
async def test_a_bad_calendar_query_is_a_clear_error(
    client, make_user, path, query, status, field
):
    alice = await make_user()
    resp = await client.get(f"{CAL}{path}", params=query, headers=alice.headers)
    error = await error_of(resp, status)
    assert field in error["fields"], error


async def test_a_range_of_366_days_is_the_most_and_is_answered(client, make_user):
    alice = await make_user()
    query = {"from": "2028-01-01", "to": "2028-12-31"}  # a leap year: 366 days
    resp = await client.get(f"{CAL}days/", params=query, headers=alice.headers)
    assert resp.status == 200


@pytest.mark.parametrize(
    "body, field",
    [
        ({"date": "2300-02-30", "name": "No such day"}, "date"),
        ({"date": "2300-03-01", "name": ""}, "name"),
        ({"date": "2300-03-01", "name": "Two\nlines"}, "name"),
        ({"date": "2300-03-01"}, "name"),
        ({"name": "When?"}, "date"),
    ],
)
async def test_a_bad_closure_is_refused_and_nothing_is_stored(
    client, make_user, body, field
):
    admin = await make_user("admin")
    resp = await client.post(CLOSURES, json=body, headers=admin.headers)
    error = await error_of(resp, 422)
    assert field in error["fields"]
    span = {"from": "2300-02-01", "to": "2300-03-31"}
    listed = await client.get(CLOSURES, params=span, headers=admin.headers)
    assert (await listed.json())["results"] == []
