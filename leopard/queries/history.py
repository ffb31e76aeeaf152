"""The history: entries written in the transaction of what they tell, and the
entries of a subject or a case, stored and derived.

A "notified" entry is written by the statement that inserts its notification
(`notified_from`); the notification's later facts are read from it while it
exists (`_facts`), and stored under the same ids when it is deleted or read
undone (`archive_*`)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

from ..store.sql import Shapes
from ..store.tables import clients, documents, tasks, visa_applications
from ..store.tables import history as h
from ..store.tables import notifications as n

TABLES = {
    "client": clients,
    "visa_application": visa_applications,
    "document": documents,
    "task": tasks,
}

# What a notification's meta_info may name, for its subject.
SUBJECT_KEYS = ("task_id", "document_id", "visa_application_id", "client_id")
# A notified entry's facts: their id after the entry's, the notification's
# column that dates them, and whether the recipient is their actor.
FACTS = (("delivered", 1, "delivered_at", False), ("read", 2, "read_at", True))
FACTS += (("emailed", 3, "emailed_at", False),)
SHOWN = (
    h.c.id,
    h.c.at,
    h.c.actor_id,
    h.c.subject,
    h.c.action,
    h.c.changes,
    h.c.recipient_id,
)


ENTRY = (
    "actor_id",
    "subject",
    "action",
    "changes",
    "recipient_id",
    "client_id",
    "visa_application_id",
)


def entries_insert(count: int) -> list:
    """The INSERT of `count` entries, its values named by entries_values: a
    statement to run alone or before others in one round trip."""
    rows = [
        {name: sa.bindparam(f"e{i}_{name}", type_=h.c[name].type) for name in ENTRY}
        for i in range(count)
    ]
    return [h.insert().values(rows)]


def entries_values(entries) -> dict:
    return {f"e{i}_{k}": v for i, e in enumerate(entries) for k, v in e.items()}


# Compiled once per number of entries: nearly every change writes one.
INSERT = Shapes(entries_insert, limit=32)


async def insert_entries(conn, entries: list[dict]) -> None:
    """Entries {actor_id, subject, action, changes, recipient_id, client_id,
    visa_application_id}, in one statement."""
    if entries:
        await INSERT(len(entries)).rows(conn, **entries_values(entries))


def constant(value: str):
    """A constant written into the statement, not sent as a parameter: the
    notifications' INSERT runs on every change, and each parameter costs
    its conversion and its quoting on every run."""
    return sa.literal_column("'" + value.replace("'", "''") + "'", sa.Text)


def _number(meta, key):
    return sa.func.jsonb_typeof(meta[constant(key)]) == constant("number")


def subject_of(meta):
    """What a notification is about, from its meta_info: its task, else its
    document, else its visa application, else its client; null when none."""
    kinds = ("task", "document", "visa_application", "client")
    return sa.case(
        *(
            (
                _number(meta, f"{kind}_id"),
                constant(f"{kind}:") + meta[constant(f"{kind}_id")].astext,
            )
            for kind in kinds
        )
    )


def _case_id(meta, key):
    return sa.case((_number(meta, key), meta[constant(key)].astext.cast(sa.BigInteger)))


NOTIFIED = (
    "at",
    "actor_id",
    "subject",
    "action",
    "recipient_id",
    "notification_id",
    "client_id",
    "visa_application_id",
    "changes",
)


def _recorded(count: int):
    """The `count` entries a change recorded, from the values entries_values
    names, as rows of NOTIFIED's columns."""
    names = ("actor_id", "subject", "action", "recipient_id")
    names += ("notification_id", "client_id", "visa_application_id", "changes")

    def value(i, name):
        if name == "notification_id":
            return sa.cast(sa.null(), sa.BigInteger)
        column = h.c[name]
        return sa.cast(sa.bindparam(f"e{i}_{name}", type_=column.type), column.type)

    given = sa.values(
        *(sa.column(name, h.c[name].type) for name in names), name="recorded"
    ).data([tuple(value(i, name) for name in names) for i in range(count)])
    return sa.select(sa.func.now(), *(given.c[name] for name in names))


