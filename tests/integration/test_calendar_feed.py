"""The calendar feed: a secret URL per user, read back by a second parser
(vobject) as well as icalendar; unchanged answers 304; the URL ends with a new
one, a password change or a deactivation, and never reaches the log."""

import asyncio
import io
import logging
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
import vobject

from leopard.web.logs import make_handler

from ..support.clients import new_client
from ..support.documents import new_document
from ..support.tasks import TASKS, make_task, send

PUBLIC = "https://leopard.office.example:8443/"
FEED = "/api/v1/users/me/calendar-feed/"


@pytest.fixture
async def office(serve, make_app):
    return await serve(make_app(public_url=PUBLIC))


async def new_feed(office, person) -> str:
    """The feed's path on the test server (its URL names the public address)."""
    made = await send(office, "POST", FEED, person, expect=201)
    url = made["url"]
    assert url.startswith(f"{PUBLIC}api/v1/calendar/feed/") and url.endswith(".ics")
    return urlsplit(url).path


def events_of(body: bytes) -> dict:
    """{UID: vevent} as vobject, an independent parser, reads the calendar."""
    calendar = vobject.readOne(body.decode())
    events = calendar.contents.get("vevent", [])
    return {event.uid.value: event for event in events}


async def test_the_feed_has_open_tasks_with_alarms_and_document_expiries(
    office, make_user
):
    alice = await make_user(full_name="Maria Keller")
    bob = await make_user()
    due = datetime(2031, 3, 4, 6, 0, tzinfo=UTC)
    task = await make_task(
        office,
        bob,
        title="Lodge the 482",
        assigned_to=alice.id,
        due_date=due.isoformat(),
    )
    done = await make_task(
        office,
        alice,
        assigned_to=alice.id,
        due_date=due.isoformat(),
        status="COMPLETED",
    )
    undated = await make_task(office, alice, assigned_to=alice.id)
    theirs = await make_task(office, bob, assigned_to=bob.id, due_date=due.isoformat())
    owner = await new_client(office, alice, first_name="Ana", last_name="Ruiz")
    doc = await new_document(
        office,
        alice,
        owner["id"],
        kind="WORK_PERMIT",
        number="WP-SECRET-4471",
        expires_on="2031-06-30",
    )
    await new_document(office, bob, owner["id"], expires_on="2031-07-01")  # bob's
    path = await new_feed(office, alice)

    resp = await office.get(path)  # no token
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = await resp.read()
    assert b"WP-SECRET-4471" not in body
    events = events_of(body)
    host = "leopard.office.example"
    assert set(events) == {f"task-{task['id']}@{host}", f"document-{doc['id']}@{host}"}
    assert f"task-{done['id']}@{host}" not in events
    assert f"task-{undated['id']}@{host}" not in events
    assert f"task-{theirs['id']}@{host}" not in events
    event = events[f"task-{task['id']}@{host}"]
    assert event.summary.value == "Lodge the 482"
    assert event.dtstart.value == due
    assert event.url.value == f"{PUBLIC}#task/{task['id']}"
    [alarm] = event.valarm_list
    assert alarm.trigger.value == timedelta(days=-1)
    assert alarm.action.value == "DISPLAY"
    expiry = events[f"document-{doc['id']}@{host}"]
    assert expiry.dtstart.value == date(2031, 6, 30)  # all day
    assert expiry.dtend.value == date(2031, 7, 1)
    assert expiry.summary.value == "Work permit expires: Ana Ruiz"
    # icalendar reads it the same, with the calendar's name.
    parsed = icalendar.Calendar.from_ical(body)
    assert str(parsed["X-WR-CALNAME"]) == "Leopard: Maria Keller"
    assert len(parsed.walk("VEVENT")) == 2


async def test_an_unchanged_feed_answers_304_and_a_change_a_new_copy(office, make_user):
    alice = await make_user()
    due = "2031-01-10T09:00:00+00:00"
    task = await make_task(office, alice, assigned_to=alice.id, due_date=due)
    path = await new_feed(office, alice)
    first = await office.get(path)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = await office.get(path, headers={"If-None-Match": etag})
    assert again.status == 304 and again.headers["ETag"] == etag
    since = await office.get(path, headers={"If-Modified-Since": modified})
    assert since.status == 304
    await asyncio.sleep(1.1)  # Last-Modified counts whole seconds
    await send(office, "PATCH", f"{TASKS}{task['id']}/", alice, {"status": "COMPLETED"})
    changed = await office.get(path, headers={"If-None-Match": etag})
    assert changed.status == 200
    assert changed.headers["ETag"] != etag
    assert events_of(await changed.read()) == {}
    later = await office.get(path, headers={"If-Modified-Since": modified})
    assert later.status == 200
    assert changed.headers["Last-Modified"] != modified


async def test_a_new_url_ends_the_old_one_and_delete_ends_the_feed(office, make_user):
    alice = await make_user()
    old = await new_feed(office, alice)
    new = await new_feed(office, alice)
    assert old != new
    assert (await office.get(old)).status == 404
    assert (await office.get(new)).status == 200
    await send(office, "DELETE", FEED, alice, expect=204)
    assert (await office.get(new)).status == 404


async def test_a_password_change_ends_the_feed(office, make_user):
    alice = await make_user()
    path = await new_feed(office, alice)
    await send(
        office,
        "POST",
        "/api/v1/users/me/password/",
        alice,
        {"current_password": alice.password, "new_password": "a-new-long-password"},
        expect=204,
    )
    assert (await office.get(path)).status == 404


async def test_a_deactivation_ends_the_feed_and_a_reactivation_does_not_bring_it_back(
    office, make_user
):
    admin, alice = await make_user("admin"), await make_user()
    path = await new_feed(office, alice)
    user = f"/api/v1/users/{alice.id}/"
    await send(office, "PATCH", user, admin, {"is_active": False})
    assert (await office.get(path)).status == 404
    await send(office, "PATCH", user, admin, {"is_active": True})
    assert (await office.get(path)).status == 404


async def test_an_unknown_or_malformed_secret_is_404(office):
    for secret in ("x" * 43, "short", "has.dots.in.it.and.more.than.twenty"):
        resp = await office.get(f"/api/v1/calendar/feed/{secret}.ics")
        assert resp.status == 404, secret


async def test_the_feed_secret_never_reaches_the_log(office, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    out = io.StringIO()
    handler = make_handler("text", out)
    logging.getLogger().addHandler(handler)
    try:
        alice = await make_user()
        path = await new_feed(office, alice)
        secret = path.rsplit("/", 1)[1].removesuffix(".ics")
        assert (await office.get(path)).status == 200
        await asyncio.sleep(0.05)  # aiohttp logs once the response is written
    finally:
        logging.getLogger().removeHandler(handler)
    text = out.getvalue()
    assert "route=calendar-feed 200" in text
    assert "/api/v1/calendar/feed/[redacted].ics" in text
    assert secret not in text
    assert secret not in caplog.text
