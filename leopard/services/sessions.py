"""Refresh sessions (RFC 9700 §4.14): one per sign-in, in PostgreSQL.

A refresh token is 32 random bytes, and only its SHA-256 is stored. Each
refresh uses it up and hands out the next one of the same session (rotation);
a token presented a second time means two parties hold it, one of them a
thief, so the whole session is revoked and both must sign in again. Logout
revokes one session; deactivation or a new password revokes all of a user's.
"""

import hashlib
import logging
import secrets

from ..auth import tokens
from ..errors import Unauthorized
from ..queries import sessions as q

log = logging.getLogger("leopard.sessions")


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _answer(settings, user_id: int, session_id: int, refresh_token: str) -> dict:
    return {
        "access_token": tokens.issue(settings, user_id, session_id=session_id),
        "token_type": "Bearer",
        "expires_in": settings.jwt_ttl,
        "refresh_token": refresh_token,
        "refresh_expires_in": settings.refresh_ttl,
    }


async def open_session(engine, settings, user_id: int) -> dict:
    """A new session for user_id: the sign-in answer."""
    token, digest = _new_token()
    async with engine.acquire() as conn:
        async with conn.begin():
            # Each sign-in also clears the user's ended sessions away.
            await q.delete_dead_sessions(conn, user_id)
            session_id = await q.insert_session(conn, user_id)
            await q.insert_refresh_token(conn, session_id, digest, settings.refresh_ttl)
    return _answer(settings, user_id, session_id, token)


def _refusal(found) -> str | None:
    if found is None:
        return "unknown refresh token"
    if found.revoked_at is not None:
        return "this session has ended; sign in again"
    if found.used_at is not None:
        return "this refresh token was already used; its session is revoked"
    if found.expired:
        return "the refresh token has expired; sign in again"
    if not found.is_active:
        return "the user is deactivated"
    return None


async def refresh_session(engine, settings, refresh_token: str | None) -> dict:
    """Use refresh_token up; a new access token and the next refresh token."""
    if not refresh_token:
        raise Unauthorized("a refresh token is required (body or leopard_refresh)")
    digest = _digest(refresh_token)
    token, new_digest = _new_token()
    async with engine.acquire() as conn:
        async with conn.begin():
            found = await q.lock_refresh_token(conn, digest)
            refusal = _refusal(found)
            reused = found is not None and found.revoked_at is None and found.used_at
            if refusal is None:
                await q.mark_refresh_token_used(conn, digest)
                await q.delete_expired_refresh_tokens(conn, found.session_id)
                await q.insert_refresh_token(
                    conn, found.session_id, new_digest, settings.refresh_ttl
                )
            elif reused:
                await q.revoke_session(conn, found.session_id, "reuse")
    if refusal is not None:
        if reused:
            log.warning(
                "refresh token reused: session %s of user %s revoked",
                found.session_id,
                found.user_id,
            )
        raise Unauthorized(refusal)
    return _answer(settings, found.user_id, found.session_id, token)


async def end_session(engine, refresh_token: str | None) -> None:
    """Logout: revoke refresh_token's session. Nothing to end is no error."""
    if not refresh_token:
        return
    async with engine.acquire() as conn:
        session_id = await q.session_of_refresh_token(conn, _digest(refresh_token))
        if session_id is not None:
            await q.revoke_session(conn, session_id, "logout")
