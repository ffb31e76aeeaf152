"""The sign-in throttle: failed attempts per username and per client address
in the last 15 minutes, counted in PostgreSQL so that every process sharing
the database counts the same.

An attempt is admitted (and written as a failure) before its password is
checked, under advisory locks on its username and its address: however many
arrive at once, no more than the limit are checked. A success takes it back
and clears the username's failures; an attempt that could not be checked
(the hash slots were busy, the database went away) is taken back too.
"""

import contextlib
import math

from ..errors import TooManyAttempts
from ..queries import login_failures as q

ADDRESS_FACTOR = 5  # an address may fail five times as often as one username


def _key(username: str) -> str:
    return username.lower()


async def admit_login(engine, settings, username: str, address: str) -> int:
    """The id of the attempt now counted, or TooManyAttempts with Retry-After."""
    limit = settings.login_max_failures
    async with engine.acquire() as conn:
        wait, attempt = await q.admit_login(
            conn, _key(username), address, limit, limit * ADDRESS_FACTOR
        )
    if attempt is not None:
        return attempt
    seconds = max(1, math.ceil(wait))
    raise TooManyAttempts(
        f"too many failed sign-ins; try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )


async def withdraw_login(engine, attempt_id: int) -> None:
    """The attempt was never judged: it counts for nothing. Best effort: the
    error that stopped the check is the one the caller sees."""
    with contextlib.suppress(Exception):
        async with engine.acquire() as conn:
            await q.delete_login_failure(conn, attempt_id)


async def clear_login_failures(engine, username: str) -> None:
    """A success: the username starts again from nothing."""
    async with engine.acquire() as conn:
        await q.clear_login_failures(conn, _key(username))
