"""Documents: the list with its filters, and the rows the API shows."""

import sqlalchemy as sa

from ..errors import NotFound
from ..store.tables import documents as d
from ..store.tables import visa_applications as v

SHOWN = (
    d.c.id,
    d.c.client_id,
    d.c.visa_application_id,
    d.c.kind,
    d.c.number,
    d.c.issued_on,
    d.c.expires_on,
    d.c.responsible_id,
    d.c.notes,
    d.c.created_at,
    d.c.updated_at,
)


async def get_document(conn, document_id: int, *, lock: bool = False):
    """The document, or NotFound; lock: FOR UPDATE, until commit."""
    query = sa.select(*SHOWN).where(d.c.id == document_id)
    if lock:
        query = query.with_for_update()
    row = await (await conn.execute(query)).first()
    if row is None:
        raise NotFound(f"no document with id {document_id}")
    return row


async def application_of(conn, application_id: int):
    """(client_id, assigned_to) of a visa application, or None; kept from
    being deleted until commit."""
    result = await conn.execute(
        sa.select(v.c.client_id, v.c.assigned_to)
        .where(v.c.id == application_id)
        .with_for_update(read=True, key_share=True)
    )
    return await result.first()


async def insert_document(conn, **values):
    result = await conn.execute(d.insert().values(**values).returning(*SHOWN))
    return await result.first()


async def update_document(conn, document_id: int, **values):
    result = await conn.execute(
        d.update()
        .where(d.c.id == document_id)
        .values(updated_at=sa.func.now(), **values)
        .returning(*SHOWN)
    )
    return await result.first()


async def delete_document(conn, document_id: int) -> None:
    result = await conn.execute(
        d.delete().where(d.c.id == document_id).returning(d.c.id)
    )
    if await result.first() is None:
        raise NotFound(f"no document with id {document_id}")


async def list_documents(
    conn,
    *,
    limit: int,
    offset: int,
    ordering: str,
    client_id=None,
    visa_application_id=None,
    kind=None,
    responsible_id=...,
    expires_before=None,
    expires_after=None,
):
    """(rows, count) of a page; responsible_id None means nobody's."""
    where = []
    if client_id is not None:
        where.append(d.c.client_id == client_id)
    if visa_application_id is not None:
        where.append(d.c.visa_application_id == visa_application_id)
    if kind is not None:
        where.append(d.c.kind == kind)
    if responsible_id is None:
        where.append(d.c.responsible_id.is_(None))
    elif responsible_id is not ...:
        where.append(d.c.responsible_id == responsible_id)
    if expires_before is not None:
        where.append(d.c.expires_on < expires_before)
    if expires_after is not None:
        where.append(d.c.expires_on > expires_after)
    count = await conn.scalar(
        sa.select(sa.func.count()).select_from(d).where(sa.and_(sa.true(), *where))
    )
    if ordering == "-expires_on":
        order = (d.c.expires_on.desc().nullslast(), d.c.id.desc())
    else:
        order = (d.c.expires_on.asc().nullslast(), d.c.id)
    result = await conn.execute(
        sa.select(*SHOWN)
        .where(sa.and_(sa.true(), *where))
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    return await result.fetchall(), count
