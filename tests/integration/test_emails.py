"""Email for what stays unread, against a real SMTP server (aiosmtpd): one
email per user per sweep, what it says, and what is never emailed."""

from datetime import UTC, datetime, timedelta

from leopard.services import emails as service

from ..support.emails import (
    PUBLIC,
    add_note,
    email_settings,
    emailed,
    emailed_person,
    mailer,
    title_of,
)
from ..support.smtp import smtp_server


async def test_one_email_lists_the_users_unread_notifications_oldest_first(
    engine, make_user, settings
):
    maria = await emailed_person(make_user, engine)
    first = await add_note(
        engine,
        maria,
        "TASK_ASSIGNED",
        minutes_ago=30,
        title="Lodge the 482 application for Zoë",
        message="Assigned by Ann",
        due_date=datetime(2026, 12, 10, 7, tzinfo=UTC),
        meta_info={"task_id": 41},
    )
    second = await add_note(
        engine, maria, "VISA_STATUS_UPDATE", minutes_ago=20, meta_info={"x": 1}
    )
    with smtp_server() as (server, port):
        outcome = await service.sweep(engine, mailer(port), email_settings(settings))
        assert outcome.sent >= 1 and outcome.failed == 0
        [got] = server.to(maria.email)
        # A second sweep has nothing left for her.
        await service.sweep(engine, mailer(port), email_settings(settings))
        assert len(server.to(maria.email)) == 1
    message = got.message
    assert got.recipients == [maria.email]
    assert got.sender == "leopard@office.example"
    assert message["To"] == maria.email
    assert message["From"] == "leopard@office.example"
    assert message["Subject"] == "Leopard: 2 unread notifications"
    assert message["Message-ID"].endswith("@office.example>")
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content_charset() == "utf-8"
    assert got.titles == [
        "Lodge the 482 application for Zoë",
        await title_of(engine, second),
    ]
    assert "Hello Maria Keller," in got.text
    assert "Assigned by Ann" in got.text
    assert "Due: 2026-12-10 07:00 UTC" in got.text
    assert f"{PUBLIC}#task/41" in got.text
    assert f"Open your inbox: {PUBLIC}" in got.text
    assert f'href="{PUBLIC}#task/41"' in got.html
    assert "Zoë" in got.html
    assert await emailed(engine, maria) == [first, second]


async def test_one_notification_is_the_subject(engine, make_user, settings):
    maria = await emailed_person(make_user, engine)
    await add_note(engine, maria, "TASK_MENTIONED", title="You were\nmentioned")
    with smtp_server() as (server, port):
        await service.sweep(engine, mailer(port), email_settings(settings))
    [got] = server.to(maria.email)
    assert got.message["Subject"] == "Leopard: You were mentioned"
    assert got.titles == ["You were mentioned"]
    assert got.text.count(f"  {PUBLIC}\n") == 1  # no task: the inbox


async def test_read_unchosen_and_too_recent_notifications_are_not_emailed(
    engine, make_user, settings
):
    maria = await emailed_person(make_user, engine, after_minutes=15)
    wanted = await add_note(engine, maria, "TASK_OVERDUE", minutes_ago=16)
    await add_note(engine, maria, "TASK_OVERDUE", minutes_ago=16, read=True)
    await add_note(engine, maria, "TASK_COMMENT", minutes_ago=60)  # not chosen
    recent = await add_note(engine, maria, "TASK_ASSIGNED", minutes_ago=5)
    with smtp_server() as (server, port):
        await service.sweep(engine, mailer(port), email_settings(settings))
        assert [r.titles for r in server.to(maria.email)] == [
            [await title_of(engine, wanted)]
        ]
        assert await emailed(engine, maria) == [wanted]
        # Ten minutes on, the recent one is due too, and nothing else.
        later = datetime.now(UTC) + timedelta(minutes=11)
        await service.sweep(engine, mailer(port), email_settings(settings), now=later)
    assert await emailed(engine, maria) == [wanted, recent]
    assert len(server.to(maria.email)) == 2


async def test_nobody_is_emailed_without_email_on_an_address_or_an_account(
    engine, make_user, settings
):
    off = await emailed_person(make_user, engine, enabled=False)
    no_address = await emailed_person(make_user, engine)
    gone = await emailed_person(make_user, engine)
    async with engine.acquire() as conn:
        await conn.execute(
            "UPDATE users SET email = '' WHERE id = %s", (no_address.id,)
        )
        await conn.execute(
            "UPDATE users SET is_active = false WHERE id = %s", (gone.id,)
        )
    plain = await make_user(email="plain@example.com")  # never chose email
    for person in (off, no_address, gone, plain):
        await add_note(engine, person, "TASK_ASSIGNED", minutes_ago=60)
    with smtp_server() as (server, port):
        await service.sweep(engine, mailer(port), email_settings(settings))
    addresses = {off.email, no_address.email, gone.email, "plain@example.com"}
    assert not [r for r in server.received if addresses & set(r.recipients)]
    for person in (off, no_address, gone, plain):
        assert await emailed(engine, person) == []


async def test_each_user_gets_their_own_email(engine, make_user, settings):
    people = [await emailed_person(make_user, engine) for _ in range(3)]
    notes = {p.id: [await add_note(engine, p) for _ in range(2)] for p in people}
    with smtp_server() as (server, port):
        await service.sweep(engine, mailer(port), email_settings(settings))
    for person in people:
        [got] = server.to(person.email)
        assert got.recipients == [person.email]
        assert got.titles == [await title_of(engine, i) for i in notes[person.id]]
        assert await emailed(engine, person) == notes[person.id]
