"""Two and three Leopard processes sweeping one database at once: each
document's reminder is sent once, however their batches overlap. Each
"process" is its own engine (connection pool) and broker."""

import asyncio
import contextlib
import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from leopard.services import reminders as service
from leopard.store.db import open_engine

from ..support.common import Recorder

THRESHOLDS = (180, 90, 30, 7)
PEOPLE = """
INSERT INTO users (username, password_hash)
SELECT %(prefix)s || g, 'not a hash' FROM generate_series(1, %(n)s) AS g
RETURNING id
"""
CLIENT = (
    "INSERT INTO clients (first_name, last_name) VALUES ('Ana', 'Ruiz') RETURNING id"
)
DOCUMENT = """
INSERT INTO documents (client_id, kind, expires_on, responsible_id, next_reminder_on)
VALUES (%(client)s, 'PASSPORT', %(expires)s, %(person)s, %(expires)s - 180)
RETURNING id
"""
SENT = """
SELECT (meta_info->>'document_id')::bigint AS document, notification_type AS kind
FROM notifications WHERE assigned_to = ANY(%(people)s)
"""


def expected_reminder(days_left: int) -> str | None:
    """By the contract's words, apart from the code under test."""
    if days_left <= 0:
        return "DOCUMENT_EXPIRED"
    return "DOCUMENT_EXPIRING" if days_left <= max(THRESHOLDS) else None


async def documents(engine, n: int):
    """n documents of new people, expiring from 5 days ago to 200 days on:
    (people, {document id: the reminder it must get, or None})."""
    today = datetime.now(UTC).date()
    async with engine.acquire() as conn:
        prefix = f"doc_{uuid.uuid4().hex[:8]}_"
        result = await conn.execute(PEOPLE, {"prefix": prefix, "n": 5})
        people = [row.id for row in await result.fetchall()]
        client = await conn.scalar(CLIENT)
        expected = {}
        for i in range(n):
            days_left = random.randint(-5, 200)
            values = {
                "client": client,
                "expires": today + timedelta(days=days_left),
                "person": people[i % len(people)],
            }
            expected[await conn.scalar(DOCUMENT, values)] = expected_reminder(days_left)
    return people, expected


@pytest.mark.parametrize("processes", [2, 3])
async def test_processes_sweeping_at_once_send_each_document_reminder_once(
    database_url, settings, processes
):
    async with contextlib.AsyncExitStack() as stack:
        engines = [
            await stack.enter_async_context(open_engine(database_url, maxsize=4))
            for _ in range(processes)
        ]
        for _ in range(10):
            people, expected = await documents(engines[0], 60)
            brokers = [Recorder() for _ in engines]
            sweeps = [
                service.sweep(engine, broker, settings, batch=7)
                for engine, broker in zip(engines, brokers, strict=True)
            ] * 2
            random.shuffle(sweeps)
            await asyncio.gather(*sweeps)
            async with engines[0].acquire() as conn:
                result = await conn.execute(SENT, {"people": people})
                sent = [(r.document, r.kind) for r in await result.fetchall()]
            wanted = {doc: kind for doc, kind in expected.items() if kind}
            assert len(sent) == len(wanted), "a reminder sent twice or not at all"
            assert dict(sent) == wanted
            published = [e for b in brokers for u, e in b.published if u in people]
            assert len(published) == len(wanted)
