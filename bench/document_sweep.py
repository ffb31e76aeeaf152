"""`python -m bench.document_sweep [--documents N] [--sweeps K] [--database URL]`

How long one reminder sweep takes with many documents on file: N documents
(default 100,000) of 1,000 clients, expiring from two years ago to five years
ahead, in the state a running office keeps them (each looked at up to today:
`next_reminder_on` in the future, or null once expired), plus the documents
whose reminder is due today. Each sweep runs against the real database
through services.reminders.sweep, as the sweeper does; the tasks table is
empty, so the time is the documents' part. Prints one JSON line.

Without --database it uses the PostgreSQL at 127.0.0.1:5432 (user postgres)
and a database of its own, `leopard_bench_docs`, dropped afterwards.
"""

import argparse
import asyncio
import json
import statistics
import time

from leopard.config import load_settings
from leopard.services import reminders
from leopard.store.db import admin_sql, open_engine, with_database
from leopard.store.migrations import migrate

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
NAME = "leopard_bench_docs"

FILL = """
INSERT INTO users (username, password_hash) VALUES ('bench_docs', 'x') RETURNING id
"""
CLIENTS = """
INSERT INTO clients (first_name, last_name)
SELECT 'Client', 'No ' || g FROM generate_series(1, 1000) AS g
"""
# Expiries spread evenly from 730 days ago to 1,825 days ahead. A document
# already looked at today has its next look ahead (the next threshold in
# 180, 90, 30, 7), or none once expired: what sweeps leave behind.
DOCUMENTS = """
INSERT INTO documents (client_id, kind, expires_on, responsible_id,
                       expiry_notified_for, expiry_notified_days, next_reminder_on)
SELECT c.first_id + mod(g, 1000), 'PASSPORT', e.expires_on, %(user)s,
       CASE WHEN e.left <= 180 THEN e.expires_on END,
       CASE WHEN e.left <= 0 THEN 0 WHEN e.left <= 7 THEN 7 WHEN e.left <= 30 THEN 30
            WHEN e.left <= 90 THEN 90 WHEN e.left <= 180 THEN 180 END,
       CASE WHEN e.left <= 0 THEN NULL
            WHEN e.left <= 7 THEN e.expires_on
            WHEN e.left <= 30 THEN e.expires_on - 7
            WHEN e.left <= 90 THEN e.expires_on - 30
            WHEN e.left <= 180 THEN e.expires_on - 90
            ELSE e.expires_on - 180 END
FROM generate_series(1, %(n)s) AS g,
     (SELECT min(id) AS first_id FROM clients) AS c,
     LATERAL (SELECT current_date - 730 + (g * 2555 / %(n)s) AS expires_on) AS d,
     LATERAL (SELECT d.expires_on, d.expires_on - current_date AS left) AS e
"""
# A day's worth of new looks: documents whose next reminder falls today.
DUE_TODAY = """
UPDATE documents SET next_reminder_on = current_date
WHERE id IN (SELECT id FROM documents WHERE next_reminder_on > current_date
             ORDER BY random() LIMIT %(n)s)
"""


class Quiet:
    """A broker that publishes nowhere: the sweep's own cost is measured."""

    async def stage(self, conn, messages):
        return messages

    def committed(self, ticket):
        pass

    def commit_unknown(self, ticket):
        raise RuntimeError("a commit failed")


async def main(args) -> dict:
    admin_sql(args.server, f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    admin_sql(args.server, f'CREATE DATABASE "{NAME}"')
    url = with_database(args.server, NAME)
    try:
        async with open_engine(url, maxsize=2) as engine:
            await migrate(engine)
            async with engine.acquire() as conn:
                user = await conn.scalar(FILL)
                await conn.execute(CLIENTS)
                await conn.execute(DOCUMENTS, {"user": user, "n": args.documents})
                await conn.execute("ANALYZE documents")
            settings = load_settings({"LEOPARD_DATA_DIR": "/tmp"})
            steady, due = [], []
            for _ in range(args.sweeps):
                started = time.perf_counter()
                await reminders.sweep(engine, Quiet(), settings)
                steady.append(time.perf_counter() - started)
            for _ in range(args.sweeps):
                async with engine.acquire() as conn:
                    await conn.execute(DUE_TODAY, {"n": args.due})
                started = time.perf_counter()
                await reminders.sweep(engine, Quiet(), settings)
                due.append(time.perf_counter() - started)
            async with engine.acquire() as conn:
                left = await conn.scalar(
                    "SELECT count(*) FROM documents"
                    " WHERE next_reminder_on <= current_date"
                )
    finally:
        admin_sql(args.server, f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
    ms = lambda xs: round(statistics.median(xs) * 1000, 2)  # noqa: E731
    return {
        "scenario": "document_sweep",
        "documents": args.documents,
        "sweeps": args.sweeps,
        "nothing_due_ms_median": ms(steady),
        "nothing_due_ms_max": round(max(steady) * 1000, 2),
        "due_per_sweep": args.due,
        "due_ms_median": ms(due),
        "due_ms_max": round(max(due) * 1000, 2),
        "left_due_after": left,
    }


def parse(argv=None):
    p = argparse.ArgumentParser(prog="bench.document_sweep", description=__doc__)
    p.add_argument("--documents", type=int, default=100_000)
    p.add_argument("--sweeps", type=int, default=20)
    p.add_argument("--due", type=int, default=100, help="documents due per sweep")
    p.add_argument("--database", dest="server", default=SERVER)
    return p.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(parse()))))
