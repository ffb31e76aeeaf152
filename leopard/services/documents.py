"""A client's documents: everyone reads, adds and changes them; admins delete.

A document with an expiry date is looked at by the reminder sweeper from
`next_reminder_on` on; a new expiry date (a renewal) sets it again, which
arms the reminders for the new date."""

from datetime import timedelta

from ..errors import Invalid, NotFound
from ..queries import documents as q
from ..queries.clients import get_client
from ..queries.users import active_user_ids
from . import as_actor
from .history import diff, final, initial
from .permissions import require_admin
from .work import unit_of_work

FIELDS = (
    "client_id",
    "visa_application_id",
    "kind",
    "number",
    "issued_on",
    "expires_on",
    "responsible_id",
    "notes",
)


def _record(work, document, action: str, changes: dict) -> None:
    work.record(
        f"document:{document.id}",
        action,
        changes,
        case=(document.client_id, document.visa_application_id),
    )


def first_look(expires_on, thresholds) -> dict:
    """When the sweeper first looks at a document expiring on `expires_on`:
    the farthest threshold before it (the sweep sends only the nearest one
    that is due, so a date already past is fine)."""
    if expires_on is None:
        return {"next_reminder_on": None}
    return {"next_reminder_on": expires_on - timedelta(days=max(thresholds))}


async def _checked(conn, before, changes: dict) -> dict:
    """The changes checked against the database; Invalid names each bad field."""
    errors = {}
    client = changes.get("client_id", before.client_id if before else None)
    if "client_id" in changes:
        try:  # kept from being deleted until this commits
            await get_client(conn, client, key_share=True)
        except NotFound:
            errors["client_id"] = [f"no client with id {client}"]
    application = changes.get(
        "visa_application_id", before.visa_application_id if before else None
    )
    if (
        application is not None
        and {"client_id", "visa_application_id"} & changes.keys()
    ):
        found = await q.application_of(conn, application)
        if found is None:
            errors["visa_application_id"] = [
                f"no visa application with id {application}"
            ]
        elif found.client_id != client and "client_id" not in errors:
            errors["visa_application_id"] = [
                f"visa application {application} belongs to client "
                f"{found.client_id}, not to client {client}"
            ]
    responsible = changes.get("responsible_id")
    if responsible is not None and not await active_user_ids(conn, [responsible]):
        errors["responsible_id"] = [f"no active user with id {responsible}"]
    issued = changes.get("issued_on", before.issued_on if before else None)
    expires = changes.get("expires_on", before.expires_on if before else None)
    if issued and expires and expires < issued:
        errors["expires_on"] = ["must not be before issued_on"]
    if errors:
        raise Invalid("invalid field values", errors)
    return changes


async def create_document(engine, actor, data: dict, thresholds):
    """A new document; responsible: as given, else the visa application's
    assignee, else the creator."""
    async with unit_of_work(engine, actor=actor) as work:
        values = await _checked(work.conn, None, data)
        if values.get("responsible_id") is None:
            values["responsible_id"] = await _default_responsible(
                work.conn, actor, values.get("visa_application_id")
            )
        values.update(first_look(values.get("expires_on"), thresholds))
        document = await q.insert_document(work.conn, created_by=actor.id, **values)
        _record(work, document, "created", initial(document, FIELDS))
    return document


async def _default_responsible(conn, actor, application_id):
    if application_id is not None:
        found = await q.application_of(conn, application_id)
        if found is not None and found.assigned_to is not None:
            return found.assigned_to
    return actor.id


async def update_document(engine, actor, document_id: int, data: dict, thresholds):
    """Change the fields given; values equal to the current ones are no change."""
    async with unit_of_work(engine, actor=actor) as work:
        before = await q.get_document(work.conn, document_id, lock=True)
        changes = {k: v for k, v in data.items() if before[k] != v}
        if not changes:
            return before
        changes = await _checked(work.conn, before, changes)
        if "expires_on" in changes:
            changes.update(first_look(changes["expires_on"], thresholds))
        after = await q.update_document(work.conn, document_id, **changes)
        _record(work, after, "changed", diff(before, after, FIELDS))
    return after


async def get_document(engine, document_id: int):
    async with engine.acquire() as conn:
        return await q.get_document(conn, document_id)


async def list_documents(engine, actor, query: dict):
    """(rows, count) of a page; `me` as the responsible user is the actor."""
    query = as_actor(query, actor, "responsible_id")
    async with engine.acquire() as conn:
        return await q.list_documents(conn, **query)


async def delete_document(engine, actor, document_id: int) -> None:
    require_admin(actor, "delete a document")
    async with unit_of_work(engine, actor=actor) as work:
        document = await q.get_document(work.conn, document_id, lock=True)
        await q.delete_document(work.conn, document_id)
        _record(work, document, "deleted", final(document, FIELDS))
