"""Comments on tasks, and the users a comment names."""

import sqlalchemy as sa

from ..store.tables import task_comments as c
from ..store.tables import users


async def insert_comment(conn, **values):
    result = await conn.execute(c.insert().values(**values).returning(*c.c))
    return await result.first()


async def list_comments(conn, task_id: int, *, limit: int, offset: int):
    """One page of a task's comments, oldest first, and how many it has."""
    where = c.c.task_id == task_id
    count = await conn.scalar(sa.select(sa.func.count()).select_from(c).where(where))
    result = await conn.execute(
        sa.select(c).where(where).order_by(c.c.id).limit(limit).offset(offset)
    )
    return await result.fetchall(), count


async def active_users_named(conn, names) -> dict[str, int]:
    """lower(username) → id of the active users among names (any case)."""
    lowered = sorted({name.lower() for name in names})
    if not lowered:
        return {}
    name = sa.func.lower(users.c.username)
    result = await conn.execute(
        sa.select(name.label("name"), users.c.id).where(
            name.in_(lowered), users.c.is_active.is_(True)
        )
    )
    return {row.name: row.id for row in await result.fetchall()}
