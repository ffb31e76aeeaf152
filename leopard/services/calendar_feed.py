"""Each user's calendar feed: one secret URL that calendar programs poll (they
cannot send a token), an RFC 5545 calendar of the user's open tasks with a
due date and the expiries of the documents they are responsible for.

Only a hash of the secret is stored; a new one ends the old, and a new
password or a deactivation ends the feed."""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from icalendar import Alarm, Calendar, Event

from ..errors import NotFound
from ..queries import calendar as q
from ..queries import calendar_feed as feed_q
from .wording import label

FEED_PATH = "api/v1/calendar/feed/"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def new_feed(engine, inbox_url: str, user_id: int) -> str:
    """A new secret feed URL for the user; the previous one stops working."""
    secret = secrets.token_urlsafe(32)
    async with engine.acquire() as conn:
        await q.set_feed(conn, user_id, secret_hash(secret))
    return f"{inbox_url}{FEED_PATH}{secret}.ics"


async def end_feed(engine, user_id: int) -> None:
    async with engine.acquire() as conn:
        await q.delete_feed(conn, user_id)


def render(feed, tasks, documents, inbox_url: str) -> bytes:
    """The calendar, the same bytes for the same rows (its stamps are the rows'
    own update times), so that its hash says whether anything changed."""
    host = urlsplit(inbox_url).hostname or "localhost"
    cal = Calendar()
    cal.add("prodid", "-//Leopard//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Leopard: {feed.full_name or feed.username}")
    for task in tasks:
        event = Event()
        event.add("uid", f"task-{task.id}@{host}")
        event.add("dtstamp", task.updated_at)
        event.add("dtstart", task.due_date)
        event.add("summary", task.title)
        event.add("url", f"{inbox_url}#task/{task.id}")
        event.add(
            "description", f"{label(task.priority)} priority, {label(task.status)}"
        )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Due tomorrow: {task.title}")
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
        cal.add_component(event)
    for document in documents:
        name = f"{document.first_name} {document.last_name}".strip()
        event = Event()
        event.add("uid", f"document-{document.id}@{host}")
        event.add("dtstamp", document.updated_at)
        event.add("dtstart", document.expires_on)
        event.add("dtend", document.expires_on + timedelta(days=1))
        event.add("summary", f"{label(document.kind)} expires: {name}")
        event.add("url", f"{inbox_url}#client/{document.client_id}")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


async def read_feed(engine, inbox_url: str, secret: str):
    """(body, etag, last_modified) of the feed with this secret; NotFound for an
    unknown or ended one."""
    async with engine.acquire() as conn:
        async with conn.begin():
            feed = await q.find_feed(conn, secret_hash(secret))
            if feed is None:
                raise NotFound("no such calendar feed")
            tasks = await feed_q.open_tasks_due(conn, feed.user_id)
            documents = await feed_q.expiring_documents(conn, feed.user_id)
            body = render(feed, tasks, documents, inbox_url)
            digest = hashlib.sha256(body).hexdigest()
            changed_at = feed.changed_at
            if digest != feed.content_hash:  # written only when it changed
                changed_at = await q.feed_changed(conn, feed.user_id, digest)
    return body, f'"{digest[:40]}"', changed_at
