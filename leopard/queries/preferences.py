"""Users' preferences: one row per user who ever changed them (none: the
defaults, which the table's column defaults spell out too)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from ..store.tables import user_preferences as p

COLUMNS = (p.c.muted_types, p.c.email_enabled, p.c.email_types, p.c.email_after_minutes)


async def get_preferences(conn, user_id: int):
    """The user's row, or None when they kept the defaults."""
    result = await conn.execute(sa.select(*COLUMNS).where(p.c.user_id == user_id))
    return await result.first()


async def save_preferences(conn, user_id: int, values: dict):
    """Set the given columns (the others keep their value, or their default on a
    first save) in one statement, so concurrent saves never lose each other."""
    statement = insert(p).values(user_id=user_id, **values)
    changed = {name: statement.excluded[name] for name in values}
    statement = statement.on_conflict_do_update(
        index_elements=[p.c.user_id], set_={**changed, "updated_at": sa.func.now()}
    )
    result = await conn.execute(statement.returning(*COLUMNS))
    return await result.first()
