"""Users: creation, changes, and the first admin (sign-in: services.signin)."""

import logging
import secrets
from datetime import UTC, datetime

import psycopg2

from ..auth.passwords import hash_password_bounded
from ..errors import Conflict, LastAdmin, NotFound
from ..queries import absences as q_absences
from ..queries import calendar as q_calendar
from ..queries import sessions as q_sessions
from ..queries import users as q
from ..store.sql import Row

log = logging.getLogger("leopard.users")


async def list_active_users(engine, query: dict):
    """(a page of the active users, how many there are) for the list's query,
    each with their absence (current or upcoming, else None)."""
    async with engine.acquire() as conn:
        rows, count = await q.list_users(conn, active_only=True, **query)
        away = await q_absences.absences_of(conn, [row.id for row in rows])
    return [Row({**row, "absence": away.get(row.id)}) for row in rows], count


async def create_user(engine, *, password: str, **fields):
    """Insert a user with a hashed password; Conflict when the username is taken."""
    password_hash = await hash_password_bounded(password)
    try:
        async with engine.acquire() as conn:
            return await q.insert_user(conn, password_hash=password_hash, **fields)
    except psycopg2.IntegrityError:
        raise Conflict(
            f"a user named {fields['username']!r} already exists",
            {"username": ["This username is taken."]},
        ) from None


async def update_user(engine, broker, user_id: int, **changes):
    """Change a user; deactivating one also ends their open streams. A new
    password or a deactivation revokes all of their refresh sessions, and a
    deactivation every token issued before it, for good: reactivating the
    user does not make them valid again."""
    if "password" in changes:
        changes["password_hash"] = await hash_password_bounded(changes.pop("password"))
    if changes.get("is_active") is False:
        # Tokens are compared with this on the clock that issues them, this
        # process's, not the database's.
        changes["tokens_valid_after"] = datetime.now(UTC)
    async with engine.acquire() as conn:
        async with conn.begin():
            ending = _ending_admin(changes)
            if ending:
                await _keep_an_admin(conn, user_id, ending)
            row = (
                await q.update_user(conn, user_id, **changes)
                if changes
                else await q.get_user(conn, user_id)
            )
            await _revoke_sessions_on(conn, row, changes)
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    if changes:
        ended = "deactivated" if changes.get("is_active") is False else None
        await broker.user_changed(user_id, ended)
    return row


def _ending_admin(changes: dict) -> list[str]:
    """The fields of changes that would end someone's being an active admin."""
    ending = ["role"] if changes.get("role", "admin") != "admin" else []
    return ending + (["is_active"] if changes.get("is_active") is False else [])


async def _keep_an_admin(conn, user_id: int, fields: list[str]) -> None:
    """LastAdmin when user_id is the only active admin. The active admins'
    rows stay locked until the change commits, so two admins demoting each
    other at once take turns, and the second sees the first's change."""
    if await q.lock_active_admins(conn) == [user_id]:
        refused = "The last active admin cannot be demoted or deactivated."
        raise LastAdmin(
            "this is the last active admin: make another user an admin first",
            {name: [refused] for name in fields},
        )


async def _revoke_sessions_on(conn, row, changes: dict) -> None:
    """Sessions and the calendar feed end with a new password or a
    deactivation: a stolen refresh token or feed URL must outlive neither."""
    if row is None:
        return
    if "password_hash" in changes:
        await q_sessions.revoke_user_sessions(conn, row.id, "password")
    elif changes.get("is_active") is False:
        await q_sessions.revoke_user_sessions(conn, row.id, "deactivated")
    if "password_hash" in changes or changes.get("is_active") is False:
        await q_calendar.delete_feed(conn, row.id)


async def ensure_admin(engine, settings) -> str | None:
    """Create `admin` when the database has no active admin (a fresh one, or
    one where only staff were created by `createuser`); return the generated
    password, if one was generated."""
    async with engine.acquire() as conn:
        if await q.count_active_admins(conn):
            return None
    generated = None if settings.admin_password else secrets.token_urlsafe(12)
    try:
        await create_user(
            engine,
            username="admin",
            password=settings.admin_password or generated,
            full_name="Administrator",
            role="admin",
        )
    except Conflict:
        # Another process created it first, or a user named `admin` exists
        # that is not an active admin: that one is the operator's to mend.
        async with engine.acquire() as conn:
            if not await q.count_active_admins(conn):
                log.warning(
                    "no active admin, and the username 'admin' is taken: "
                    "create one with `leopard createuser NAME --admin`"
                )
        return None
    return generated
