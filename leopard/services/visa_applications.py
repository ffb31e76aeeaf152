"""Visa applications: any signed-in user reads, creates and edits them; admins
delete. Assignments and status changes notify the assignee after commit."""

from ..errors import Invalid, NotFound
from ..office_calendar import DEFAULT
from ..queries import clients as client_queries
from ..queries import visa_applications as q
from ..queries.users import active_user_ids
from ..store.sql import Row
from . import as_actor, notifications, templates
from .history import diff, final, initial
from .permissions import require_admin
from .visa_notifications import on_create, on_update
from .work import unit_of_work

FIELDS = (
    "client_id",
    "visa_type",
    "reference",
    "status",
    "assigned_to",
    "lodged_at",
    "decided_at",
    "notes",
)


def _record(work, row, action: str, changes: dict) -> None:
    work.record(
        f"visa_application:{row.id}", action, changes, case=(row.client_id, row.id)
    )


async def _client(conn, client_id: int):
    """The application's client, kept from deletion until commit; 422 if absent."""
    try:
        return await client_queries.get_client(conn, client_id, key_share=True)
    except NotFound:
        raise Invalid(
            "invalid field values", {"client_id": [f"no client with id {client_id}"]}
        ) from None


async def _check_assignee(conn, user_id: int) -> None:
    if not await active_user_ids(conn, [user_id]):
        raise Invalid(
            "invalid field values",
            {"assigned_to": [f"no active user with id {user_id}"]},
        )


async def list_visa_applications(engine, actor, query: dict):
    """A page of applications, newest first; `assigned_to="me"` is the actor."""
    query = as_actor(query, actor, "assigned_to")
    async with engine.acquire() as conn:
        return await q.list_applications(conn, **query)


async def get_visa_application(engine, application_id: int):
    """The application, or NotFound."""
    async with engine.acquire() as conn:
        return await q.get_application(conn, application_id)


async def create_visa_application(engine, broker, actor, data: dict, calendar=DEFAULT):
    """Insert an application of an existing client, assigned to an active user
    or nobody; the assignee (unless the actor) gets VISA_APPLICATION_ASSIGNED,
    and the templates for its type and status make their tasks."""
    async with unit_of_work(engine, broker, actor) as work:
        client = await _client(work.conn, data["client_id"])
        if data.get("assigned_to") is not None:
            await _check_assignee(work.conn, data["assigned_to"])
        row = await q.insert_application(work.conn, **data)
        _record(work, row, "created", initial(row, FIELDS))
        notes = on_create(actor, client, row)
        notes += await templates.run_templates(work, calendar, actor, row)
        await notifications.create_notifications(work, notes)
        row = await _with_checklist(work.conn, row)
    return row


async def _with_checklist(conn, row):
    return Row({**row, "checklist": await q.checklist_of(conn, row.id)})


async def update_visa_application(
    engine, broker, actor, application_id: int, data: dict, calendar=DEFAULT
):
    """Change the fields given; see visa_notifications.on_update for who is told.

    client_id may change, to an existing client. A new assignee must be an
    active user; keeping the current one is always allowed.
    """
    async with unit_of_work(engine, broker, actor) as work:
        # Locked, so that concurrent changes see each other's status and assignee.
        before = await q.get_application(work.conn, application_id, lock=True)
        if not data:
            return await _with_checklist(work.conn, before)
        client = await _client(work.conn, data.get("client_id", before.client_id))
        if data.get("assigned_to") not in (None, before.assigned_to):
            await _check_assignee(work.conn, data["assigned_to"])
        after = await q.update_application(work.conn, application_id, **data)
        changes = diff(before, after, FIELDS)
        if changes:
            action = "assigned" if set(changes) == {"assigned_to"} else "changed"
            _record(work, after, action, changes)
        notes = on_update(actor, client, before, after)
        if after.status != before.status:
            notes += await templates.run_templates(work, calendar, actor, after)
        await notifications.create_notifications(work, notes)
        after = await _with_checklist(work.conn, after)
    return after


async def delete_visa_application(engine, actor, application_id: int) -> None:
    """Delete an application (admins only).

    Tasks about it keep their client and lose the link (their foreign key is
    ON DELETE SET NULL); were a reference ever to refuse the delete, Conflict.
    """
    require_admin(actor, "delete a visa application")
    async with unit_of_work(engine, actor=actor) as work:
        row = await q.get_application(work.conn, application_id, lock=True)
        await q.delete_application(work.conn, application_id)
        _record(work, row, "deleted", final(row, FIELDS))
