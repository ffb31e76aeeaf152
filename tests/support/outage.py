"""A real database outage for the sweeper tests: new connections refused and
the open ones cut, all but the test's own."""

from leopard.store.db import admin_sql


def fetch(conn, sql: str, params=None) -> list:
    """Rows of sql on a plain psycopg2 connection (none for a statement)."""
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else []


def outage(server_url: str, name: str, keep_pid: int) -> None:
    """Refuse new connections to the database and cut all but keep_pid's."""
    admin_sql(server_url, f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
    admin_sql(
        server_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        f" WHERE datname = '{name}' AND pid <> {keep_pid}",
    )
