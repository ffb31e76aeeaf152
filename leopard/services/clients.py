"""Clients of the office: any signed-in user reads and edits them; admins delete."""

from ..errors import Forbidden
from ..queries import clients as q


def require_admin(actor, what: str) -> None:
    if actor.role != "admin":
        raise Forbidden(f"only an admin may delete {what}")


async def client_list(engine, query: dict):
    """A page of clients matching `q`, by name; returns (rows, count)."""
    async with engine.acquire() as conn:
        return await q.list_clients(conn, **query)


async def client_get(engine, client_id: int):
    """The client, or NotFound."""
    async with engine.acquire() as conn:
        return await q.get_client(conn, client_id)


async def client_create(engine, data: dict):
    """Insert a client from validated fields; returns the row."""
    async with engine.acquire() as conn:
        return await q.insert_client(conn, **data)


async def client_update(engine, client_id: int, data: dict):
    """Change the fields given (none: the client as it is), or NotFound."""
    async with engine.acquire() as conn:
        if not data:
            return await q.get_client(conn, client_id)
        return await q.update_client(conn, client_id, **data)


async def client_delete(engine, actor, client_id: int) -> None:
    """Delete a client (admins only).

    Conflict while visa applications or tasks refer to it: the foreign keys
    refuse the delete, so a row added concurrently is refused too, and nothing
    changes.
    """
    require_admin(actor, "a client")
    async with engine.acquire() as conn:
        async with conn.begin():
            await q.delete_client(conn, client_id)
