"""Office closures, and each user's calendar feed secret."""

import psycopg2.errors
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from ..errors import Conflict, NotFound
from ..store.sql import Prepared
from ..store.tables import calendar_feeds as f
from ..store.tables import office_closures as c
from ..store.tables import users as u

CLOSURE = (c.c.id, c.c.day.label("date"), c.c.name)


_FROM = sa.bindparam("first", type_=sa.Date)
# Every deadline in business days reads them: compiled once.
CLOSURES_FROM = Prepared(sa.select(c.c.day, c.c.name).where(c.c.day >= _FROM))
CLOSURES_BETWEEN = Prepared(
    sa.select(c.c.day, c.c.name).where(
        c.c.day >= _FROM, c.c.day <= sa.bindparam("last", type_=sa.Date)
    )
)


async def closures_between(conn, first, last=None) -> dict:
    """{date: name} of the closures from `first` (to `last`, inclusive)."""
    if last is None:
        rows = await CLOSURES_FROM.rows(conn, first=first)
    else:
        rows = await CLOSURES_BETWEEN.rows(conn, first=first, last=last)
    return {row.day: row.name for row in rows}


async def list_closures(conn, first=None, last=None):
    query = sa.select(*CLOSURE).order_by(c.c.day)
    if first is not None:
        query = query.where(c.c.day >= first)
    if last is not None:
        query = query.where(c.c.day <= last)
    return await (await conn.execute(query)).fetchall()


async def insert_closure(conn, day, name: str, created_by: int):
    try:
        result = await conn.execute(
            c.insert()
            .values(day=day, name=name, created_by=created_by)
            .returning(*CLOSURE)
        )
    except psycopg2.errors.UniqueViolation:
        raise Conflict(
            f"{day} is already a closure", {"date": ["already a closure"]}
        ) from None
    return await result.first()


async def delete_closure(conn, closure_id: int) -> None:
    result = await conn.execute(
        c.delete().where(c.c.id == closure_id).returning(c.c.id)
    )
    if await result.first() is None:
        raise NotFound(f"no closure with id {closure_id}")


async def set_feed(conn, user_id: int, secret_hash: str) -> None:
    """The user's feed is the one with this secret; the previous one is gone."""
    values = {"secret_hash": secret_hash, "content_hash": None}
    await conn.execute(
        insert(f)
        .values(user_id=user_id, **values)
        .on_conflict_do_update(
            index_elements=[f.c.user_id],
            set_={**values, "created_at": sa.func.now(), "changed_at": sa.func.now()},
        )
    )


async def delete_feed(conn, user_id: int) -> None:
    await conn.execute(f.delete().where(f.c.user_id == user_id))


async def find_feed(conn, secret_hash: str):
    """The feed of an active user with this secret, or None."""
    result = await conn.execute(
        sa.select(f, u.c.full_name, u.c.username)
        .join(u, u.c.id == f.c.user_id)
        .where(f.c.secret_hash == secret_hash, u.c.is_active)
    )
    return await result.first()


async def feed_changed(conn, user_id: int, content_hash: str):
    """Record that the feed now serves something else; returns when."""
    result = await conn.execute(
        f.update()
        .where(f.c.user_id == user_id)
        .values(content_hash=content_hash, changed_at=sa.func.now())
        .returning(f.c.changed_at)
    )
    return await result.scalar()
