"""Documents nearing expiry: each threshold once, the nearest only for one first
seen late, DOCUMENT_EXPIRED on the day, a renewal re-arms; never the number."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from prometheus_client import REGISTRY

from leopard.services import emails
from leopard.services import reminders as service
from leopard.services.preferences import update_preferences

from ..support.clients import new_application, new_client
from ..support.common import Recorder
from ..support.documents import DOCUMENTS, new_document
from ..support.emails import email_settings, emailed_person, mailer
from ..support.smtp import smtp_server

EXPIRING, EXPIRED = "DOCUMENT_EXPIRING", "DOCUMENT_EXPIRED"


def today() -> date:
    return datetime.now(UTC).date()


def on(day: date) -> datetime:
    """Noon UTC of a day: the office (UTC by default) is on that date."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


@pytest.fixture
def broker():
    return Recorder()


@pytest.fixture
def sweep(engine, broker, settings):
    async def run(day: date | None = None):
        return await service.sweep(engine, broker, settings, day and on(day))

    return run


async def told(engine, person) -> list[tuple]:
    """(document_id, type, days_left) of the person's document reminders."""
    async with engine.acquire() as conn:
        result = await conn.execute(
            "SELECT meta_info, notification_type FROM notifications"
            " WHERE assigned_to = %s AND notification_type LIKE 'DOCUMENT_%%'"
            " ORDER BY id",
            (person.id,),
        )
        rows = await result.fetchall()
    return [
        (r.meta_info["document_id"], r.notification_type, r.meta_info["days_left"])
        for r in rows
    ]


async def passport(client, person, expires: date, **fields) -> dict:
    owner = await new_client(client, person, first_name="Maria", last_name="Lopez")
    return await new_document(
        client, person, owner["id"], expires_on=expires.isoformat(), **fields
    )


async def test_each_threshold_is_told_once_then_the_expiry(
    client, engine, sweep, make_user
):
    bob = await make_user()
    expires = today() + timedelta(days=200)
    doc = await passport(client, bob, expires)
    d = doc["id"]
    await sweep()
    assert await told(engine, bob) == []  # 200 days: before the first threshold
    script = [
        (180, [(d, EXPIRING, 180)]),
        (179, []),
        (91, []),
        (90, [(d, EXPIRING, 90)]),
        (29, [(d, EXPIRING, 29)]),  # the 30-day one, a day late
        (28, []),
        (7, [(d, EXPIRING, 7)]),
        (0, [(d, EXPIRED, 0)]),
        (-3, []),
    ]
    seen = []
    for days_left, new in script:
        await sweep(expires - timedelta(days=days_left))
        await sweep(expires - timedelta(days=days_left))  # the same day again
        seen += new
        assert await told(engine, bob) == seen, days_left


async def test_a_document_first_seen_late_gets_only_the_nearest_threshold(
    client, engine, sweep, make_user
):
    bob = await make_user()
    doc = await passport(client, bob, today() + timedelta(days=20))
    await sweep()
    await sweep()
    assert await told(engine, bob) == [(doc["id"], EXPIRING, 20)]


async def test_a_document_already_expired_when_first_seen_gets_only_expired(
    client, engine, sweep, make_user
):
    bob = await make_user()
    doc = await passport(client, bob, today() - timedelta(days=40))
    await sweep()
    await sweep(today() + timedelta(days=1))
    assert await told(engine, bob) == [(doc["id"], EXPIRED, -40)]


async def test_a_renewal_arms_the_reminders_again(client, engine, sweep, make_user):
    bob = await make_user()
    doc = await passport(client, bob, today() + timedelta(days=5))
    await sweep()
    assert await told(engine, bob) == [(doc["id"], EXPIRING, 5)]
    renewed = today() + timedelta(days=3650)
    resp = await client.patch(
        f"{DOCUMENTS}{doc['id']}/",
        json={"expires_on": renewed.isoformat()},
        headers=bob.headers,
    )
    assert resp.status == 200
    await sweep(renewed - timedelta(days=10))  # past the old date: nothing old
    await sweep(renewed - timedelta(days=180))
    assert await told(engine, bob) == [
        (doc["id"], EXPIRING, 5),
        (doc["id"], EXPIRING, 10),
    ]


