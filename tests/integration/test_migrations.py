import asyncio

import psycopg2
import pytest

from leopard.store.db import open_engine
from leopard.store.migrations import Migration, MigrationError, load, migrate


def test_the_schema_files_are_numbered_in_increasing_order():
    versions = [m.version for m in load()]
    assert versions == sorted(set(versions)) and versions[0] == 1
    assert versions, "schema/ has migrations"


def test_two_migrations_with_one_number_are_refused(tmp_path):
    (tmp_path / "0001_a.sql").write_text("SELECT 1")
    (tmp_path / "0001_b.sql").write_text("SELECT 1")
    with pytest.raises(MigrationError, match="distinct numbers"):
        load(tmp_path)


async def _column(engine, sql):
    async with engine.acquire() as conn:
        return [row[0] async for row in await conn.execute(sql)]


async def _tables(engine):
    return set(
        await _column(
            engine, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
    )


async def test_migrate_applies_in_order_and_records_each_once(fresh_database):
    with fresh_database() as url:
        async with open_engine(url) as engine:
            applied = await migrate(engine)
            assert applied == [m.version for m in load()]
            assert await migrate(engine) == []
            assert (
                await _column(
                    engine, "SELECT version FROM schema_migrations ORDER BY 1"
                )
                == applied
            )
            assert "users" in await _tables(engine)


async def test_two_processes_migrating_at_once_apply_each_migration_once(
    fresh_database,
):
    with fresh_database() as url:
        async with open_engine(url) as a, open_engine(url) as b:
            first, second = await asyncio.gather(migrate(a), migrate(b))
            assert sorted(first + second) == [m.version for m in load()]
            assert not (set(first) & set(second))


async def test_a_failing_migration_leaves_nothing_behind(fresh_database):
    good = Migration(1, "good", "CREATE TABLE good_one (id int);")
    bad = Migration(2, "bad", "CREATE TABLE half_done (id int); SELECT nonsense;")
    with fresh_database() as url:
        async with open_engine(url) as engine:
            with pytest.raises(psycopg2.ProgrammingError):
                await migrate(engine, [good, bad])
            tables = await _tables(engine)
            assert "good_one" in tables and "half_done" not in tables
            assert await _column(engine, "SELECT version FROM schema_migrations") == [1]


async def test_a_database_ahead_of_the_code_is_refused(fresh_database):
    with fresh_database() as url:
        async with open_engine(url) as engine:
            await migrate(engine)
            await _column(
                engine,
                "INSERT INTO schema_migrations VALUES (999, 'future') RETURNING 1",
            )
            with pytest.raises(MigrationError, match="ahead of this code"):
                await migrate(engine)
