"""Clients of the office: any signed-in user reads and edits them; admins delete."""

from ..queries import clients as q
from .permissions import require_admin


async def list_clients(engine, query: dict):
    """A page of clients matching `q`, by name; returns (rows, count)."""
    async with engine.acquire() as conn:
        return await q.list_clients(conn, **query)


async def get_client(engine, client_id: int):
    """The client, or NotFound."""
    async with engine.acquire() as conn:
        return await q.get_client(conn, client_id)


async def create_client(engine, data: dict):
    """Insert a client from validated fields; returns the row."""
    async with engine.acquire() as conn:
        return await q.insert_client(conn, **data)


async def update_client(engine, client_id: int, data: dict):
    """Change the fields given (none: the client as it is), or NotFound."""
    async with engine.acquire() as conn:
        if not data:
            return await q.get_client(conn, client_id)
        return await q.update_client(conn, client_id, **data)


async def delete_client(engine, actor, client_id: int) -> None:
    """Delete a client (admins only).

    Conflict while visa applications or tasks refer to it: the foreign keys
    refuse the delete, so a row added concurrently is refused too, and nothing
    changes.
    """
    require_admin(actor, "delete a client")
    async with engine.acquire() as conn:
        async with conn.begin():
            await q.delete_client(conn, client_id)