def notified_from(inserted, actor_id, recorded=0):
    """One INSERT of the `recorded` entries a change recorded (a count of
    entries valued by entries_values, or a SELECT of NOTIFIED's columns) and
    of a "notified" entry for each inserted notification (a CTE of
    `notifications` rows) that is about something, in that order: one
    statement, so the history's constraints are prepared once."""
    meta = inserted.c.meta_info
    subject = subject_of(meta)
    rows = sa.select(
        inserted.c.created_at,
        actor_id,
        subject,
        constant("notified"),
        inserted.c.assigned_to,
        inserted.c.id,
        _case_id(meta, "client_id"),
        _case_id(meta, "visa_application_id"),
        sa.cast(constant("{}"), JSONB),
    ).where(subject.isnot(None))
    if isinstance(recorded, int):
        recorded = _recorded(recorded) if recorded else None
    if recorded is not None:
        # UNION ALL runs its branches in order: the recorded entries take
        # their ids first, as they came first.
        rows = sa.union_all(recorded, rows)
    return h.insert().from_select(list(NOTIFIED), rows)


STORED = ("id", "at", "actor_id", "subject", "action", "recipient_id")
STORED += ("notification_id", "client_id", "visa_application_id")


def _stored_facts(notes, facts):
    """An INSERT of facts of the notifications `notes` (a CTE of their rows as
    they were), each under its id: `facts` lists (action, id step, column,
    actor is the recipient) and whether the id is a new one."""
    parts = []
    for action, step, column, by_recipient, new_id in facts:
        at = notes.c[column]
        parts.append(
            sa.select(
                sa.func.nextval("history_id_seq") if new_id else h.c.id + step,
                at,
                h.c.recipient_id if by_recipient else sa.null(),
                h.c.subject,
                sa.literal(action),
                h.c.recipient_id,
                h.c.notification_id,
                h.c.client_id,
                h.c.visa_application_id,
            )
            .select_from(h.join(notes, notes.c.id == h.c.notification_id))
            .where(h.c.action == "notified", at.isnot(None))
        )
    return h.insert().from_select(list(STORED), sa.union_all(*parts))


def keep_facts(notes):
    """Before notifications are deleted: their facts, under the ids shown."""
    return _stored_facts(notes, [(*fact, False) for fact in FACTS])


def keep_reads(notes):
    """Before a read is undone: that read, under an id of its own (a later read
    of the notification is another entry, shown under the read's id)."""
    return _stored_facts(notes, [(*FACTS[1], True)])


def _facts(where):
    """The facts of the notified entries matching `where` whose notification
    still exists, as entries: (id, at, actor_id, subject, action, changes,
    recipient_id)."""
    parts = []
    for action, step, column, by_recipient in FACTS:
        at = n.c[column]
        parts.append(
            sa.select(
                (h.c.id + step).label("id"),
                at.label("at"),
                (h.c.recipient_id if by_recipient else sa.null()).label("actor_id"),
                h.c.subject,
                sa.literal(action).label("action"),
                sa.cast(sa.literal("{}"), JSONB).label("changes"),
                h.c.recipient_id,
            )
            .select_from(h.join(n, n.c.id == h.c.notification_id))
            .where(where, h.c.action == "notified", at.isnot(None))
        )
    return parts


def _entries(where):
    stored = sa.select(*SHOWN).where(where)
    return sa.union_all(stored, *_facts(where)).subquery("entries")


def scope(kind: str, value):
    """The entries of a subject ("task:7") or of a case (a client's, an
    application's: everything about it)."""
    if kind == "client":
        return h.c.client_id == value
    if kind == "visa_application":
        return h.c.visa_application_id == value
    return h.c.subject == f"{kind}:{value}"


async def list_entries(conn, where, *, limit=None, offset=0):
    """(entries oldest first, count): by time, then id."""
    entries = _entries(where)
    count = await conn.scalar(sa.select(sa.func.count()).select_from(entries))
    query = sa.select(entries).order_by(entries.c.at, entries.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return await (await conn.execute(query)).fetchall(), count


async def known(conn, kind: str, entity_id: int) -> bool:
    """The subject exists, or did: its history has an entry."""
    table = TABLES[kind]
    if await conn.scalar(sa.select(table.c.id).where(table.c.id == entity_id)):
        return True
    subject = f"{kind}:{entity_id}"
    query = sa.select(h.c.id).where(h.c.subject == subject).limit(1)
    return await conn.scalar(query) is not None
