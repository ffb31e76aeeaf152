"""The email sweeper in a running app: an unread assignment is emailed after
its recipient's after_minutes, and the API shows when (emailed_at)."""

import logging

from leopard.services.emails import MAX_DELAY, Outcome, next_delay

from ..support.common import unique
from ..support.reminders import eventually
from ..support.smtp import smtp_server
from ..support.tasks import TASKS, get_json, send

P = "/api/v1/users/me/preferences/"


async def test_an_unread_assignment_is_emailed_by_the_running_app(
    make_app, serve, make_user
):
    alice = await make_user()
    address = f"{unique('maria')}@example.com"
    maria = await make_user(email=address)
    with smtp_server() as (server, port):
        client = await serve(
            make_app(
                smtp_url=f"smtp://127.0.0.1:{port}",
                email_interval=0.05,
                public_url="http://leopard.example:8080",
            )
        )
        change = {"email": {"enabled": True, "after_minutes": 0}}
        await send(client, "PATCH", P, maria, change)
        resp = await client.post(
            TASKS,
            json={"title": "Lodge the 482", "assigned_to": maria.id},
            headers=alice.headers,
        )
        task = await resp.json()
        [got] = await eventually(lambda: server.to(address), timeout=10)
        assert got.message["Subject"] == "Leopard: Task assigned: Lodge the 482"
        assert f"http://leopard.example:8080/#task/{task['id']}" in got.text
        body = await get_json(client, "/api/v1/notifications/", maria)
        [note] = body["results"]
        assert note["emailed_at"] is not None
        assert note["emailed_at"] >= note["created_at"]


async def test_with_smtp_url_log_the_email_of_an_unread_assignment_is_logged(
    make_app, serve, make_user, caplog
):
    alice = await make_user()
    address = f"{unique('maria')}@example.com"
    maria = await make_user(email=address)
    with caplog.at_level(logging.INFO, logger="leopard.email"):
        client = await serve(make_app(smtp_url="log:", email_interval=0.05))
        change = {"email": {"enabled": True, "after_minutes": 0}}
        await send(client, "PATCH", P, maria, change)
        task = {"title": "Renew the bridging visa", "assigned_to": maria.id}
        await send(client, "POST", TASKS, alice, task, 201)

        def logged():
            return [m for m in caplog.messages if f"To: {address}" in m]

        [line] = await eventually(logged, timeout=10)
    assert "Subject: Leopard: Task assigned: Renew the bridging visa" in line
    assert "http://127.0.0.1:8080/#task/" in line


def test_the_delay_doubles_while_every_email_fails_and_resets_after():
    delay = 60.0
    delays = []
    for _ in range(6):
        delay = next_delay(delay, 60.0, Outcome(failed=1))
        delays.append(delay)
    assert delays == [120.0, 240.0, 480.0, MAX_DELAY, MAX_DELAY, MAX_DELAY]
    assert next_delay(delay, 60.0, Outcome(sent=1, failed=1)) == 60.0
    assert next_delay(delay, 60.0, Outcome()) == 60.0
    assert next_delay(delay, 60.0, None) == 60.0  # the database failed
    assert next_delay(5.0, 2000.0, Outcome(failed=1)) == 2000.0
