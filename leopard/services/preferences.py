"""Each user's notification preferences: what they never want to hear about,
and what reaches them by email when it stays unread."""

from ..queries import preferences as q
from ..vocabulary import (
    EMAIL_AFTER_MINUTES_DEFAULT,
    EMAIL_TYPES_DEFAULT,
    NOTIFICATION_TYPES,
)

DEFAULTS = {
    "muted_types": [],
    "email_enabled": False,
    "email_types": list(EMAIL_TYPES_DEFAULT),
    "email_after_minutes": EMAIL_AFTER_MINUTES_DEFAULT,
}
# The API's nested `email` object ↔ the table's columns.
EMAIL_FIELDS = {
    "enabled": "email_enabled",
    "types": "email_types",
    "after_minutes": "email_after_minutes",
}


def _in_order(types) -> list[str]:
    """Each type once, in the vocabulary's order: what was chosen, not how."""
    chosen = set(types)
    return [name for name in NOTIFICATION_TYPES if name in chosen]


def _answer(row) -> dict:
    values = DEFAULTS if row is None else row
    return {
        "muted_types": _in_order(values["muted_types"]),
        "email": {name: values[column] for name, column in EMAIL_FIELDS.items()},
    }


async def get_preferences(engine, user_id: int) -> dict:
    """`{"muted_types", "email": {"enabled", "types", "after_minutes"}}`."""
    async with engine.acquire() as conn:
        return _answer(await q.get_preferences(conn, user_id))


async def update_preferences(engine, user_id: int, changes: dict) -> dict:
    """Change the fields given (validated by schemas.preferences), keep the
    others; return the preferences as they now are."""
    values = {}
    if "muted_types" in changes:
        values["muted_types"] = _in_order(changes["muted_types"])
    for name, value in changes.get("email", {}).items():
        column = EMAIL_FIELDS[name]
        values[column] = _in_order(value) if name == "types" else value
    async with engine.acquire() as conn:
        if not values:
            return _answer(await q.get_preferences(conn, user_id))
        return _answer(await q.save_preferences(conn, user_id, values))
