import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ..store.sql import Prepared
from ..store.tables import users

PUBLIC = [
    users.c.id,
    users.c.username,
    users.c.full_name,
    users.c.email,
    users.c.role,
    users.c.is_active,
]


# Every authenticated request runs it: compiled once.
GET_USER = Prepared(sa.select(*PUBLIC).where(users.c.id == sa.bindparam("user_id")))


async def get_user(conn, user_id: int):
    return await GET_USER.first(conn, user_id=user_id)


# Requests' users that are not cached, read together (auth.usercache), with
# what authentication needs beside the public fields.
AUTH = [*PUBLIC, users.c.tokens_valid_after]
GET_USERS = Prepared(
    sa.select(*AUTH).where(
        users.c.id == sa.any_(sa.bindparam("ids", type_=ARRAY(sa.BigInteger)))
    )
)


async def get_users(conn, ids) -> list:
    return await GET_USERS.rows(conn, ids=list(ids))


async def get_login(conn, username: str):
    """The user row with its password hash, by case-insensitive username."""
    result = await conn.execute(
        sa.select(users).where(sa.func.lower(users.c.username) == username.lower())
    )
    return await result.first()


async def list_users(conn, *, active_only: bool, limit: int, offset: int):
    where = users.c.is_active.is_(True) if active_only else sa.true()
    count = await conn.scalar(
        sa.select(sa.func.count()).select_from(users).where(where)
    )
    result = await conn.execute(
        sa.select(*PUBLIC).where(where).order_by(users.c.id).limit(limit).offset(offset)
    )
    return await result.fetchall(), count


async def insert_user(conn, **values):
    result = await conn.execute(users.insert().values(**values).returning(*PUBLIC))
    return await result.first()


async def update_user(conn, user_id: int, **values):
    result = await conn.execute(
        users.update()
        .where(users.c.id == user_id)
        .values(updated_at=sa.func.now(), **values)
        .returning(*PUBLIC)
    )
    return await result.first()


async def lock_active_admins(conn) -> list[int]:
    """The active admins' ids, their rows locked until the transaction ends:
    a concurrent change to any of them waits, and is then seen."""
    result = await conn.execute(
        sa.select(users.c.id)
        .where(users.c.role == "admin", users.c.is_active.is_(True))
        .order_by(users.c.id)  # one order: two lockers never deadlock
        .with_for_update()
    )
    return [row.id for row in await result.fetchall()]


async def count_active_admins(conn) -> int:
    active_admin = (users.c.role == "admin") & users.c.is_active.is_(True)
    return await conn.scalar(
        sa.select(sa.func.count()).select_from(users).where(active_admin)
    )


# Every task or notification write checks its recipients: compiled once.
ACTIVE_AMONG = Prepared(
    sa.select(users.c.id)
    .where(users.c.is_active.is_(True))
    .where(users.c.id == sa.any_(sa.bindparam("ids", type_=ARRAY(sa.BigInteger))))
    .order_by(users.c.id)
)


async def active_user_ids(conn, ids=None) -> list[int]:
    if ids is not None:
        return [row.id for row in await ACTIVE_AMONG.rows(conn, ids=list(ids))]
    query = sa.select(users.c.id).where(users.c.is_active.is_(True))
    result = await conn.execute(query.order_by(users.c.id))
    return [row.id for row in await result.fetchall()]
