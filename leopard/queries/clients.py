import psycopg2.errors
import sqlalchemy as sa

from ..errors import Conflict, NotFound
from ..store.sql import Prepared
from ..store.tables import clients as c
from . import like_pattern

# Tables whose foreign keys keep a client alive, as a person would name them.
# The delete relies on those keys (ON DELETE RESTRICT), not on looking first,
# so a table added later (tasks) is covered without changing this module.
DEPENDANTS = {
    "visa_applications": "visa applications",
    "tasks": "tasks",
    "documents": "documents",
}
# ON DELETE RESTRICT raises the one, NO ACTION (the default) the other.
STILL_REFERENCED = (
    psycopg2.errors.ForeignKeyViolation,
    psycopg2.errors.RestrictViolation,
)


GET_KEY_SHARE = Prepared(
    sa.select(c)
    .where(c.c.id == sa.bindparam("client_id", type_=sa.BigInteger))
    .with_for_update(read=True, key_share=True)
)


async def get_client(
    conn, client_id: int, *, key_share: bool = False, lock: bool = False
):
    """The client, or NotFound. key_share keeps it from being deleted until
    commit; lock (FOR UPDATE) from being changed too."""
    if key_share:  # every task and application write asks: compiled once
        row = await GET_KEY_SHARE.first(conn, client_id=client_id)
    else:
        query = sa.select(c).where(c.c.id == client_id)
        if lock:
            query = query.with_for_update()
        row = await (await conn.execute(query)).first()
    if row is None:
        raise NotFound(f"no client with id {client_id}")
    return row


async def list_clients(conn, *, limit: int, offset: int, q: str | None = None):
    where = sa.true()
    if q:
        pattern = like_pattern(q)
        full_name = c.c.first_name + " " + c.c.last_name
        where = sa.or_(
            *(
                column.ilike(pattern, escape="\\")
                for column in (c.c.first_name, c.c.last_name, full_name, c.c.email)
            )
        )
    count = await conn.scalar(sa.select(sa.func.count()).select_from(c).where(where))
    # The order of the clients_name index, so a page is read in index order.
    order = (sa.func.lower(c.c.last_name), sa.func.lower(c.c.first_name), c.c.id)
    result = await conn.execute(
        sa.select(c).where(where).order_by(*order).limit(limit).offset(offset)
    )
    return await result.fetchall(), count


async def insert_client(conn, **values):
    result = await conn.execute(c.insert().values(**values).returning(*c.c))
    return await result.first()


async def update_client(conn, client_id: int, **values):
    result = await conn.execute(
        c.update()
        .where(c.c.id == client_id)
        .values(updated_at=sa.func.now(), **values)
        .returning(*c.c)
    )
    row = await result.first()
    if row is None:
        raise NotFound(f"no client with id {client_id}")
    return row


async def delete_client(conn, client_id: int) -> None:
    """Delete the client; Conflict while anything still refers to it."""
    try:
        result = await conn.execute(
            c.delete().where(c.c.id == client_id).returning(c.c.id)
        )
    except STILL_REFERENCED as exc:
        table = exc.diag.table_name
        what = DEPENDANTS.get(table, f"rows in {table}")
        raise Conflict(
            f"client {client_id} still has {what}; delete them first"
        ) from None
    if await result.first() is None:
        raise NotFound(f"no client with id {client_id}")
