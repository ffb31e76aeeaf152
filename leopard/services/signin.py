"""Signing in and changing one's own password: both check a password, so both
go through the throttle (services.throttle) and the bounded hash slots."""

import logging

from ..auth.passwords import check_password_bounded, hash_password_bounded
from ..errors import Forbidden, Unauthorized
from ..queries import calendar as q_calendar
from ..queries import sessions as q_sessions
from ..queries import users as q_users
from . import sessions, throttle

log = logging.getLogger("leopard.signin")


async def _password_matches(engine, settings, username, password, address):
    """(the user row or None, whether password is its password), counted by
    the throttle: a mismatch stays counted as a failure."""
    attempt = await throttle.admit_login(engine, settings, username, address)
    try:
        async with engine.acquire() as conn:
            row = await q_users.get_login(conn, username)
        ok = await check_password_bounded(password, row.password_hash if row else None)
    except BaseException:
        await throttle.withdraw_login(engine, attempt)
        raise
    if ok:
        await throttle.clear_login_failures(engine, username)
    else:
        # Never the password: who, and from where, is what an operator needs.
        log.warning("sign-in failed username=%r address=%s", username, address)
    return row, ok


async def sign_in(engine, settings, username: str, password: str, address: str):
    """A new session (access and refresh tokens) for valid credentials of an
    active user; Unauthorized otherwise, TooManyAttempts when throttled."""
    row, ok = await _password_matches(engine, settings, username, password, address)
    if not ok or not row.is_active:
        raise Unauthorized("wrong username or password")
    return await sessions.open_session(engine, settings, row.id)


async def change_password(
    engine, settings, user, current: str, new: str, address: str, session_id=None
) -> None:
    """Set user's password when `current` is theirs (Forbidden otherwise, and
    counted like a failed sign-in); revoke every session but session_id."""
    _, ok = await _password_matches(engine, settings, user.username, current, address)
    if not ok:
        raise Forbidden("the current password is wrong")
    password_hash = await hash_password_bounded(new)
    async with engine.acquire() as conn:
        async with conn.begin():
            await q_users.update_user(conn, user.id, password_hash=password_hash)
            await q_sessions.revoke_user_sessions(
                conn, user.id, "password", keep=session_id
            )
            await q_calendar.delete_feed(conn, user.id)
