"""Teams and absences through the API, for the queue, absence and escalation
tests."""

from datetime import UTC, datetime, timedelta

from .common import unique
from .tasks import send

TEAMS = "/api/v1/teams/"
MY_ABSENCE = "/api/v1/users/me/absence/"


async def make_team(client, admin, members=(), leads=(), name=None) -> dict:
    body = {
        "name": name or unique("team"),
        "member_ids": [p.id for p in members],
        "lead_ids": [p.id for p in leads],
    }
    return await send(client, "POST", TEAMS, admin, body, expect=201)


def moment(seconds: float = 0.0) -> str:
    """seconds from now (negative: ago), as the API takes it."""
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def away(client, person, delegate, starts=-60.0, ends=3600.0, **extra) -> dict:
    """The person is away (from `starts` to `ends` seconds from now), their
    delegate standing in."""
    body = {
        "starts_at": moment(starts),
        "ends_at": moment(ends),
        "delegate_id": delegate.id,
        **extra,
    }
    return await send(client, "PUT", MY_ABSENCE, person, body)
