"""The words notifications are written in: the labels and names the inbox
shows elsewhere, never raw codes or usernames where a person reads them."""

from datetime import UTC, datetime


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


def moment(value: datetime) -> str:
    """2030-01-02 03:04 UTC: the server does not know the reader's time zone."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
