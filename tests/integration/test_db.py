"""The engine: no client timer per query, TCP watching the server instead."""

from leopard.store.db import TCP_USER_TIMEOUT_MS, open_engine


async def test_queries_wait_on_no_client_timer(database_url):
    async with open_engine(database_url, maxsize=2) as engine:
        async with engine.acquire() as conn:
            raw = conn.connection
            assert raw.timeout is None  # aiopg: no asyncio.wait_for per query
            cursor = await raw.cursor()
            try:
                assert cursor.timeout is None
            finally:
                cursor.close()
            params = raw.raw.get_dsn_parameters()
            assert params["keepalives"] == "1"
            assert params["tcp_user_timeout"] == str(TCP_USER_TIMEOUT_MS)
            assert await conn.scalar("SELECT 1") == 1
