"""Email for what stays unread: each sweep sends every user with notifications
due for email one message listing them, and marks them `emailed_at` in the
transaction that claimed them, only once the server accepted the message."""

import asyncio
import logging
import time
from dataclasses import dataclass

from .. import metrics, office_calendar
from ..mail.compose import compose
from ..mail.transport import SendFailed
from ..queries import emails as q
from ..store.db import UNAVAILABLE, first_line

log = logging.getLogger("leopard.email")

# Notifications listed in one email; more wait for the next sweep.
PER_EMAIL = 100
# People emailed per sweep; the others' turn comes at the next one.
PER_SWEEP = 1000
# Backoff while every email fails: the interval doubled each time, up to this.
MAX_DELAY = 15 * 60


@dataclass
class Outcome:
    sent: int = 0  # emails accepted
    failed: int = 0  # emails refused or not sent


async def _email_one(engine, mailer, settings, person, now) -> bool:
    """Claim, send, mark, in one transaction; False if there was nothing left
    to claim. SendFailed rolls back: nothing marked, all kept for later."""
    async with engine.acquire() as conn:
        async with conn.begin():
            notes = await q.claim_for_email(conn, person.id, now, PER_EMAIL)
            if not notes:
                return False
            # The claim checked the address is set; this reads what it is now.
            person = await q.get_recipient(conn, person.id)
            message = compose(
                settings.email_from,
                person,
                notes,
                settings.inbox_url(),
                office_calendar.of(settings),
            )
            await mailer.send(message)
            await q.mark_emailed(conn, [note.id for note in notes])
    return True


async def sweep(engine, mailer, settings, now=None) -> Outcome:
    """One email to each user with notifications due for email.

    A refused email is a warning and leaves the next user's alone; a server
    that cannot be reached ends the sweep (the others would fail the same
    way). `now` (default: the database's clock) lets tests pick the time.
    """
    started, outcome = time.monotonic(), Outcome()
    try:
        async with engine.acquire() as conn:
            people = await q.people_to_email(conn, now, PER_SWEEP)
        for person in people:
            try:
                sent = await _email_one(engine, mailer, settings, person, now)
            except SendFailed as exc:
                outcome.failed += 1
                metrics.EMAILS_FAILED.inc()
                log.warning(
                    "email to user %s via %s not sent, will retry: %s",
                    person.id,
                    mailer.target,
                    exc,
                )
                if exc.server_down:
                    break
                continue
            if sent:
                outcome.sent += 1
                metrics.EMAILS_SENT.inc()
    finally:
        metrics.EMAIL_SWEEP.observe(time.monotonic() - started)
    return outcome


def next_delay(delay: float, interval: float, outcome: Outcome | None) -> float:
    """The wait before the next sweep: the interval, doubled after each sweep
    in which every email failed (up to MAX_DELAY, never under the interval)."""
    if outcome is None or not outcome.failed or outcome.sent:
        return interval
    return max(interval, min(delay * 2, MAX_DELAY))


async def run(engine, mailer, settings) -> None:
    """Sweep every `settings.email_interval` seconds until cancelled; a sweep
    that fails on the database is logged and retried on the next tick."""
    interval = delay = settings.email_interval
    while True:
        await asyncio.sleep(delay)
        outcome = None
        try:
            outcome = await sweep(engine, mailer, settings)
        except Exception as exc:
            if asyncio.current_task().cancelling():
                raise asyncio.CancelledError from exc
            if isinstance(exc, UNAVAILABLE):
                log.warning("email sweep failed, will retry: %s", first_line(exc))
            else:
                log.exception("email sweep failed, will retry")
        delay = next_delay(delay, interval, outcome)