async def test_a_document_without_an_expiry_gets_no_reminder(
    client, engine, sweep, make_user
):
    bob = await make_user()
    owner = await new_client(client, bob)
    await new_document(client, bob, owner["id"], kind="MEDICAL")
    await sweep(today() + timedelta(days=10_000))
    assert await told(engine, bob) == []


async def test_the_reminder_names_the_document_never_its_number(
    client, engine, broker, sweep, make_user
):
    alice, bob = await make_user(), await make_user()
    owner = await new_client(client, alice, first_name="Maria", last_name="Lopez")
    visa = await new_application(client, alice, owner["id"], assigned_to=bob.id)
    expires = today() + timedelta(days=30)
    doc = await new_document(
        client,
        alice,
        owner["id"],
        kind="WORK_PERMIT",
        number="WP-SECRET-991",
        visa_application_id=visa["id"],
        expires_on=expires.isoformat(),
    )
    await sweep()
    resp = await client.get(
        "/api/v1/notifications/", params={"type": EXPIRING}, headers=bob.headers
    )
    [note] = (await resp.json())["results"]
    assert note["title"] == "Work permit expires in 30 days: Maria Lopez"
    assert note["message"] == f"Maria Lopez's work permit expires on {expires}."
    assert note["group"] == f"document:{doc['id']}"
    assert note["meta_info"] == {
        "document_id": doc["id"],
        "client_id": owner["id"],
        "visa_application_id": visa["id"],
        "kind": "WORK_PERMIT",
        "expires_on": expires.isoformat(),
        "days_left": 30,
    }
    assert "WP-SECRET-991" not in str(note)
    [event] = [e for user, e in broker.published if user == bob.id]
    assert event.type == EXPIRING and "WP-SECRET-991" not in str(event.data)


async def test_a_muted_reminder_is_not_created_and_not_sent_later(
    client, engine, sweep, make_user
):
    bob = await make_user()
    await update_preferences(engine, bob.id, {"muted_types": [EXPIRING]})
    expires = today() + timedelta(days=30)
    doc = await passport(client, bob, expires)
    await sweep()
    assert await told(engine, bob) == []
    await update_preferences(engine, bob.id, {"muted_types": []})
    await sweep()
    assert await told(engine, bob) == []
    await sweep(expires)  # EXPIRED is not muted
    assert await told(engine, bob) == [(doc["id"], EXPIRED, 0)]


async def test_reminders_sent_are_counted_by_type(client, engine, sweep, make_user):
    def counted():
        sample = {"type": EXPIRED}
        return REGISTRY.get_sample_value("leopard_reminders_sent_total", sample) or 0

    async def rows():
        async with engine.acquire() as conn:
            return await conn.scalar(
                "SELECT count(*) FROM notifications WHERE notification_type = %s",
                (EXPIRED,),
            )

    bob = await make_user()
    await passport(client, bob, today() - timedelta(days=1))
    before = (counted(), await rows())
    await sweep()
    after = (counted(), await rows())
    # Every row the sweep wrote is counted (other tests' documents may be
    # swept too: the shared database is why the two are compared).
    assert after[1] > before[1]
    assert after[0] - before[0] == after[1] - before[1]


async def test_a_document_reminder_is_emailed_without_its_number(
    client, engine, sweep, make_user, settings
):
    maria = await emailed_person(make_user, engine, types=[EXPIRING])
    owner = await new_client(client, maria, first_name="Ana", last_name="Ruiz")
    expires = today() + timedelta(days=7)
    await new_document(
        client,
        maria,
        owner["id"],
        number="PA-SECRET-5521",
        expires_on=expires.isoformat(),
    )
    await sweep()
    with smtp_server() as (server, port):
        await emails.sweep(engine, mailer(port), email_settings(settings))
        [got] = server.to(maria.email)
    assert got.titles == ["Passport expires in 7 days: Ana Ruiz"]
    assert f"Ana Ruiz's passport expires on {expires}." in got.text
    assert "PA-SECRET-5521" not in got.text + got.html
