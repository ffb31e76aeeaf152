"""A real outage under a running sweeper: its database refuses connections and
the ones it had are cut. Each failed sweep is one warning line; once the
database is back, the next tick sends what is due. A fresh database, so the
outage touches no other test."""

import logging
from urllib.parse import urlsplit

import psycopg2

from leopard.keys import ENGINE
from leopard.services.users import create_user
from leopard.store.db import admin_sql

from ..support.outage import fetch, outage
from ..support.reminders import eventually

LOGGER = "leopard.reminders"
INSERT_TASK = """
INSERT INTO tasks (title, due_date, assigned_to, created_by)
VALUES ('Renew the bridging visa', now() + interval '1 hour', %(bob)s, %(bob)s)
RETURNING id
"""
REMINDERS = """
SELECT (meta_info->>'task_id')::bigint, notification_type FROM notifications
WHERE notification_type IN ('TASK_DUE_SOON', 'TASK_OVERDUE')
"""


async def test_a_database_outage_is_logged_and_the_sweeper_carries_on(
    fresh_database, server_url, make_app, serve, caplog
):
    with fresh_database() as url, caplog.at_level(logging.WARNING, logger=LOGGER):
        name = urlsplit(url).path.lstrip("/")
        client = await serve(make_app(database_url=url, reminder_interval=0.05))
        bob = await create_user(
            client.app[ENGINE], username="bob", password="pw-long-enough"
        )
        # The test's own connection survives the outage, to add a task during it.
        own = psycopg2.connect(url)
        own.autocommit = True
        try:
            outage(server_url, name, own.get_backend_pid())
            [(task,)] = fetch(own, INSERT_TASK, {"bob": bob.id})

            def failures():
                found = [r for r in caplog.records if r.name == LOGGER]
                return found if len(found) >= 3 else None

            await eventually(failures, timeout=10)
            assert fetch(own, REMINDERS) == []
        finally:
            admin_sql(
                server_url, f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true'
            )
        try:
            sent = await eventually(lambda: fetch(own, REMINDERS), timeout=10)
        finally:
            own.close()
    assert sent == [(task, "TASK_DUE_SOON")]
    records = [r for r in caplog.records if r.name == LOGGER]
    for record in records:
        assert record.levelno == logging.WARNING
        assert record.exc_info is None
        message = record.getMessage()
        assert message.startswith("reminder sweep failed, will retry: ")
        assert "\n" not in message
