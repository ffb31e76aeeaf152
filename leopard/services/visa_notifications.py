"""Who hears of a change to a visa application, and in what words.

Pure functions from rows to NewNotification items, so the rules read in one
place; the caller writes them in its transaction. Nobody is told of their own
act.
"""

from .notifications import NewNotification
from .wording import label, person


def _about(client, row) -> str:
    return f"{client.first_name} {client.last_name} – {row.visa_type}"


def _meta(row, **extra) -> dict:
    return {"visa_application_id": row.id, "client_id": row.client_id, **extra}


def _assigned(actor, client, row, old_status=None) -> NewNotification:
    message = f"{person(actor)} assigned you this application"
    extra = {"status": row.status}
    if old_status is None:
        message += f" (status: {label(row.status)})."
    else:
        message += (
            f" and changed its status from {label(old_status)} to {label(row.status)}."
        )
        extra.update(old_status=old_status, new_status=row.status)
    return NewNotification(
        recipient=row.assigned_to,
        notification_type="VISA_APPLICATION_ASSIGNED",
        title=f"Visa application assigned: {_about(client, row)}",
        message=message,
        meta_info=_meta(row, **extra),
    )


def _status_update(actor, client, row, old_status) -> NewNotification:
    return NewNotification(
        recipient=row.assigned_to,
        notification_type="VISA_STATUS_UPDATE",
        title=f"Visa status updated: {_about(client, row)}",
        message=(
            f"{person(actor)} changed the status from {label(old_status)}"
            f" to {label(row.status)}."
        ),
        meta_info=_meta(row, old_status=old_status, new_status=row.status),
    )


def on_create(actor, client, row) -> list[NewNotification]:
    """Created with an assignee other than the actor → VISA_APPLICATION_ASSIGNED."""
    if row.assigned_to is None or row.assigned_to == actor.id:
        return []
    return [_assigned(actor, client, row)]


def on_update(actor, client, before, after) -> list[NewNotification]:
    """A new assignee → VISA_APPLICATION_ASSIGNED; else a new status →
    VISA_STATUS_UPDATE to the assignee.

    A change that does both tells the new assignee once, with an assignment
    that carries the old and new status; the previous assignee is not told.
    """
    if after.assigned_to is None or after.assigned_to == actor.id:
        return []
    changed = after.status != before.status
    old_status = before.status if changed else None
    if after.assigned_to != before.assigned_to:
        return [_assigned(actor, client, after, old_status)]
    if changed:
        return [_status_update(actor, client, after, old_status)]
    return []
