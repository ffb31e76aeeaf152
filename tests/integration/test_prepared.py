"""Server-side prepared statements: PREPARE once per pooled connection, then
EXECUTE; a statement PostgreSQL cannot prepare runs as plain SQL, without
harming the transaction it was tried in."""

import sqlalchemy as sa

from leopard.queries.notifications import MANY, insert_notifications
from leopard.store.db import open_engine
from leopard.store.sql import Prepared, Shapes, Transaction, fetch
from leopard.store.tables import users

SESSION_STATEMENTS = "SELECT name FROM pg_prepared_statements ORDER BY name"


async def held(conn) -> set[str]:
    return {row["name"] for row in await fetch(conn, SESSION_STATEMENTS, {})}


def username_of():
    return Prepared(
        sa.select(users.c.username).where(users.c.id == sa.bindparam("user_id"))
    )


def renaming():
    return Prepared(
        users.update()
        .where(users.c.id == sa.bindparam("user_id"))
        .values(full_name=sa.bindparam("full_name"))
    )


async def full_name_of(conn, user_id):
    return await conn.scalar(sa.select(users.c.full_name).where(users.c.id == user_id))


async def test_prepared_once_per_connection_then_executed(database_url, make_user):
    person = await make_user(username="prepared-once")
    statement = username_of()
    name = statement._plans[0].name
    async with open_engine(database_url, maxsize=1) as engine:
        async with engine.acquire() as conn:
            assert name not in await held(conn)
            assert (await statement.first(conn, user_id=person.id)).username == (
                "prepared-once"
            )
            assert name in await held(conn)
            # Run again: EXECUTE, no second PREPARE (which PostgreSQL refuses).
            for _ in range(3):
                row = await statement.first(conn, user_id=person.id)
                assert row.username == "prepared-once"
            assert await statement.first(conn, user_id=-1) is None
        # The same pooled connection again: still prepared, still right.
        async with engine.acquire() as conn:
            assert name in await held(conn)
            row = await statement.first(conn, user_id=person.id)
            assert row.username == "prepared-once"


async def test_prepared_inside_a_transaction_and_kept_after_rollback(
    database_url, make_user
):
    person = await make_user(username="prepared-tx")
    statement = username_of()
    rename = renaming()
    async with open_engine(database_url, maxsize=1) as engine:
        async with engine.acquire() as conn:
            tx = Transaction(conn)
            await rename.rows(tx, user_id=person.id, full_name="Before Rollback")
            # The second statement is prepared inside the open transaction.
            assert (await statement.first(tx, user_id=person.id)).username == (
                "prepared-tx"
            )
            await tx.end(commit=False)
            names = await held(conn)
            assert {rename._plans[0].name, statement._plans[0].name} <= names
            # Prepared statements outlive the ROLLBACK; the write did not.
            tx = Transaction(conn)
            await rename.rows(tx, user_id=person.id, full_name="After Commit")
            await tx.end(commit=True)
            full_name = await full_name_of(conn, person.id)
            assert full_name == "After Commit"


def ambiguous():
    """PREPARE fails: unknown + unknown has no single operator. As plain SQL
    (psycopg2 writes the values in) it is just 2 + 3."""
    return Prepared(sa.select((sa.bindparam("a") + sa.bindparam("b")).label("total")))


async def test_unpreparable_runs_plain_and_the_transaction_survives(
    database_url, make_user
):
    person = await make_user(username="prepared-fallback")
    statement = username_of()
    rename = renaming()
    broken = ambiguous()
    async with open_engine(database_url, maxsize=1) as engine:
        async with engine.acquire() as conn:
            await statement.first(conn, user_id=person.id)
            tx = Transaction(conn)
            await rename.rows(tx, user_id=person.id, full_name="Kept Through")
            assert (await broken.first(tx, a=2, b=3)).total == 5
            await tx.end(commit=True)
            full_name = await full_name_of(conn, person.id)
            assert full_name == "Kept Through"
            # Everything was deallocated, so what is held is known again...
            assert await held(conn) == set()
            # ...and the others are prepared afresh on their next run.
            row = await statement.first(conn, user_id=person.id)
            assert row.username == "prepared-fallback"
            assert statement._plans[0].name in await held(conn)
            # Outside a transaction too; it is not tried again.
            assert (await broken.first(conn, a=40, b=2)).total == 42
            assert await held(conn) == {statement._plans[0].name}


async def test_unpreparable_outside_a_transaction(database_url):
    broken = ambiguous()
    async with open_engine(database_url, maxsize=1) as engine:
        async with engine.acquire() as conn:
            assert (await broken.first(conn, a=1, b=1)).total == 2
            assert await held(conn) == set()


async def test_one_off_statements_take_no_name(database_url, make_user):
    """A Shapes past its limit, and a notification INSERT of more than MANY
    rows, are made for one run: preparing them would leave a statement behind
    on the connection for every run."""
    person = await make_user(username="prepared-one-off", full_name="One Off")

    def build(column):
        return [sa.select(users.c[column]).where(users.c.id == sa.bindparam("uid"))]

    shapes = Shapes(build, limit=1)
    async with open_engine(database_url, maxsize=1) as engine:
        async with engine.acquire() as conn:
            before = await held(conn)
            assert (await shapes("username").first(conn, uid=person.id)).username
            after_kept = await held(conn)
            assert len(after_kept - before) == 1
            row = await shapes("full_name").first(conn, uid=person.id)
            assert row.full_name == "One Off"
            assert await held(conn) == after_kept
            assert shapes("full_name")._plans == []

            rows = [
                {
                    "assigned_to": person.id,
                    "notification_type": "SYSTEM",
                    "title": "One-off",
                    "message": f"one-off {i}",
                    "due_date": None,
                    "meta_info": {},
                }
                for i in range(MANY + 1)
            ]
            tx = Transaction(conn)
            inserted = await insert_notifications(tx, rows)
            await tx.end(commit=False)
            assert [row.message for row in inserted] == [r["message"] for r in rows]
            assert await held(conn) == after_kept
