"""The unit of work: one transaction, BEGIN sent with its first statement."""

import psycopg2
import pytest

from leopard.live.broker import MemoryBroker
from leopard.live.hub import Hub
from leopard.services.work import unit_of_work

from ..support.common import unique


async def _clients_named(engine, name) -> int:
    async with engine.acquire() as conn:
        return await conn.scalar(
            "SELECT count(*) FROM clients WHERE first_name = %s", (name,)
        )


async def _insert(conn, name):
    return await conn.scalar(
        "INSERT INTO clients (first_name, last_name) VALUES (%s, 'W') RETURNING id",
        (name,),
    )


async def test_the_statements_of_a_unit_of_work_share_one_transaction(engine):
    name = unique("tx")
    async with unit_of_work(engine, MemoryBroker(Hub())) as work:
        await _insert(work.conn, name)
        xid = await work.conn.scalar("SELECT txid_current()")
        assert await work.conn.scalar("SELECT txid_current()") == xid
        assert await _clients_named(engine, name) == 0  # not committed yet
    assert await _clients_named(engine, name) == 1


async def test_an_error_rolls_back_every_statement_and_frees_the_connection(engine):
    name = unique("tx")
    with pytest.raises(psycopg2.errors.UniqueViolation):
        async with unit_of_work(engine, MemoryBroker(Hub())) as work:
            first = await _insert(work.conn, name)
            await work.conn.execute(
                "INSERT INTO clients (id, first_name, last_name) VALUES (%s, 'x', 'y')",
                (first,),
            )
    assert await _clients_named(engine, name) == 0
    async with engine.acquire() as conn:  # back in the pool, out of any transaction
        assert conn.connection.raw.get_transaction_status() == (
            psycopg2.extensions.TRANSACTION_STATUS_IDLE
        )


async def test_a_failing_first_statement_leaves_nothing_open(engine):
    hub = Hub()
    sub = hub.subscribe(1)
    with pytest.raises(psycopg2.errors.UndefinedTable):
        async with unit_of_work(engine, MemoryBroker(hub)) as work:
            work.tell(1, object())
            await work.conn.execute("SELECT * FROM no_such_table")
    assert sub.take() == []  # nothing published
    async with unit_of_work(engine, MemoryBroker(hub)) as work:
        assert await work.conn.scalar("SELECT 1") == 1
