"""A database outage under a running email sweeper: each failed sweep is one
warning line, nothing is emailed or marked meanwhile, and once the database
is back the next tick emails what waited, once. A fresh database, so the
outage touches no other test."""

import logging
from urllib.parse import urlsplit

import psycopg2

from leopard.keys import ENGINE
from leopard.services.preferences import update_preferences
from leopard.services.users import create_user
from leopard.store.db import admin_sql

from ..support.outage import fetch, outage
from ..support.reminders import eventually
from ..support.smtp import smtp_server

LOGGER = "leopard.email"
INSERT_NOTE = """
INSERT INTO notifications (assigned_to, notification_type, title)
VALUES (%(bob)s, 'TASK_ASSIGNED', 'Lodge the 482 application') RETURNING id
"""
EMAILED = "SELECT id FROM notifications WHERE emailed_at IS NOT NULL"


async def test_a_database_outage_is_logged_and_the_email_sweeper_carries_on(
    fresh_database, server_url, make_app, serve, caplog
):
    with (
        fresh_database() as url,
        smtp_server() as (server, port),
        caplog.at_level(logging.WARNING, logger=LOGGER),
    ):
        name = urlsplit(url).path.lstrip("/")
        client = await serve(
            make_app(
                database_url=url,
                smtp_url=f"smtp://127.0.0.1:{port}",
                email_interval=0.05,
            )
        )
        engine = client.app[ENGINE]
        bob = await create_user(
            engine, username="bob", password="pw-long-enough", email="bob@example.com"
        )
        email = {"enabled": True, "after_minutes": 0}
        await update_preferences(engine, bob.id, {"email": email})
        own = psycopg2.connect(url)
        own.autocommit = True
        try:
            outage(server_url, name, own.get_backend_pid())
            [(note,)] = fetch(own, INSERT_NOTE, {"bob": bob.id})

            def failures():
                found = [r for r in caplog.records if r.name == LOGGER]
                return found if len(found) >= 3 else None

            await eventually(failures, timeout=10)
            assert fetch(own, EMAILED) == [] and server.received == []
        finally:
            admin_sql(
                server_url, f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'
            )
        try:
            marked = await eventually(lambda: fetch(own, EMAILED), timeout=10)
        finally:
            own.close()
        received = list(server.received)
    assert marked == [(note,)]
    assert [r.recipients for r in received] == [["bob@example.com"]]
    for record in [r for r in caplog.records if r.name == LOGGER]:
        assert record.levelno == logging.WARNING
        assert record.exc_info is None
        message = record.getMessage()
        assert message.startswith("email sweep failed, will retry: ")
        assert "\n" not in message
