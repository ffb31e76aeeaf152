"""The unit of work: one transaction, and what it publishes once it commits."""

from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from ..queries import fetch


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


class Transaction:
    """A unit of work's connection. BEGIN is sent with the first statement, in
    its round trip (a write is a handful of statements, so one round trip
    fewer shows); `end` commits or rolls back what was begun."""

    def __init__(self, conn):
        self.conn, self.begun = conn, False

    def _begin(self, query):
        """The query with BEGIN in front, the first time; BEGIN is sent on its
        own before a first query that is not SQL text."""
        if self.begun:
            return query, False
        self.begun = True
        if isinstance(query, str):
            return "BEGIN; " + query, False
        return query, True

    async def execute(self, query, *multiparams, **params):
        query, begin_first = self._begin(query)
        if begin_first:
            await self.conn.execute("BEGIN")
        return await self.conn.execute(query, *multiparams, **params)

    async def fetch(self, sql: str, params: dict):
        """queries.fetch in this transaction."""
        return await fetch(self.conn, self._begin(sql)[0], params)

    async def scalar(self, query, *multiparams, **params):
        result = await self.execute(query, *multiparams, **params)
        return await result.scalar()

    async def end(self, commit: bool) -> None:
        if self.begun:
            self.begun = False
            await fetch(self.conn, "COMMIT" if commit else "ROLLBACK", {})


@asynccontextmanager
async def unit_of_work(engine, broker):
    """`async with unit_of_work(engine, broker) as work:` → commit → publish.

    The broker sees the messages inside the transaction (`stage`, its last step
    before COMMIT: a NOTIFY commits or rolls back with the data, the memory
    broker takes the transaction's place in commit order) and then exactly one
    of `publish` (committed) or `abandon` (the COMMIT failed or was cut short:
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
                broker.abandon(ticket)
            with suppress(Exception):  # the block's exception is the one to see
                await tx.end(commit=False)
            raise
        if work.messages:
            broker.publish(ticket)
