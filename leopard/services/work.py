"""The unit of work: one transaction, and what it publishes once it commits."""

from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class Work:
    """Passed to the queries and services of one transaction.

    `tell` queues a stream event; nothing is published unless the transaction
    commits, and then in the order told.
    """

    conn: object
    messages: list = field(default_factory=list)

    def tell(self, user_id: int, event) -> None:
        self.messages.append((user_id, event))


@asynccontextmanager
async def unit_of_work(engine, broker):
    """`async with unit_of_work(engine, broker) as work:` → commit → publish.

    The broker sees the messages twice: inside the transaction (`stage`, where a
    NOTIFY commits or rolls back with the data) and after the commit (`publish`).
    An exception in the block rolls back and publishes nothing.
    """
    async with engine.acquire() as conn:
        work = Work(conn)
        async with conn.begin():
            yield work
            if work.messages:
                await broker.stage(conn, work.messages)
    if work.messages:
        await broker.publish(work.messages)
