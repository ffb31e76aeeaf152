"""Documents nearing expiry: DOCUMENT_EXPIRING on each of the configured days
before `expires_on`, DOCUMENT_EXPIRED on the day; each once per document,
threshold and expiry date, the nearest only for a document first seen late.

Pure rules here; the reminder sweeper (services.reminders) claims the
documents and writes what these decide in its transaction."""

from dataclasses import dataclass
from datetime import date, timedelta

from .notifications import NewNotification
from .wording import label

EXPIRED = 0  # the "threshold" of the reminder on the day itself


@dataclass(frozen=True)
class Look:
    """What one look at a document decides: tell (a threshold, or None) and
    when to look next (None: nothing left to tell for this expiry date)."""

    tell: int | None
    next_on: date | None
    days_left: int


def due_threshold(days_left: int, thresholds) -> int | None:
    """The nearest threshold reached: EXPIRED on or after the day, else the
    smallest of those at least days_left away; None before the first."""
    if days_left <= 0:
        return EXPIRED
    reached = [t for t in thresholds if t >= days_left]
    return min(reached) if reached else None


def look(document, today: date, thresholds) -> Look:
    days_left = (document.expires_on - today).days
    due = due_threshold(days_left, thresholds)
    told = (
        document.expiry_notified_days
        if document.expiry_notified_for == document.expires_on
        else None
    )
    tell = due if due is not None and (told is None or told > due) else None
    if due == EXPIRED:
        next_on = None
    else:
        ahead = [t for t in thresholds if t < days_left]
        next_on = document.expires_on - timedelta(days=max(ahead, default=0))
    return Look(tell, next_on, days_left)


def notice(document, seen: Look) -> NewNotification:
    """The reminder of one document; never its number."""
    name = f"{document.first_name} {document.last_name}".strip()
    kind = label(document.kind)
    meta = {
        "document_id": document.id,
        "client_id": document.client_id,
        "visa_application_id": document.visa_application_id,
        "kind": document.kind,
        "expires_on": document.expires_on.isoformat(),
        "days_left": seen.days_left,
    }
    day = document.expires_on.isoformat()
    if seen.tell == EXPIRED:
        kind_of, title = "DOCUMENT_EXPIRED", f"{kind} expired: {name}"
        message = f"{name}'s {kind.lower()} expired on {day}."
    else:
        left = seen.days_left
        kind_of = "DOCUMENT_EXPIRING"
        title = f"{kind} expires in {left} day{'' if left == 1 else 's'}: {name}"
        message = f"{name}'s {kind.lower()} expires on {day}."
    return NewNotification(
        recipient=document.responsible_id,
        notification_type=kind_of,
        title=title,
        message=message,
        meta_info=meta,
    )


def looks(documents, today: date, thresholds):
    """(notifications, looks to record) for a batch of claimed documents."""
    items, records = [], []
    for document in documents:
        seen = look(document, today, thresholds)
        record = {
            "id": document.id,
            "next_reminder_on": seen.next_on,
            "expiry_notified_for": document.expiry_notified_for,
            "expiry_notified_days": document.expiry_notified_days,
        }
        if seen.tell is not None:
            record["expiry_notified_for"] = document.expires_on
            record["expiry_notified_days"] = seen.tell
            if document.responsible_id is not None:
                items.append(notice(document, seen))
        records.append(record)
    return items, records
