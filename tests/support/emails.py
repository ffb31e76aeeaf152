"""Helpers of the email tests: people who want email, notifications of any
age straight into the database, and what was marked emailed."""

import json
from dataclasses import replace

from leopard.config import smtp_target
from leopard.mail.transport import Mailer
from leopard.services import preferences

from .common import unique

PUBLIC = "https://leopard.office.example/"


def mailer(port: int, timeout: float = 5.0, login: str = "") -> Mailer:
    return Mailer(smtp_target(f"smtp://{login}127.0.0.1:{port}"), timeout=timeout)


def email_settings(settings):
    return replace(settings, email_from="leopard@office.example", public_url=PUBLIC)


async def emailed_person(make_user, engine, **email):
    """A user with an address and email on, after 0 minutes unless told."""
    address = f"{unique('mail')}@example.com"
    person = await make_user(email=address, full_name="Maria Keller")
    person.email = address
    chosen = {"enabled": True, "after_minutes": 0, **email}
    await preferences.update_preferences(engine, person.id, {"email": chosen})
    return person


async def add_note(
    engine, person, type_="TASK_ASSIGNED", *, minutes_ago=0, read=False, **fields
):
    """A notification's id, created minutes_ago minutes ago."""
    values = {
        "title": unique("note"),
        "message": "",
        "meta_info": {},
        "due_date": None,
        **fields,
    }
    async with engine.acquire() as conn:
        return await conn.scalar(
            "INSERT INTO notifications (assigned_to, notification_type, title,"
            " message, due_date, meta_info, read, read_at, created_at)"
            " VALUES (%(to)s, %(type)s, %(title)s, %(message)s, %(due)s, %(meta)s,"
            " %(read)s, CASE WHEN %(read)s THEN now() END,"
            " now() - make_interval(mins => %(ago)s)) RETURNING id",
            {
                "to": person.id,
                "type": type_,
                "title": values["title"],
                "message": values["message"],
                "due": values["due_date"],
                "meta": json.dumps(values["meta_info"]),
                "read": read,
                "ago": minutes_ago,
            },
        )


async def title_of(engine, note_id: int) -> str:
    async with engine.acquire() as conn:
        return await conn.scalar(
            "SELECT title FROM notifications WHERE id = %s", (note_id,)
        )


async def emailed(engine, person) -> list[int]:
    """The ids of the person's notifications marked emailed, oldest first."""
    async with engine.acquire() as conn:
        result = await conn.execute(
            "SELECT id FROM notifications WHERE assigned_to = %s"
            " AND emailed_at IS NOT NULL ORDER BY id",
            (person.id,),
        )
        return [row[0] for row in await result.fetchall()]
