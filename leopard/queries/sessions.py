"""Refresh sessions and their rotating tokens (schema/0005_sessions.sql)."""

import sqlalchemy as sa

from ..store.tables import refresh_sessions as sessions
from ..store.tables import refresh_tokens as tokens
from ..store.tables import users


async def insert_session(conn, user_id: int) -> int:
    return await conn.scalar(
        sessions.insert().values(user_id=user_id).returning(sessions.c.id)
    )


async def insert_refresh_token(conn, session_id: int, token_hash: str, ttl: int):
    """A token of session_id valid ttl seconds from now; its expiry."""
    expires = sa.func.now() + sa.func.make_interval(0, 0, 0, 0, 0, 0, ttl)
    return await conn.scalar(
        tokens.insert()
        .values(session_id=session_id, token_hash=token_hash, expires_at=expires)
        .returning(tokens.c.expires_at)
    )


async def lock_refresh_token(conn, token_hash: str):
    """The token with its session and user, its row locked for the transaction:
    of two requests presenting one token, the second waits for the first and
    then sees it used. None for an unknown token."""
    query = (
        sa.select(
            tokens.c.session_id,
            tokens.c.used_at,
            (tokens.c.expires_at <= sa.func.now()).label("expired"),
            sessions.c.user_id,
            sessions.c.revoked_at,
            users.c.is_active,
        )
        .select_from(tokens.join(sessions).join(users))
        .where(tokens.c.token_hash == token_hash)
        .with_for_update(of=tokens)
    )
    result = await conn.execute(query)
    return await result.first()


async def mark_refresh_token_used(conn, token_hash: str) -> None:
    await conn.execute(
        tokens.update()
        .where(tokens.c.token_hash == token_hash)
        .values(used_at=sa.func.now())
    )


async def session_of_refresh_token(conn, token_hash: str) -> int | None:
    return await conn.scalar(
        sa.select(tokens.c.session_id).where(tokens.c.token_hash == token_hash)
    )


async def revoke_session(conn, session_id: int, why: str) -> None:
    await conn.execute(
        sessions.update()
        .where(sessions.c.id == session_id)
        .where(sessions.c.revoked_at.is_(None))
        .values(revoked_at=sa.func.now(), revoked_why=why)
    )


async def revoke_user_sessions(
    conn, user_id: int, why: str, keep: int | None = None
) -> int:
    """Revoke every live session of user_id but `keep`; how many were."""
    query = (
        sessions.update()
        .where(sessions.c.user_id == user_id)
        .where(sessions.c.revoked_at.is_(None))
        .values(revoked_at=sa.func.now(), revoked_why=why)
    )
    if keep is not None:
        query = query.where(sessions.c.id != keep)
    result = await conn.execute(query)
    return result.rowcount


async def live_session_ids(conn, user_id: int) -> list[int]:
    result = await conn.execute(
        sa.select(sessions.c.id)
        .where(sessions.c.user_id == user_id)
        .where(sessions.c.revoked_at.is_(None))
        .order_by(sessions.c.id)
    )
    return [row.id for row in await result.fetchall()]


async def delete_expired_refresh_tokens(conn, session_id: int) -> None:
    """A token past its expiry can never be used again: forget it. (Presented
    after all, it is an unknown token, refused like any other.)"""
    await conn.execute(
        tokens.delete()
        .where(tokens.c.session_id == session_id)
        .where(tokens.c.expires_at <= sa.func.now())
    )


async def delete_dead_sessions(conn, user_id: int) -> None:
    """user_id's sessions that are revoked or have no token left to use."""
    live_token = (
        sa.select(tokens.c.token_hash)
        .where(tokens.c.session_id == sessions.c.id)
        .where(tokens.c.expires_at > sa.func.now())
        .where(tokens.c.used_at.is_(None))
        .exists()
    )
    await conn.execute(
        sessions.delete()
        .where(sessions.c.user_id == user_id)
        .where(sa.or_(sessions.c.revoked_at.is_not(None), ~live_token))
    )
