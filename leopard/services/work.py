"""The unit of work: one transaction, and what it publishes once it commits."""

from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from ..store.sql import Transaction


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

    The broker sees the messages inside the transaction (`stage`, its last step
    before COMMIT: a NOTIFY commits or rolls back with the data, the memory
    broker takes the transaction's place in commit order) and then exactly one
    of `committed` or `commit_unknown` (the COMMIT failed or was cut short:
    its outcome is unknown). An exception in the block rolls back and
    publishes nothing. (Should the rollback fail too, the pool closes the
    connection: it is not given back in a transaction.)
    """
    async with engine.acquire() as conn:
        tx = Transaction(conn)
        work = Work(tx)
        ticket = None
        try:
            yield work
            if work.messages:
                ticket = await broker.stage(tx, work.messages)
            await tx.end(commit=True)
        except BaseException:
            if ticket is not None:
                # Staged, so it was the COMMIT that failed; first, so that not
                # even a cancelled rollback leaves the ticket waiting.
                broker.commit_unknown(ticket)
            with suppress(Exception):  # the block's exception is the one to see
                await tx.end(commit=False)
            raise
        if work.messages:
            broker.committed(ticket)
