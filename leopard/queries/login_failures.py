"""Failed sign-ins of the last WINDOW seconds, by username and by address."""

import sqlalchemy as sa

from ..store.tables import login_failures as failures

WINDOW = 15 * 60
# pg_advisory_xact_lock(namespace, key): one namespace per kind of key, apart
# from the other advisory locks of Leopard.
USER_LOCK, ADDRESS_LOCK = 0x10C1, 0x10C2
_LOCK = sa.text("SELECT pg_advisory_xact_lock(:ns, hashtext(:key))")
_SPAN = sa.literal_column(f"interval '{WINDOW} seconds'")
_WINDOW = sa.literal_column(f"now() - interval '{WINDOW} seconds'")


async def lock_login(conn, username: str, address: str) -> None:
    """Serialise the attempts for one username, and for one address, until the
    transaction ends. Always the username first: no two attempts wait for
    each other in a circle."""
    await conn.execute(_LOCK, ns=USER_LOCK, key=username)
    await conn.execute(_LOCK, ns=ADDRESS_LOCK, key=address)


async def blocked_for(conn, column: str, value: str, limit: int) -> float:
    """Seconds until fewer than `limit` failures of `column = value` lie in the
    window (0: fewer already): when the limit-th newest leaves it."""
    col = failures.c[column]
    query = (
        sa.select(
            sa.func.extract(
                "epoch",
                failures.c.failed_at + _SPAN - sa.func.now(),
            )
        )
        .where(col == value)
        .where(failures.c.failed_at > _WINDOW)
        .order_by(failures.c.failed_at.desc())
        .offset(limit - 1)
        .limit(1)
    )
    seconds = await conn.scalar(query)
    return max(0.0, float(seconds)) if seconds is not None else 0.0


async def insert_login_failure(conn, username: str, address: str) -> int:
    return await conn.scalar(
        failures.insert()
        .values(username=username, address=address)
        .returning(failures.c.id)
    )


async def delete_login_failure(conn, failure_id: int) -> None:
    await conn.execute(failures.delete().where(failures.c.id == failure_id))


async def clear_login_failures(conn, username: str) -> None:
    await conn.execute(failures.delete().where(failures.c.username == username))


async def forget_old_login_failures(conn) -> None:
    """What has left the window counts for nothing: keep the table small."""
    await conn.execute(failures.delete().where(failures.c.failed_at <= _WINDOW))
