"""Forward-only SQL migrations from schema/NNNN_name.sql, one transaction each."""

import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("leopard.migrations")

# Any fixed number: every Leopard process that migrates takes the same lock.
LOCK_KEY = 0x1E0BA2D
FILENAME = re.compile(r"^(\d{4})_([\w-]+)\.sql$")


class MigrationError(Exception):
    """The database cannot be brought to the code's schema (it is ahead, or broken)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def schema_dir() -> Path:
    source = Path(__file__).resolve().parents[2] / "schema"
    if source.is_dir():
        return source
    return Path(sys.prefix) / "share" / "leopard" / "schema"


def load(directory: Path | None = None) -> list[Migration]:
    found = []
    for path in sorted((directory or schema_dir()).glob("*.sql")):
        match = FILENAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: not named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], path.read_text()))
    versions = [m.version for m in found]
    # Increasing and unique, but gaps allowed: branches are given their numbers
    # in advance and merged in any order, so one may land before a lower one.
    if versions != sorted(set(versions)) or 0 in versions:
        raise MigrationError(
            f"migrations must have distinct numbers from 0001 up: {versions}"
        )
    return found


async def migrate(engine, migrations: list[Migration] | None = None) -> list[int]:
    """Apply what is pending; return the versions applied.

    A session-level advisory lock serialises processes that start together: the
    second waits, then finds nothing left to do.
    """
    migrations = load() if migrations is None else migrations
    async with engine.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version integer PRIMARY KEY, name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            rows = await conn.execute("SELECT version FROM schema_migrations")
            done = {row.version async for row in rows}
            known = {m.version for m in migrations}
            if done - known:
                raise MigrationError(
                    f"the database is at schema version {max(done)}, ahead of this "
                    f"code ({max(known, default=0)}); upgrade Leopard"
                )
            applied = []
            for m in migrations:
                if m.version in done:
                    continue
                async with conn.begin():
                    # A raw cursor: no parameters, so a '%' in the SQL stays as is.
                    cursor = await conn.connection.cursor()
                    try:
                        await cursor.execute(m.sql)
                    finally:
                        cursor.close()
                    await conn.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                        (m.version, m.name),
                    )
                log.info("applied migration %04d_%s", m.version, m.name)
                applied.append(m.version)
            return applied
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
