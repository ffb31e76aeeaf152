"""Clients of the office: any signed-in user reads and edits them; admins delete.
Each change leaves its entry in the client's history."""

from ..queries import clients as q
from .history import diff, final, initial
from .permissions import require_admin
from .work import unit_of_work

FIELDS = ("first_name", "last_name", "email", "phone", "notes")


def _record(work, client, action: str, changes: dict) -> None:
    work.record(f"client:{client.id}", action, changes, case=(client.id, None))


async def list_clients(engine, query: dict):
    """A page of clients matching `q`, by name; returns (rows, count)."""
    async with engine.acquire() as conn:
        return await q.list_clients(conn, **query)


async def get_client(engine, client_id: int):
    """The client, or NotFound."""
    async with engine.acquire() as conn:
        return await q.get_client(conn, client_id)


async def create_client(engine, actor, data: dict):
    """Insert a client from validated fields; returns the row."""
    async with unit_of_work(engine, actor=actor) as work:
        client = await q.insert_client(work.conn, **data)
        _record(work, client, "created", initial(client, FIELDS))
    return client


async def update_client(engine, actor, client_id: int, data: dict):
    """Change the fields given (none, or the same values: the client as it is)."""
    async with unit_of_work(engine, actor=actor) as work:
        before = await q.get_client(work.conn, client_id, lock=True)
        changes = {k: v for k, v in data.items() if before[k] != v}
        if not changes:
            return before
        client = await q.update_client(work.conn, client_id, **changes)
        _record(work, client, "changed", diff(before, client, FIELDS))
    return client


async def delete_client(engine, actor, client_id: int) -> None:
    """Delete a client (admins only).

    Conflict while visa applications, documents or tasks refer to it: the
    foreign keys refuse the delete, so a row added concurrently is refused
    too, and nothing changes.
    """
    require_admin(actor, "delete a client")
    async with unit_of_work(engine, actor=actor) as work:
        client = await q.get_client(work.conn, client_id, lock=True)
        await q.delete_client(work.conn, client_id)
        _record(work, client, "deleted", final(client, FIELDS))
