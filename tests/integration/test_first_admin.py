"""The first admin: created whenever the database has no active admin."""

from dataclasses import replace

import sqlalchemy as sa

from leopard.auth.passwords import check_password
from leopard.queries.users import get_login
from leopard.services.users import create_user, ensure_admin
from leopard.store.db import open_engine
from leopard.store.migrations import migrate
from leopard.store.tables import users


async def test_staff_created_first_still_get_an_admin_and_only_one(
    fresh_database, settings
):
    settings = replace(settings, admin_password=None)
    with fresh_database() as url:
        async with open_engine(url, maxsize=2) as engine:
            await migrate(engine)
            await create_user(engine, username="maria", password="a-long-password")
            password = await ensure_admin(engine, settings)
            assert password and len(password) >= 8
            async with engine.acquire() as conn:
                admin = await get_login(conn, "admin")
            assert admin.role == "admin" and admin.is_active
            assert check_password(password, admin.password_hash)
            # Again: an active admin exists, nothing is created or printed.
            assert await ensure_admin(engine, settings) is None
            async with engine.acquire() as conn:
                assert (
                    await conn.scalar(sa.select(sa.func.count()).select_from(users))
                    == 2
                )


async def test_another_active_admin_is_enough(fresh_database, settings):
    with fresh_database() as url:
        async with open_engine(url, maxsize=2) as engine:
            await migrate(engine)
            await create_user(
                engine, username="boss", password="a-long-password", role="admin"
            )
            assert await ensure_admin(engine, settings) is None
            async with engine.acquire() as conn:
                assert await get_login(conn, "admin") is None


async def test_a_deactivated_admin_named_admin_is_left_for_the_operator(
    fresh_database, settings, caplog
):
    with fresh_database() as url:
        async with open_engine(url, maxsize=2) as engine:
            await migrate(engine)
            old = await create_user(
                engine, username="admin", password="a-long-password", role="admin"
            )
            async with engine.acquire() as conn:
                await conn.execute(
                    users.update().where(users.c.id == old.id).values(is_active=False)
                )
            assert await ensure_admin(engine, settings) is None
            async with engine.acquire() as conn:
                row = await get_login(conn, "admin")
            assert (row.id, row.is_active) == (old.id, False)
    assert "no active admin, and the username 'admin' is taken" in caplog.text
