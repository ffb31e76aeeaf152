"""The database as a whole."""

import sqlalchemy as sa


async def count_tables(conn) -> int:
    """Tables in the public schema: none in a database that may be restored into."""
    return await conn.scalar(
        sa.text("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'")
    )


async def get_server_major(conn) -> int:
    """The server's PostgreSQL major version (15 for 15.20)."""
    return int(await conn.scalar(sa.text("SHOW server_version_num"))) // 10000
