"""Failed sign-ins of the last WINDOW seconds, by username and by address."""

import sqlalchemy as sa

from ..store.sql import Prepared
from ..store.tables import login_failures as failures

WINDOW = 15 * 60
# pg_advisory_xact_lock(namespace, key): one namespace per kind of key, apart
# from the other advisory locks of Leopard.
USER_LOCK, ADDRESS_LOCK = 0x10C1, 0x10C2


# The limit-th newest failure of one key in the window: the seconds until it
# leaves it (none: fewer than the limit failed).
_WAIT = """
    SELECT extract(epoch FROM failed_at + interval '{window} seconds' - now())
    FROM login_failures
    WHERE {column} = :{column} AND failed_at > now() - interval '{window} seconds'
    ORDER BY failed_at DESC OFFSET :{column}_limit - 1 LIMIT 1
"""

# One attempt, in one round trip (sent without BEGIN, the two statements are
# one transaction, and each statement sees what committed before it began):
# 1. serialise the attempts for one username, and for one address, until the
#    transaction ends; always the username first, so no two attempts wait for
#    each other in a circle;
# 2. then, seeing every attempt admitted before the locks were granted: the
#    seconds to wait, and when there are none the attempt admitted (written as
#    a failure) and what has left the window forgotten.
ADMIT = Prepared(
    sa.text(
        "SELECT pg_advisory_xact_lock(:user_ns, hashtext(:username)),"
        " pg_advisory_xact_lock(:address_ns, hashtext(:address))"
    ),
    sa.text(
        f"""
        WITH wait AS (
            SELECT greatest(0,
                coalesce(({_WAIT.format(window=WINDOW, column="username")}), 0),
                coalesce(({_WAIT.format(window=WINDOW, column="address")}), 0)
            ) AS seconds
        ), forgotten AS (
            DELETE FROM login_failures
            WHERE failed_at <= now() - interval '{WINDOW} seconds'
            AND (SELECT seconds FROM wait) <= 0
        ), admitted AS (
            INSERT INTO login_failures (username, address)
            SELECT :username, :address WHERE (SELECT seconds FROM wait) <= 0
            RETURNING id
        )
        SELECT (SELECT seconds FROM wait) AS wait,
               (SELECT id FROM admitted) AS attempt
        """
    ),
)


async def admit_login(
    conn, username: str, address: str, username_limit: int, address_limit: int
) -> tuple[float, int | None]:
    """(0, the attempt's id) when the attempt may be checked, else (seconds
    until it may, None): fewer than username_limit failures of the username
    and fewer than address_limit of the address lie in the window."""
    row = await ADMIT.first(
        conn,
        user_ns=USER_LOCK,
        address_ns=ADDRESS_LOCK,
        username=username,
        address=address,
        username_limit=username_limit,
        address_limit=address_limit,
    )
    return float(row.wait), row.attempt


async def delete_login_failure(conn, failure_id: int) -> None:
    await conn.execute(failures.delete().where(failures.c.id == failure_id))


async def clear_login_failures(conn, username: str) -> None:
    await conn.execute(failures.delete().where(failures.c.username == username))
