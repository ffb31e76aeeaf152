"""What the email sweeper reads and marks. A notification is due for email
when it is unread, not yet emailed, of a type its recipient chose, older than
their `after_minutes`, and they have email enabled, an address and an
active account."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ..store.tables import notifications as n
from ..store.tables import user_preferences as p
from ..store.tables import users as u

PERSON = (u.c.id, u.c.username, u.c.full_name, u.c.email)
MINUTE = sa.literal_column("interval '1 minute'")


def _at(now: datetime | None):
    # By default the database's clock: one clock for every process and host.
    if now is None:
        return sa.func.now()
    return sa.literal(now, sa.DateTime(timezone=True))


def _due(now):
    # NOT read and emailed_at IS NULL, as written: the partial index
    # notifications_to_email has that predicate.
    return sa.and_(
        n.c.assigned_to == p.c.user_id,
        sa.not_(n.c.read),
        n.c.emailed_at.is_(None),
        n.c.notification_type == sa.any_(p.c.email_types),
        n.c.created_at <= _at(now) - MINUTE * p.c.email_after_minutes,
    )


def _wants_email():
    return sa.and_(
        p.c.email_enabled.is_(True),
        u.c.id == p.c.user_id,
        u.c.is_active.is_(True),
        u.c.email != "",
    )


async def people_to_email(conn, now: datetime | None, limit: int):
    """Users with at least one notification due for email, by id. Takes no
    lock: each is claimed afterwards in a transaction of its own."""
    waiting = sa.exists(sa.select(n.c.id).where(_due(now)))
    query = sa.select(*PERSON).select_from(p.join(u, u.c.id == p.c.user_id))
    query = query.where(_wants_email(), waiting).order_by(u.c.id).limit(limit)
    result = await conn.execute(query)
    return await result.fetchall()


async def claim_for_email(conn, user_id: int, now: datetime | None, limit: int):
    """Lock the user's notifications due for email until the transaction ends,
    oldest first; those another sweeper holds are skipped (SKIP LOCKED), and a
    row changed meanwhile (emailed, read) is re-checked, so a sweeper never
    takes what another one just emailed."""
    query = (
        sa.select(n)
        .select_from(
            n.join(p, p.c.user_id == n.c.assigned_to).join(u, u.c.id == p.c.user_id)
        )
        .where(n.c.assigned_to == user_id, _wants_email(), _due(now))
        .order_by(n.c.id)
        .limit(limit)
        .with_for_update(of=n, skip_locked=True)
    )
    result = await conn.execute(query)
    return await result.fetchall()


async def get_recipient(conn, user_id: int):
    """The user's name and address as they are now (they may have changed
    since people_to_email)."""
    result = await conn.execute(sa.select(*PERSON).where(u.c.id == user_id))
    return await result.first()


async def mark_emailed(conn, ids) -> None:
    await conn.execute(
        n.update()
        .where(n.c.id == sa.any_(sa.cast(list(ids), ARRAY(sa.BigInteger))))
        .values(emailed_at=sa.func.now())
    )
