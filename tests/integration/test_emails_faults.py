"""When the SMTP server is down, refuses or says nothing: nothing is marked,
a warning is logged (never the password), the next sweep tries again, and
every notification is emailed exactly once in the end."""

import asyncio
import logging

from leopard.config import SmtpTarget
from leopard.mail.transport import Mailer
from leopard.services import emails as service

from ..support.emails import (
    add_note,
    email_settings,
    emailed,
    emailed_person,
    mailer,
    title_of,
)
from ..support.metrics import scrape, value
from ..support.smtp import Login, free_port, smtp_server

LOGGER = "leopard.email"


def warnings_of(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == LOGGER and r.levelno == logging.WARNING
    ]


async def test_a_server_down_for_a_few_sweeps_then_up_gets_each_email_once(
    engine, make_user, settings, caplog
):
    people = [await emailed_person(make_user, engine) for _ in range(2)]
    notes = {p.id: [await add_note(engine, p) for _ in range(3)] for p in people}
    port = free_port()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        for _ in range(3):
            down = mailer(port)
            outcome = await service.sweep(engine, down, email_settings(settings))
            assert outcome.sent == 0 and outcome.failed == 1  # stops at the first
            for person in people:
                assert await emailed(engine, person) == []
    assert len(warnings_of(caplog)) == 3
    assert all("will retry" in w for w in warnings_of(caplog))
    # More arrive while it is down; the server comes back on the same port.
    for person in people:
        notes[person.id].append(await add_note(engine, person))
    with smtp_server(port) as (server, _):
        await service.sweep(engine, mailer(port), email_settings(settings))
        await service.sweep(engine, mailer(port), email_settings(settings))
    for person in people:
        [got] = server.to(person.email)
        assert got.titles == [await title_of(engine, i) for i in notes[person.id]]
        assert await emailed(engine, person) == notes[person.id]


async def test_a_refused_recipient_is_a_warning_nothing_is_marked_and_it_is_retried(
    engine, make_user, settings, caplog
):
    refused = await emailed_person(make_user, engine)
    fine = await emailed_person(make_user, engine)
    theirs = await add_note(engine, refused)
    mine = await add_note(engine, fine)
    with smtp_server() as (server, port), caplog.at_level(logging.WARNING, LOGGER):
        server.refused.add(refused.email)
        await service.sweep(engine, mailer(port), email_settings(settings))
        # The refusal is this email's: the next user's still went out.
        assert await emailed(engine, refused) == []
        assert await emailed(engine, fine) == [mine]
        [warning] = [w for w in warnings_of(caplog) if f"user {refused.id} " in w]
        assert "550" in warning and "will retry" in warning
        await service.sweep(engine, mailer(port), email_settings(settings))
        assert await emailed(engine, refused) == []
        server.refused.clear()
        await service.sweep(engine, mailer(port), email_settings(settings))
    [got] = server.to(refused.email)
    assert got.titles == [await title_of(engine, theirs)]
    assert await emailed(engine, refused) == [theirs]
    assert len(server.to(fine.email)) == 1


async def test_a_server_that_never_answers_times_out_and_marks_nothing(
    engine, make_user, settings, caplog
):
    maria = await emailed_person(make_user, engine)
    await add_note(engine, maria)

    async def silent(reader, writer):
        await reader.read()  # accepts, says nothing, until the client gives up
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with caplog.at_level(logging.WARNING, LOGGER):
            outcome = await service.sweep(
                engine, mailer(port, timeout=0.3), email_settings(settings)
            )
    finally:
        server.close()
    assert outcome.failed == 1 and outcome.sent == 0
    assert await emailed(engine, maria) == []
    assert warnings_of(caplog)


async def test_the_login_is_sent_and_its_password_never_logged(
    engine, make_user, settings, caplog
):
    maria = await emailed_person(make_user, engine)
    note = await add_note(engine, maria)
    secret = "s3cret-Pa55word"
    with (
        smtp_server(login=Login("leopard", secret)) as (server, port),
        caplog.at_level(logging.DEBUG),
    ):
        wrong = mailer(port, login="leopard:not-the-password@")
        await service.sweep(engine, wrong, email_settings(settings))
        assert await emailed(engine, maria) == []
        right = mailer(port, login=f"leopard:{secret}@")
        await service.sweep(engine, right, email_settings(settings))
    assert await emailed(engine, maria) == [note]
    assert len(server.to(maria.email)) == 1
    assert warnings_of(caplog)  # the refused login was told
    # Every line but the test server's own (aiosmtpd logs as mail.log).
    for record in caplog.records:
        if record.name.startswith("mail."):
            continue
        assert secret not in record.getMessage()
        assert "not-the-password" not in record.getMessage()


async def test_the_log_backend_writes_the_email_and_marks_it(
    engine, make_user, settings, caplog
):
    maria = await emailed_person(make_user, engine)
    note = await add_note(
        engine, maria, title="Call the client", meta_info={"task_id": 7}
    )
    with caplog.at_level(logging.INFO, LOGGER):
        outcome = await service.sweep(
            engine, Mailer(SmtpTarget("log")), email_settings(settings)
        )
    assert outcome.sent >= 1
    [line] = [r.getMessage() for r in caplog.records if maria.email in r.getMessage()]
    assert f"To: {maria.email}" in line
    assert "Subject: Leopard: Call the client" in line
    assert "https://leopard.office.example/#task/7" in line
    assert await emailed(engine, maria) == [note]


async def test_sent_and_failed_emails_and_sweeps_are_counted(
    client, engine, make_user, settings
):
    before = await scrape(client)
    maria = await emailed_person(make_user, engine)
    await add_note(engine, maria)
    await service.sweep(engine, mailer(free_port()), email_settings(settings))
    with smtp_server() as (server, port):
        await service.sweep(engine, mailer(port), email_settings(settings))
    after = await scrape(client)
    sweeps = "leopard_email_sweep_duration_seconds_count"
    assert value(after, sweeps) == value(before, sweeps) + 2
    sent = "leopard_emails_sent_total"
    failed = "leopard_emails_failed_total"
    assert value(after, failed) == value(before, failed) + 1
    assert value(after, sent) >= value(before, sent) + 1
    assert server.to(maria.email)
