"""The unit of work: one transaction, and what it publishes once it commits."""

from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from .. import metrics
from ..queries import history
from ..store.sql import Transaction


@dataclass
class Work:
    """Passed to the queries and services of one transaction.

    `tell` queues a stream event; nothing is published unless the transaction
    commits, and then in the order told.
    """

    conn: object
    messages: list = field(default_factory=list)
    actor_id: int | None = None  # whose request this is; None: Leopard's own
    entries: list = field(default_factory=list)
    written: list = field(default_factory=list)  # the entries' actions, once written

    def tell(self, user_id: int, event) -> None:
        self.messages.append((user_id, event))

    def record(
        self,
        subject: str,
        action: str,
        changes: dict | None = None,
        *,
        case: tuple = (None, None),
        recipient_id: int | None = None,
        actor_id=...,
    ) -> None:
        """A history entry, written in the transaction (before the
        notifications it leads to, or at the end): `subject` "task:7", `case`
        (client_id, visa_application_id) it belongs to, the actor by default
        the unit of work's."""
        self.entries.append(
            {
                "actor_id": self.actor_id if actor_id is ... else actor_id,
                "subject": subject,
                "action": action,
                "changes": changes or {},
                "recipient_id": recipient_id,
                "client_id": case[0],
                "visa_application_id": case[1],
            }
        )

    def take_entries(self) -> list:
        """The entries recorded so far, for a statement that writes them (the
        notifications' INSERT takes them, so they come before the "notified"
        entries it writes, in its round trip); they count as written."""
        entries, self.entries = self.entries, []
        self.written += [entry["action"] for entry in entries]
        return entries

    async def flush(self) -> None:
        """Write the entries recorded and not yet taken."""
        await history.insert_entries(self.conn, self.take_entries())


@asynccontextmanager
async def unit_of_work(engine, broker=None, actor=None):
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
        work = Work(tx, actor_id=actor.id if actor is not None else None)
        ticket = None
        try:
            yield work
            await work.flush()
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
        metrics.history_written(work.written)
