"""A case's history: the entries the services record with each change (see
Work.record), and reading them back for a client, an application, a document or
a task, as JSON pages or as CSV for the client's file."""

import csv
import io
from datetime import date, datetime

import orjson

from ..errors import NotFound
from ..queries import history as q

# A document's number is personal data: the history keeps that it changed.
MASKED = {"number": "***"}
# Cells a spreadsheet would run as a formula begin with one of these.
FORMULA = ("=", "+", "-", "@")
HEADER = ("id", "at", "actor_id", "subject", "action", "changes", "recipient_id")


def plain(value):
    """A value as JSON has it: moments and days as ISO 8601."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _masked(name, value):
    return MASKED[name] if name in MASKED and value not in (None, "") else plain(value)


def initial(row, names) -> dict:
    """{field: [null, value]} of a new row's fields that hold something."""
    return {
        name: [None, _masked(name, row[name])]
        for name in names
        if row[name] not in (None, "", [])
    }


def diff(before, after, names) -> dict:
    """{field: [old, new]} of the fields whose value changed."""
    return {
        name: [_masked(name, before[name]), _masked(name, after[name])]
        for name in names
        if before[name] != after[name]
    }


def final(row, names) -> dict:
    """{field: [value, null]} of a deleted row's fields that held something."""
    return {name: pair[::-1] for name, pair in initial(row, names).items()}


async def history_of(engine, kind: str, entity_id: int, *, limit=None, offset=0):
    """(entries oldest first, count) of a client's, an application's, a
    document's or a task's history (every entry without a limit); NotFound for
    an id that never existed (a deleted one keeps its history)."""
    async with engine.acquire() as conn:
        if not await q.known(conn, kind, entity_id):
            raise NotFound(f"no {kind.replace('_', ' ')} with id {entity_id}")
        where = q.scope(kind, entity_id)
        return await q.list_entries(conn, where, limit=limit, offset=offset)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A leading quote keeps a spreadsheet from running what would be a formula.
    return "'" + text if text.startswith(FORMULA) else text


def as_csv(entries) -> str:
    """The entries as CSV for a spreadsheet: a header row, one entry a line,
    `changes` as JSON, no cell that a spreadsheet would run."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for entry in entries:
        writer.writerow(
            [
                _cell(entry.id),
                _cell(entry.at.isoformat()),
                _cell(entry.actor_id),
                _cell(entry.subject),
                _cell(entry.action),
                _cell(orjson.dumps(entry.changes).decode()),
                _cell(entry.recipient_id),
            ]
        )
    return out.getvalue()
