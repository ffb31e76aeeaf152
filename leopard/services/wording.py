"""The words notifications are written in: the labels and names the inbox
shows elsewhere, never raw codes or usernames where a person reads them."""

from datetime import datetime

from ..office_calendar import DEFAULT


def label(code: str) -> str:
    """TO_BE_APPLIED → "To be applied", IN_PROGRESS → "In progress"."""
    return code.replace("_", " ").capitalize()


def person(user) -> str:
    """A user as people call them: the full name, else the username."""
    return (
        getattr(user, "full_name", None)
        or getattr(user, "username", None)
        or f"user {user.id}"
    )


def moment(value: datetime, calendar=DEFAULT) -> str:
    """2030-01-02 14:04 AEDT: as the office's clocks show it."""
    return calendar.words(value)
