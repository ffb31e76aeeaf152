import sqlalchemy as sa

from ..tables import notifications as n
from ..tables import users

# Advisory-lock namespace of notification writers. Key 0 is the broadcast lock:
# writers to a few recipients take it shared, then each recipient's key in id
# order; a write to many recipients takes it exclusive instead (one lock, not
# thousands, which would exhaust the lock table).
LOCK_NS = 0x4C50
MANY = 64
LOCK_EACH = sa.text(
    "SELECT pg_advisory_xact_lock(:ns, uid::int)"
    " FROM unnest(CAST(:ids AS bigint[])) AS uid"
)


async def lock_recipients(conn, recipient_ids: list[int]) -> None:
    """Serialise writers per recipient until commit, so ids commit in order."""
    if len(recipient_ids) > MANY:
        await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_NS, 0)))
        return
    await conn.execute(sa.select(sa.func.pg_advisory_xact_lock_shared(LOCK_NS, 0)))
    # unnest yields the sorted array in order, so locks are taken in id order
    # and two writers never wait on each other in a cycle.
    await conn.execute(LOCK_EACH.bindparams(ns=LOCK_NS, ids=sorted(recipient_ids)))


async def lock_all(conn) -> None:
    await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_NS, 0)))


async def insert_many(conn, rows: list[dict]):
    result = await conn.execute(n.insert().values(rows).returning(*n.c))
    return await result.fetchall()


async def insert_for_active_users(conn, values: dict):
    """One row per active user, in a single INSERT … SELECT."""
    columns = ["assigned_to", *values]
    literals = [sa.literal(v, type_=n.c[k].type) for k, v in values.items()]
    source = sa.select(users.c.id, *literals)
    source = source.where(users.c.is_active.is_(True)).order_by(users.c.id)
    result = await conn.execute(n.insert().from_select(columns, source).returning(*n.c))
    return await result.fetchall()


def _filters(user_id, *, read=None, types=None, before_id=None, after_id=None):
    where = [n.c.assigned_to == user_id]
    if read is not None:
        where.append(n.c.read.is_(read))
    if types:
        where.append(n.c.notification_type.in_(types))
    if before_id is not None:
        where.append(n.c.id < before_id)
    if after_id is not None:
        where.append(n.c.id > after_id)
    return sa.and_(*where)


async def list_for(conn, user_id, *, limit, offset, **filters):
    where = _filters(user_id, **filters)
    count = await conn.scalar(sa.select(sa.func.count()).select_from(n).where(where))
    result = await conn.execute(
        sa.select(n).where(where).order_by(n.c.id.desc()).limit(limit).offset(offset)
    )
    return await result.fetchall(), count


async def replay(conn, user_id, after_id, types=None, limit=500):
    """The recipient's notifications after after_id, oldest first, one page."""
    where = _filters(user_id, types=types, after_id=after_id)
    result = await conn.execute(sa.select(n).where(where).order_by(n.c.id).limit(limit))
    return await result.fetchall()


async def unread_count(conn, user_id) -> int:
    return await conn.scalar(
        sa.select(sa.func.count()).select_from(n).where(_filters(user_id, read=False))
    )


async def get(conn, user_id, notification_id):
    result = await conn.execute(
        sa.select(n).where(n.c.id == notification_id, n.c.assigned_to == user_id)
    )
    return await result.first()


def _targets(user_id, ids):
    where = [n.c.assigned_to == user_id]
    if ids is not None:
        where.append(n.c.id.in_(list(ids)))
    return where


async def set_read(conn, user_id, ids, read: bool) -> list[int]:
    """Mark the caller's notifications (ids, or all when None); return those changed.

    `read_at` keeps its first value while a notification stays read.
    """
    result = await conn.execute(
        n.update()
        .where(*_targets(user_id, ids), n.c.read.is_(not read))
        .values(read=read, read_at=sa.func.now() if read else None)
        .returning(n.c.id)
    )
    return sorted(row.id for row in await result.fetchall())


async def delete(conn, user_id, ids) -> list[int]:
    result = await conn.execute(
        n.delete().where(*_targets(user_id, ids)).returning(n.c.id)
    )
    return sorted(row.id for row in await result.fetchall())


async def mark_delivered(conn, ids) -> None:
    await conn.execute(
        n.update()
        .where(n.c.id.in_(list(ids)), n.c.delivered_at.is_(None))
        .values(delivered_at=sa.func.now())
    )


async def get_by_id(conn, notification_id):
    result = await conn.execute(sa.select(n).where(n.c.id == notification_id))
    return await result.first()


async def stream_start(conn, user_id) -> int:
    """The recipient's newest notification id (0 if none): where a new stream's
    replay starts, so what commits before it subscribes is not missed either."""
    value = await conn.scalar(
        sa.select(sa.func.max(n.c.id)).where(n.c.assigned_to == user_id)
    )
    return value or 0
